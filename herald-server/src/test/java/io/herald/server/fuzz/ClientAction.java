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

    /**
     * Sends bytes that begin with a frame the server must refuse: if the connection is open and
     * between frames, with no close begun by either side, it must be closed with {@code closeCode}.
     */
    record SendRefused(String what, byte[] bytes, int cut, int closeCode) implements ClientAction {
        @Override
        public void perform(FuzzConnection connection) {
            connection.sendRefused(bytes, cut, closeCode);
        }

        @Override
        public String toString() {
            return "SendRefused[" + what + ", cut " + cut + ", close " + closeCode + ": " + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** The client stops reading (the server's socket stops being writable) or reads again. */
    record Reading(boolean reading) implements ClientAction {
        @Override
        public void perform(FuzzConnection connection) {
            connection.reading(reading);
        }
    }

    record Wait(Duration duration) implements ClientAction {
        @Override
        public void perform(FuzzConnection connection) {
            connection.advance(duration);
        }
    }
}
