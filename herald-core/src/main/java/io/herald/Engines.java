package io.herald;

import io.herald.internal.MemoryEngine;

/** Factories of the engines that ship with the core. */
public final class Engines {
    private Engines() {
    }

    /**
     * A new in-memory engine (Herald's default): offsets, history and retained state live in this
     * process, so every instance starts new epochs. Serves one node.
     */
    public static Engine memory() {
        return new MemoryEngine();
    }
}
