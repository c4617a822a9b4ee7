package io.herald.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.StreamPosition;
import io.herald.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client commands of SPEC §5.1 on one WebSocket connection: parses each text frame, runs the
 * command against the {@link WebSocketConnection} and answers it (the optional {@code id} echoed);
 * a bad command gets an {@code error} frame and the connection stays open. Confined to the
 * connection's event loop.
 */
final class WebSocketCommands {
    private static final Logger log = LoggerFactory.getLogger(WebSocketCommands.class);

    private final ServerContext server;
    private final WebSocketConnection connection;

    WebSocketCommands(ServerContext server, WebSocketConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    /** One text frame from the client. */
    void onText(ByteBuf content) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree((InputStream) new ByteBufInputStream(content));
        } catch (JsonProcessingException e) {
            reject(null, HeraldException.badRequest("malformed JSON: " + e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            reject(null, HeraldException.badRequest("unreadable frame: " + e.getMessage()));
            return;
        }
        if (root == null || !root.isObject()) {
            reject(null, HeraldException.badRequest("a frame must be a JSON object with a 'type'"));
            return;
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isNull() && !id.isTextual() && !id.isIntegralNumber()) {
            reject(null, HeraldException.badRequest("'id' must be a string or an integer"));
            return;
        }
        try {
            dispatch(id, root);
        } catch (HeraldException e) {
            reject(id, e);
        } catch (RuntimeException e) {
            server.unexpected(log, "connection " + connection.id() + ": command", e);
            reject(id, HeraldException.internal("internal error", e));
        }
    }

    private void dispatch(JsonNode id, JsonNode root) {
        String type = MessageJson.text(root, "type", true);
        switch (type) {
            case "connect" -> {
                if (connection.authenticate(MessageJson.text(root, "token", false)).isPresent()) {
                    connection.welcomed(this, id);
                }
            }
            case "subscribe" -> subscribe(id, MessageJson.text(root, "channel", true), ClientCommands.events(root),
                    ClientCommands.since(root));
            case "unsubscribe" -> {
                String ch = MessageJson.text(root, "channel", true);
                connection.unsubscribe(ch);
                connection.reply(ServerFrames.unsubscribed(connection.alloc(), id, ch, null));
            }
            case "publish" -> publish(id, root);
            case "ping" -> connection.reply(ServerFrames.pong(connection.alloc(), id));
            case "pong" -> {
                // liveness only: every frame counts
            }
            default -> throw HeraldException.badRequest("unknown type '" + abbreviate(type)
                    + "'; expected connect, subscribe, unsubscribe, publish, ping or pong");
        }
    }

    /**
     * The channel of {@code /ws/{channel}}, subscribed once the connection is authenticated, from
     * the URL's {@code since} position if it has one.
     */
    void subscribeAtOpen(String channel, StreamPosition since) {
        try {
            subscribe(null, channel, Optional.empty(), since);
        } catch (HeraldException e) {
            reject(null, e);
        }
    }

    private void subscribe(JsonNode id, String channel, Optional<Set<String>> events, StreamPosition since) {
        connection.subscribe(channel, events, Optional.ofNullable(since)).whenComplete((s, err) -> {
            if (err != null) {
                reject(id, HeraldException.from(err));
            } else {
                connection.reply(ServerFrames.subscribed(connection.alloc(), id, channel, s));
            }
        });
    }

    private void publish(JsonNode id, JsonNode root) {
        Message m = MessageJson.read(root, null);
        connection.publish(m).whenComplete((p, err) -> connection.executor().execute(() -> {
            if (err != null) {
                reject(id, HeraldException.from(err));
            } else {
                connection.reply(ServerFrames.published(connection.alloc(), id, p));
            }
        }));
    }

    /** Answers a bad command with an {@code error} frame; the connection stays open. */
    void reject(JsonNode id, HeraldException e) {
        connection.info().recordError(e.code().wire() + ": " + e.getMessage());
        server.badInput(connection.id(), e);
        if (connection.connected()) {
            connection.reply(ServerFrames.error(connection.alloc(), id, e.code(), e.getMessage()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
