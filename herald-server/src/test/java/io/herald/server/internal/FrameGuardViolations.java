package io.herald.server.internal;

import java.util.OptionalInt;

/** Test access to {@link FrameGuard.Violation} for the Autobahn echo server, which lives in another package. */
public final class FrameGuardViolations {
    private FrameGuardViolations() {
    }

    /** The close code a {@link FrameGuard} violation calls for, or empty for any other error. */
    public static OptionalInt closeCode(Throwable cause) {
        return cause instanceof FrameGuard.Violation v ? OptionalInt.of(v.closeCode()) : OptionalInt.empty();
    }
}
