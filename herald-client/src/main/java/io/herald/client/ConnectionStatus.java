package io.herald.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A change of a client's {@link ConnectionState}, with why: the close code and reason of the
 * connection that ended ({@link CloseCodes}; {@link CloseCodes#ABNORMAL} when it ended without a
 * close frame), and, while reconnecting, how long until the next attempt.
 *
 * @param state the new state
 * @param closeCode the close code of the connection that ended, if one did
 * @param reason the close reason or the failure, empty for none
 * @param retryIn the wait before the next connection attempt ({@link ConnectionState#RECONNECTING} only)
 */
public record ConnectionStatus(ConnectionState state, OptionalInt closeCode, String reason, Optional<Duration> retryIn) {
    public ConnectionStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(closeCode, "closeCode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryIn, "retryIn");
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(state.name().toLowerCase(java.util.Locale.ROOT));
        closeCode.ifPresent(c -> b.append(" (").append(c).append(reason.isEmpty() ? "" : " " + reason).append(')'));
        retryIn.ifPresent(d -> b.append(", retry in ").append(d.toMillis()).append(" ms"));
        return b.toString();
    }
}
