package io.herald.client.internal;

import io.herald.client.ConnectionStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a client was built with (see {@code HeraldClient.Builder}, which validates it).
 *
 * @param uri the server's WebSocket endpoint
 * @param token a fixed token, if any
 * @param tokenSupplier asked for a token before every connection attempt, if given (wins over {@code token})
 * @param onStatus hears every change of the connection's state
 * @param initialBackoff the ceiling of the first retry's wait
 * @param maxBackoff the ceiling of every retry's wait
 * @param connectTimeout from the start of an attempt to the server's {@code welcome}
 */
public record ClientSettings(URI uri, Optional<String> token, Optional<Supplier<String>> tokenSupplier,
        Consumer<ConnectionStatus> onStatus, Duration initialBackoff, Duration maxBackoff, Duration connectTimeout) {
    public ClientSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenSupplier, "tokenSupplier");
        Objects.requireNonNull(onStatus, "onStatus");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
}
