package io.herald.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.ChannelNames;
import io.herald.Engine;
import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Publication;
import io.herald.Json;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.TimeUnit;

/** The HTTP API calls (SPEC §5.3): publish, broadcast, health. Stateless. */
final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final Set<String> MESSAGE_FIELDS = Set.of("channel", "event", "data", "key", "critical", "final");
    private static final Set<String> BROADCAST_FIELDS = Set.of("channels", "event", "data", "key", "critical", "final");
    private static final int MAX_BATCH = 10_000;
    /** How long {@code /health} waits for the engine's answer before it reports the engine down. */
    static final Duration ENGINE_HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private final ServerContext server;

    HttpApi(ServerContext server) {
        this.server = server;
    }

    /** {@code POST /api/publish}: one message, or an array of them; all are validated before any is published. */
    void publish(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        JsonNode body = body(req);
        if (body.isArray()) {
            if (body.isEmpty() || body.size() > MAX_BATCH) {
                throw HeraldException.badRequest("an array must hold 1 to " + MAX_BATCH + " messages");
            }
            List<Message> messages = new ArrayList<>(body.size());
            for (int i = 0; i < body.size(); i++) {
                messages.add(readAt(body.get(i), null, "[" + i + "]"));
            }
            publishAll(ctx, keepAlive, messages, true);
        } else if (body.isObject()) {
            publishAll(ctx, keepAlive, List.of(readAt(body, null, null)), false);
        } else {
            throw HeraldException.badRequest("the body must be a message object or an array of messages");
        }
    }

    /** {@code POST /api/broadcast}: one message to every channel in {@code channels}. */
    void broadcast(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        JsonNode body = body(req);
        if (!body.isObject()) {
            throw HeraldException.badRequest("the body must be an object with 'channels', 'event' and 'data'");
        }
        MessageJson.rejectUnknown(body, BROADCAST_FIELDS);
        JsonNode channels = body.get("channels");
        if (channels == null || !channels.isArray() || channels.isEmpty() || channels.size() > MAX_BATCH) {
            throw HeraldException.badRequest("'channels' must be an array of 1 to " + MAX_BATCH + " channel names");
        }
        List<Message> messages = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            JsonNode ch = channels.get(i);
            if (!ch.isTextual()) {
                throw HeraldException.badRequest("channels[" + i + "] must be a string");
            }
            messages.add(MessageJson.read(body, ChannelNames.validate(ch.asText())));
        }
        publishAll(ctx, keepAlive, messages, true);
    }

    /**
     * {@code GET /health}: 200 when serving, 503 when draining or the engine is down (or does not
     * answer within {@link #ENGINE_HEALTH_TIMEOUT}). Answered from the engine's callback, on the
     * connection's loop.
     */
    void health(ChannelHandlerContext ctx, boolean keepAlive) {
        server.herald().engineHealth().orTimeout(ENGINE_HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((engine, err) -> health(ctx, keepAlive, err == null ? engine
                        : new Engine.Health("unknown", false, "no answer from the engine: " + HeraldException.from(err).getMessage())),
                        ctx.executor());
    }

    private void health(ChannelHandlerContext ctx, boolean keepAlive, Engine.Health engine) {
        String status = server.draining() ? "draining" : engine.up() ? "ok" : "down";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("server", ServerContext.SERVER_NAME);
        body.put("engine", Map.of("type", engine.engine(), "up", engine.up(), "detail", engine.detail()));
        body.put("connections", Map.of("active", server.connections().active(), "total", server.connections().total()));
        HttpResponses.json(ctx, keepAlive, "ok".equals(status) ? HttpResponseStatus.OK
                : HttpResponseStatus.valueOf(ErrorCode.UNAVAILABLE.httpStatus()), body);
    }

    /** {@code GET /metrics}: Prometheus text, when the server exports to a Prometheus registry. */
    void metrics(ChannelHandlerContext ctx, boolean keepAlive) {
        String text = server.scrape().orElseThrow(() -> HeraldException.notFound(
                "metrics go to the MeterRegistry given to Herald.builder(); this server exports none"));
        HttpResponses.text(ctx, keepAlive, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", text);
    }

    /**
     * Publishes {@code messages} and answers once the engine has taken them all: their results, as
     * an array when {@code many}. Counted in {@link ServerContext#pendingAnswers()} until the answer
     * is written, so a shutdown sends it before it closes the connection.
     */
    private void publishAll(ChannelHandlerContext ctx, boolean keepAlive, List<Message> messages, boolean many) {
        PendingAnswers pending = server.pendingAnswers();
        pending.begin();
        CompletableFuture<?>[] futures = new CompletableFuture<?>[messages.size()];
        try {
            for (int i = 0; i < futures.length; i++) {
                futures[i] = server.herald().publish(messages.get(i));
            }
        } catch (RuntimeException e) {
            pending.end();
            throw e;
        }
        CompletableFuture<?> all = futures.length == 1 ? futures[0] : CompletableFuture.allOf(futures);
        all.whenComplete((v, err) -> {
            try {
                if (err != null) {
                    failed(ctx, keepAlive, err);
                    return;
                }
                List<Map<String, Object>> results = new ArrayList<>(futures.length);
                for (CompletableFuture<?> f : futures) {
                    results.add(result((Publication) f.join()));
                }
                HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, many ? Map.of("results", results) : results.get(0));
            } finally {
                pending.end();
            }
        });
    }

    private static Message readAt(JsonNode node, String channel, String where) {
        try {
            if (node.isObject()) {
                MessageJson.rejectUnknown(node, MESSAGE_FIELDS);
            }
            return MessageJson.read(node, channel);
        } catch (HeraldException e) {
            throw where == null ? e : e.within(where);
        }
    }

    private static Map<String, Object> result(Publication p) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("channel", p.channel());
        r.put("offset", p.offset());
        r.put("epoch", p.epoch());
        r.put("ts", p.ts());
        return r;
    }

    /** The request's JSON body; {@code bad_request} when it is empty or malformed. */
    static JsonNode body(FullHttpRequest req) {
        if (!req.content().isReadable()) {
            throw HeraldException.badRequest("the request body is empty; send a JSON message");
        }
        try (InputStream in = new ByteBufInputStream(req.content().duplicate())) {
            JsonNode node = Json.MAPPER.readTree(in);
            if (node == null) {
                throw HeraldException.badRequest("the request body is empty; send a JSON message");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw HeraldException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HeraldException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    /**
     * Answers a publish the engine failed, with the failure's own code ({@link HeraldException#from});
     * counted and logged as the router does a synchronous failure.
     */
    private void failed(ChannelHandlerContext ctx, boolean keepAlive, Throwable err) {
        HeraldException e = HeraldException.from(err);
        if (e.code() == ErrorCode.INTERNAL) {
            server.unexpected(log, "publish", e.getCause() == null ? e : e.getCause());
        } else {
            server.badInput(ServerContext.remoteIp(ctx.channel()), e);
        }
        HttpResponses.error(ctx, keepAlive, e);
    }
}
