package io.herald.server.internal;

import java.util.Locale;

/** Where a connection is in its life (SPEC §7). */
public enum ConnectionState {
    CONNECTING,
    CONNECTED,
    DISCONNECTING,
    DISCONNECTED,
    ERROR;

    /** The lower-case form the API shows. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
