package io.herald.server.fuzz;

import java.time.Duration;
import java.util.HexFormat;

/** One thing a fuzzed client does: send bytes, or let time pass. */
sealed interface ClientAction {
    void perform(FuzzConnection connection);

    /**
     * Sends {@code bytes}, cut in two writes at {@code cut} (none when outside them).
     *
     * @param what what the bytes are, for a failure report
     */
    record Send(String what, byte[] bytes, int cut) implements ClientAction {
        @Override
        public void perform(FuzzConnection connection) {
            connection.send(bytes, cut);
        }

        @Override
        public String toString() {
            return "Send[" + what + ", cut " + cut + ": " + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    record Wait(Duration duration) implements ClientAction {
        @Override
        public void perform(FuzzConnection connection) {
            connection.advance(duration);
        }
    }
}
