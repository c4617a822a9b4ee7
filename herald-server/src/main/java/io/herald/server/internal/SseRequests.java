package io.herald.server.internal;

import io.herald.ChannelNames;
import io.herald.HeraldException;
import io.herald.StreamPosition;
import io.herald.server.internal.auth.Authenticator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code GET /sse?channel=a&channel=b} request (SPEC §5.2): its channels, where it resumes
 * from, and its token. Everything wrong with it is found here, before the stream starts.
 */
final class SseRequests {
    /** The header a browser's EventSource sends on its automatic reconnect. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private SseRequests() {
    }

    /**
     * What a stream asks for.
     *
     * @param channels the channels, in the URL's order, without repeats
     * @param since    where to resume, per channel (only channels of the URL)
     * @param token    from {@code ?token=} or {@code Authorization: Bearer}, or null
     */
    record Stream(List<String> channels, Map<String, StreamPosition> since, String token) {
    }

    /**
     * Reads the request. {@code Last-Event-ID} wins over {@code ?since=}: the browser sends it on a
     * reconnect to the same URL, and it is newer. Positions of channels not in the URL are ignored;
     * a channel of the URL without one is subscribed from now.
     *
     * @throws HeraldException {@code bad_request} for no channel, an invalid name or a malformed id;
     *                         {@code rate_limited} for more channels than {@code maxSubscriptions}
     */
    static Stream parse(HttpRequest req, QueryStringDecoder query, int maxSubscriptions) {
        Map<String, List<String>> params;
        try {
            params = query.parameters();
        } catch (IllegalArgumentException e) {
            throw HeraldException.badRequest("malformed query string: " + e.getMessage());
        }
        List<String> named = params.getOrDefault("channel", List.of());
        if (named.isEmpty()) {
            throw HeraldException.badRequest("name at least one channel: /sse?channel=a&channel=b");
        }
        LinkedHashSet<String> channels = new LinkedHashSet<>();
        for (String ch : named) {
            channels.add(ChannelNames.validate(ch));
        }
        if (channels.size() > maxSubscriptions) {
            throw HeraldException.rateLimited("too many subscriptions: at most " + maxSubscriptions
                    + " channels per connection (limits.maxSubscriptions)");
        }
        String id = req.headers().get(LAST_EVENT_ID);
        if (id == null || id.isBlank()) {
            List<String> since = params.get("since");
            id = since == null ? null : since.get(0);
        }
        Map<String, StreamPosition> since = id == null ? new LinkedHashMap<>() : SseEventIds.decode(id);
        since.keySet().retainAll(channels);
        List<String> tokens = params.get("token");
        String token = tokens != null ? tokens.get(0)
                : Authenticator.bearerToken(req.headers().get(HttpHeaderNames.AUTHORIZATION)).orElse(null);
        return new Stream(List.copyOf(new ArrayList<>(channels)), since, token);
    }
}
