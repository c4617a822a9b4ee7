package io.herald.client.internal;

/** Where {@link Channels} and {@link Publishes} send their commands: the current connection. Client thread only. */
interface CommandSink {

    /** Whether the server said {@code welcome} on the current connection. */
    boolean connected();

    /** A new command id, unique in this client. */
    long nextId();

    /** Sends a command on the current connection; the caller checked {@link #connected()}. */
    void send(String command);
}
