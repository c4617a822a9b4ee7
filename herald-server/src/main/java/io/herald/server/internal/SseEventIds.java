package io.herald.server.internal;

import io.herald.ChannelNames;
import io.herald.HeraldException;
import io.herald.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code id:} of an SSE event (SPEC §5.2): where the client stands in every channel of its
 * stream, so that one {@code Last-Event-ID} (or {@code ?since=}) resumes all of them. The text
 * {@code channel=epoch:offset;channel=epoch:offset…} (channel names hold neither {@code =} nor
 * {@code ;}, an epoch holds no {@code ;}; the offset follows the epoch's last {@code :}), encoded
 * as base64url without padding (RFC 4648 §5): opaque, safe in a header and in a URL as it is.
 */
final class SseEventIds {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private SseEventIds() {
    }

    /** The id for {@code positions}, in their iteration order. */
    static String encode(Map<String, StreamPosition> positions) {
        StringBuilder text = new StringBuilder(positions.size() * 24);
        for (Map.Entry<String, StreamPosition> e : positions.entrySet()) {
            if (!text.isEmpty()) {
                text.append(';');
            }
            text.append(e.getKey()).append('=').append(e.getValue().epoch()).append(':').append(e.getValue().offset());
        }
        return ENCODER.encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The positions an id holds, in its order.
     *
     * @throws HeraldException {@code bad_request} when {@code id} is not one this server makes
     */
    static Map<String, StreamPosition> decode(String id) {
        String text;
        try {
            text = new String(DECODER.decode(id.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("not base64url");
        }
        Map<String, StreamPosition> positions = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return positions;
        }
        for (String entry : text.split(";", -1)) {
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon <= eq) {
                throw malformed("each position must be channel=epoch:offset");
            }
            String channel = entry.substring(0, eq);
            try {
                ChannelNames.validate(channel);
            } catch (HeraldException e) {
                throw malformed("invalid channel name");
            }
            long offset;
            try {
                offset = Long.parseLong(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw malformed("the offset must be a number");
            }
            if (offset < 0) {
                throw malformed("the offset must not be negative");
            }
            if (positions.put(channel, new StreamPosition(entry.substring(eq + 1, colon), offset)) != null) {
                throw malformed("channel '" + channel + "' appears twice");
            }
        }
        return positions;
    }

    private static HeraldException malformed(String why) {
        return HeraldException.badRequest("malformed event id (Last-Event-ID or 'since'): " + why
                + "; use the id of an event of this stream");
    }
}
