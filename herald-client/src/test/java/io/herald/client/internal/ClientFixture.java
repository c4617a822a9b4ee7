package io.herald.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.ConnectionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** A {@link ClientCore} on a {@link ManualScheduler} and a {@link ScriptedTransport}, with its statuses recorded. */
final class ClientFixture {
    final ManualScheduler scheduler = new ManualScheduler();
    final ScriptedTransport transport = new ScriptedTransport();
    final List<ConnectionStatus> statuses = new ArrayList<>();
    final ClientCore core;

    private ClientFixture(Optional<String> token, Optional<Supplier<String>> supplier, RandomGenerator random) {
        ClientSettings settings = new ClientSettings(URI.create("ws://herald.test/ws"), token, supplier, statuses::add,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10));
        core = new ClientCore(settings, scheduler, transport, random);
    }

    /** Anonymous, with a jitter that always draws the ceiling (so delays are exact). */
    static ClientFixture create() {
        return new ClientFixture(Optional.empty(), Optional.empty(), ceiling());
    }

    static ClientFixture withToken(String token) {
        return new ClientFixture(Optional.of(token), Optional.empty(), ceiling());
    }

    static ClientFixture withSupplier(Supplier<String> supplier) {
        return new ClientFixture(Optional.empty(), Optional.of(supplier), ceiling());
    }

    static ClientFixture withRandom(RandomGenerator random) {
        return new ClientFixture(Optional.empty(), Optional.empty(), random);
    }

    /** A random generator whose bounded draws are always the largest allowed value. */
    static RandomGenerator ceiling() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
    }

    /** Calls connect() and runs it: the first connection is being opened. */
    ScriptedTransport.Connection connect() {
        core.connect();
        scheduler.runPending();
        return transport.last();
    }

    /** A connection opened and welcomed with {@code timeoutMs}. */
    ScriptedTransport.Connection connected(long timeoutMs) {
        ScriptedTransport.Connection c = connect();
        return welcome(c, timeoutMs);
    }

    /** Accepts the latest attempt and welcomes it. */
    ScriptedTransport.Connection welcomeLatest() {
        return welcome(transport.last(), 30_000);
    }

    ScriptedTransport.Connection welcome(ScriptedTransport.Connection c, long timeoutMs) {
        c.accept();
        c.welcome(timeoutMs);
        scheduler.runPending();
        return c;
    }

    /** The server sends {@code json} on {@code c}, and the client handles it. */
    void frame(ScriptedTransport.Connection c, String json) {
        c.frame(json);
        scheduler.runPending();
    }

    ConnectionStatus lastStatus() {
        return statuses.get(statuses.size() - 1);
    }

    static JsonNode json(String text) {
        try {
            return ClientJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands the client sent on {@code c}, parsed. */
    static List<JsonNode> sent(ScriptedTransport.Connection c) {
        List<JsonNode> out = new ArrayList<>();
        c.sent.forEach(s -> out.add(json(s)));
        return out;
    }

    /** The commands of {@code type} the client sent on {@code c}. */
    static List<JsonNode> sent(ScriptedTransport.Connection c, String type) {
        return sent(c).stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }
}
