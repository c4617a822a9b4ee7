package io.herald.server.internal;

import io.herald.ChannelInfo;
import io.herald.ChannelSummary;
import io.herald.ChannelNames;
import io.herald.CloseCodes;
import io.herald.HeraldException;
import io.herald.HistoryStats;
import io.herald.Json;
import io.herald.StreamPosition;
import io.herald.Publication;
import io.herald.server.ConnectionStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator calls of SPEC §5.3 and §7: stats, channels, connections. Answers use the
 * snake_case field names of SPEC §7. Stateless.
 */
final class AdminApi {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final ServerContext server;

    AdminApi(ServerContext server) {
        this.server = server;
    }

    /**
     * {@code GET /api/stats[?namespace=&system=]}: the channels in aggregate, then each channel held
     * now. Completed channels count until {@code stats.window} after their cleanup; subscribing alone
     * does not make a channel active (it is idle until its first message). Herald's own channels
     * ({@code $…}) only with {@code system=true} or their namespace.
     */
    void stats(ChannelHandlerContext ctx, boolean keepAlive, QueryStringDecoder query) {
        String namespace = param(query, "namespace");
        boolean system = boolParam(query, "system");
        List<ChannelInfo> channels = channels(namespace, system);
        ChannelSummary summary = server.herald().summary(namespace, system);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_channels", summary.total());
        body.put("active_channels", summary.active());
        body.put("idle_channels", summary.idle());
        body.put("completed_channels", summary.completed());
        body.put("total_messages", summary.messages());
        body.put("completed_messages", summary.completedMessages());
        body.put("average_elapsed_seconds", round(summary.averageElapsedSeconds()));
        body.put("window_seconds", summary.windowSeconds());
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChannelInfo c : channels) {
            list.add(channelJson(c, false));
        }
        body.put("channels", list);
        HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
    }

    /**
     * {@code GET /api/channels/{ch}/subscribers}: how many clients on this node are subscribed, so
     * a publisher can skip work nobody watches; 0 for a channel nobody has touched, never 404.
     */
    void subscribers(ChannelHandlerContext ctx, boolean keepAlive, String channel) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel);
        body.put("subscribers", server.herald().subscriberCount(channel));
        HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
    }

    /**
     * {@code GET /api/channels[?namespace=&search=&limit=&offset=&system=]}: the channels by name,
     * those whose name contains {@code search} (ignoring case) when given; every one, or one page of
     * {@code limit} from {@code offset}, with how many match. Herald's own channels ({@code $…})
     * only with {@code system=true} or their namespace.
     */
    void listChannels(ChannelHandlerContext ctx, boolean keepAlive, QueryStringDecoder query) {
        String search = param(query, "search");
        Integer limit = param(query, "limit") == null ? null : intParam(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        int offset = intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
        List<ChannelInfo> all = channels(param(query, "namespace"), boolParam(query, "system"));
        if (search != null) {
            String needle = search.toLowerCase(java.util.Locale.ROOT);
            all.removeIf(c -> !c.channel().toLowerCase(java.util.Locale.ROOT).contains(needle));
        }
        int end = limit == null ? all.size() : (int) Math.min(all.size(), (long) offset + limit);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = offset; i < end; i++) {
            list.add(channelJson(all.get(i), true));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channels", list);
        body.put("matching", all.size());
        body.put("offset", offset);
        body.put("limit", limit);
        HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
    }

    /** {@code GET /api/channels/{channel}}. */
    void channel(ChannelHandlerContext ctx, boolean keepAlive, String channel) {
        ChannelInfo c = server.herald().channel(channel)
                .orElseThrow(() -> HeraldException.notFound("no channel '" + channel + "' on this node"));
        Map<String, Object> body = channelJson(c, true);
        if (!server.herald().config().optionsFor(channel).retained()) {
            HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
            return;
        }
        server.herald().retained(channel).whenCompleteAsync((state, err) -> {
            if (err != null) {
                HttpResponses.error(ctx, keepAlive, HeraldException.from(err));
                return;
            }
            List<Object> values = new ArrayList<>(state.size());
            state.forEach(p -> values.add(Json.publicationValue(p)));
            body.put("state", values);
            HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
        }, ctx.executor());
    }

    /**
     * {@code DELETE /api/channels/{channel}/state?key=}: removes a key from the channel's retained
     * state (SPEC §6), so later subscribers no longer get it. 404 when the key is not retained.
     */
    void removeState(ChannelHandlerContext ctx, boolean keepAlive, String channel, QueryStringDecoder query) {
        String key = param(query, "key");
        if (key == null || key.isEmpty()) {
            throw HeraldException.badRequest("'key' is required: DELETE /api/channels/{channel}/state?key=…");
        }
        server.herald().removeRetained(channel, key).whenCompleteAsync((removed, err) -> {
            if (err != null) {
                HttpResponses.error(ctx, keepAlive, HeraldException.from(err));
            } else if (!removed) {
                HttpResponses.error(ctx, keepAlive, HeraldException.notFound("channel '" + channel + "' retains no key '" + key + "'"));
            } else {
                HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, Map.of("channel", channel, "removed", key));
            }
        }, ctx.executor());
    }

    /**
     * {@code GET /api/channels/{channel}/history[?since=&limit=]} (SPEC §6): the messages the
     * channel still holds after {@code since} (an offset in the current epoch, or
     * {@code epoch:offset}; none: from the oldest held), oldest first, {@code limit} at a time (100 by
     * default, at most 1,000), with the epoch, whether {@code since} is still covered, and the
     * {@code since} of the next page. Answered on the connection's loop.
     */
    void history(ChannelHandlerContext ctx, boolean keepAlive, String channel, QueryStringDecoder query) {
        int limit = intParam(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        ChannelInfo c = server.herald().channel(channel)
                .orElseThrow(() -> HeraldException.notFound("no channel '" + channel + "' on this node"));
        String sinceText = param(query, "since");
        StreamPosition since;
        if (sinceText == null) {
            since = StreamPosition.NONE;
        } else if (sinceText.indexOf(':') < 0) {
            try {
                since = new StreamPosition(c.position().epoch(), Long.parseLong(sinceText));
            } catch (NumberFormatException e) {
                throw HeraldException.badRequest("'since' must be an offset or epoch:offset, e.g. since=42");
            }
            if (since.offset() < 0) {
                throw HeraldException.badRequest("'since' must not be negative");
            }
        } else {
            since = ClientCommands.since(sinceText);
        }
        server.herald().history(channel, since, limit).whenCompleteAsync((h, err) -> {
            if (err != null) {
                HttpResponses.error(ctx, keepAlive, HeraldException.from(err));
                return;
            }
            List<Object> messages = new ArrayList<>(h.publications().size());
            for (Publication p : h.publications()) {
                messages.add(Json.publicationValue(p));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("channel", channel);
            body.put("epoch", h.epoch());
            body.put("offset", h.position().offset());
            body.put("covered", h.covered());
            body.put("messages", messages);
            long last = messages.isEmpty() ? -1 : h.publications().get(messages.size() - 1).offset();
            body.put("next", messages.size() == limit && last < h.position().offset() ? h.epoch() + ":" + last : null);
            HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
        }, ctx.executor());
    }

    /**
     * {@code DELETE /api/channels/{channel}}: subscribers get {@code unsubscribed} and lose the
     * subscription. Answered once the engine has removed it, on the connection's loop.
     */
    void deleteChannel(ChannelHandlerContext ctx, boolean keepAlive, String channel) {
        int subscribers = server.herald().subscriberCount(ChannelNames.validate(channel));
        server.herald().deleteChannel(channel).whenCompleteAsync((existed, err) -> {
            if (err != null) {
                HttpResponses.error(ctx, keepAlive, HeraldException.from(err));
            } else if (!existed) {
                HttpResponses.error(ctx, keepAlive, HeraldException.notFound("no channel '" + channel + "' on this node"));
            } else {
                HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK,
                        Map.of("deleted", channel, "subscribers_unsubscribed", subscribers));
            }
        }, ctx.executor());
    }

    /** {@code GET /api/connections[?user=&channel=&limit=&offset=]}: summary and one page, oldest first. */
    void connections(ChannelHandlerContext ctx, boolean keepAlive, QueryStringDecoder query) {
        String user = param(query, "user");
        String channel = param(query, "channel");
        int limit = intParam(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        int offset = intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
        List<ConnectionStats> all = new ArrayList<>(server.connections().snapshot());
        all.removeIf(c -> (user != null && !user.equals(c.user().orElse(null)))
                || (channel != null && !c.subscriptions().contains(channel)));
        all.sort(Comparator.comparingLong(ConnectionStats::connectedAt).thenComparing(ConnectionStats::id));
        ConnectionRegistry.Totals totals = server.connections().totals();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("active", server.connections().active());
        summary.put("total", server.connections().total());
        summary.put("messages_sent", totals.messagesOut());
        summary.put("errors", totals.errors());
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < all.size() && page.size() < limit; i++) {
            page.add(connectionJson(all.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("summary", summary);
        body.put("matching", all.size());
        body.put("offset", offset);
        body.put("limit", limit);
        body.put("connections", page);
        HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, body);
    }

    /** {@code DELETE /api/connections/{id}}: closes it with 1000. */
    void closeConnection(ChannelHandlerContext ctx, boolean keepAlive, String id) {
        if (!server.connections().close(id, CloseCodes.NORMAL, "closed by operator")) {
            throw HeraldException.notFound("no open connection '" + id + "'");
        }
        HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, Map.of("closed", id));
    }

    /** The channels of {@code namespace} (all when null) by name; Herald's own as {@link io.herald.Herald#summary(String, boolean)} counts them. */
    private List<ChannelInfo> channels(String namespace, boolean system) {
        List<ChannelInfo> all = new ArrayList<>(server.herald().channels());
        if (namespace != null) {
            all.removeIf(c -> !ChannelNames.namespace(c.channel()).equals(namespace));
        }
        if (!system && (namespace == null || !ChannelNames.isSystem(namespace))) {
            all.removeIf(c -> ChannelNames.isSystem(c.channel()));
        }
        all.sort(Comparator.comparing(ChannelInfo::channel));
        return all;
    }

    private static Map<String, Object> channelJson(ChannelInfo c, boolean position) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", c.channel());
        m.put("published", c.published());
        m.put("delivered", c.delivered());
        m.put("coalesced", c.coalesced());
        m.put("dropped", c.dropped());
        m.put("subscribers", c.subscribers());
        m.put("elapsed_seconds", round(c.elapsedSeconds()));
        m.put("completed", c.completed());
        if (position) {
            m.put("epoch", c.position().epoch());
            m.put("offset", c.position().offset());
            HistoryStats h = c.history();
            Map<String, Object> history = new LinkedHashMap<>();
            history.put("messages", h.messages());
            history.put("first_offset", h.messages() == 0 ? null : h.firstOffset());
            history.put("last_offset", h.messages() == 0 ? null : h.lastOffset());
            history.put("bytes", h.dataBytes());
            m.put("history", history);
        }
        return m;
    }

    private static Map<String, Object> connectionJson(ConnectionStats c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("state", c.state());
        m.put("connected_at", Instant.ofEpochMilli(c.connectedAt()).toString());
        m.put("remote_ip", c.remoteIp());
        m.put("user_agent", c.userAgent());
        m.put("user", c.user().orElse(null));
        m.put("subscriptions", c.subscriptions().stream().sorted().toList());
        m.put("messages_in", c.messagesIn());
        m.put("messages_out", c.messagesOut());
        m.put("frames_out", c.framesOut());
        m.put("bytes_in", c.bytesIn());
        m.put("bytes_out", c.bytesOut());
        m.put("backlog_messages", c.backlogMessages());
        m.put("pending_bytes", c.pendingBytes());
        m.put("lag_events", c.lagEvents());
        m.put("skipped", c.skipped());
        m.put("errors", c.errors());
        m.put("last_error", c.lastError().orElse(null));
        m.put("last_seen", Instant.ofEpochMilli(c.lastSeen()).toString());
        return m;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static String param(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    /** {@code true} or {@code false}; absent is false. */
    private static boolean boolParam(QueryStringDecoder q, String name) {
        String v = param(q, name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw HeraldException.badRequest("'" + name + "' must be true or false");
    }

    private static int intParam(QueryStringDecoder q, String name, int dflt, int min, int max) {
        String v = param(q, name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw HeraldException.badRequest("'" + name + "' must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw HeraldException.badRequest("'" + name + "' must be a whole number");
        }
    }
}
