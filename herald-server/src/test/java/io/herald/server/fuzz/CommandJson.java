package io.herald.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Client commands (SPEC §5.1) read from the fuzzer's input: a type, then each field present or
 * not, with a value that is right, of the wrong kind, or at a limit; sometimes damaged afterwards.
 * Random bytes rarely spell {@code "subscribe"}; this gets past the JSON parser to the commands.
 */
final class CommandJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> TYPES = Arrays.asList("connect", "subscribe", "unsubscribe", "publish", "ping",
            "pong", null);
    private static final List<String> CHANNELS = List.of("room:1", "room:2", "news", "user:alice", "user:bob", "user:root",
            "a:" + "b".repeat(253), "a:" + "b".repeat(254), "", "bad name", "r\u00e4um:1", "room:*", "room:\u0000");
    private static final List<String> EVENTS = List.of("progress", "done", "", "*", "e".repeat(300));
    private static final int MAX_STRING = 40;
    private static final int MAX_DEPTH = 600;

    private CommandJson() {
    }

    /** A command as UTF-8 bytes. */
    static byte[] read(FuzzInput in) {
        ObjectNode c = NODES.objectNode();
        String type = in.pick(TYPES);
        if (type != null || in.flag()) {
            c.set("type", type != null ? NODES.textNode(type) : any(in));
        }
        if (in.flag()) {
            c.set("id", any(in));
        }
        if (in.flag()) {
            String token = in.pick(Tokens.CHOICES);
            c.set("token", token != null ? NODES.textNode(token) : any(in));
        }
        if (in.flag()) {
            c.set("channel", in.flag() ? NODES.textNode(in.pick(CHANNELS)) : any(in));
        }
        if (in.flag()) {
            c.set("events", events(in));
        }
        if (in.flag()) {
            c.set("since", since(in));
        }
        if (in.flag()) {
            c.set("event", in.flag() ? NODES.textNode(in.pick(EVENTS)) : any(in));
        }
        if (in.flag()) {
            c.set("data", any(in));
        }
        if (in.flag()) {
            c.set("key", in.flag() ? NODES.textNode(in.pick(EVENTS)) : any(in));
        }
        for (String flag : List.of("critical", "final")) {
            if (in.flag()) {
                c.set(flag, in.flag() ? NODES.booleanNode(in.flag()) : any(in));
            }
        }
        return damage(c.toString().getBytes(StandardCharsets.UTF_8), in);
    }

    /** Any JSON value: scalars of every kind, fuzzed strings, deep nesting. */
    private static JsonNode any(FuzzInput in) {
        return switch (in.pick(9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(in.pick(Integer.MAX_VALUE) - 1000);
            case 2 -> NODES.numberNode(BigInteger.TWO.pow(70 + in.pick(200)));
            case 3 -> NODES.numberNode(1.5e300);
            case 4 -> NODES.booleanNode(in.flag());
            case 5 -> NODES.textNode(new String(in.bytes(MAX_STRING), StandardCharsets.UTF_8));
            case 6 -> NODES.textNode(new String(in.bytes(MAX_STRING), StandardCharsets.UTF_16BE));
            case 7 -> NODES.objectNode();
            case 8 -> NODES.arrayNode().add(in.pick(3));
            default -> nested(in.pick(MAX_DEPTH));
        };
    }

    private static JsonNode nested(int depth) {
        JsonNode n = NODES.numberNode(depth);
        for (int i = 0; i < depth; i++) {
            n = i % 2 == 0 ? NODES.arrayNode().add(n) : NODES.objectNode().set("a", n);
        }
        return n;
    }

    private static JsonNode events(FuzzInput in) {
        return switch (in.pick(3)) {
            case 0 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = in.pick(3); i >= 0; i--) {
                    a.add(in.pick(EVENTS));
                }
                yield a;
            }
            case 1 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = 0; i < 257; i++) {
                    a.add("e" + i);
                }
                yield a;
            }
            case 2 -> NODES.arrayNode().add(any(in));
            default -> any(in);
        };
    }

    private static JsonNode since(FuzzInput in) {
        if (in.flag()) {
            return any(in);
        }
        ObjectNode s = NODES.objectNode();
        s.set("epoch", in.flag() ? NODES.textNode("e" + in.pick(3)) : any(in));
        s.set("offset", in.flag() ? NODES.numberNode(in.pick(3) - 1) : any(in));
        return s;
    }

    /** Usually nothing; else cut the JSON short, overwrite a byte, or append bytes. */
    private static byte[] damage(byte[] json, FuzzInput in) {
        return switch (in.pick(7)) {
            case 0 -> Arrays.copyOf(json, in.pick(json.length));
            case 1 -> {
                byte[] b = json.clone();
                b[in.pick(b.length - 1)] = (byte) in.pick(255);
                yield b;
            }
            case 2 -> {
                byte[] tail = in.bytes(MAX_STRING);
                byte[] b = Arrays.copyOf(json, json.length + tail.length);
                System.arraycopy(tail, 0, b, json.length, tail.length);
                yield b;
            }
            default -> json;
        };
    }
}
