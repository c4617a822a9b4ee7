package io.herald.client.internal;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the application's listeners: one that throws is logged and the client goes on. */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    static <T> void call(Consumer<T> listener, T value, String what) {
        try {
            listener.accept(value);
        } catch (RuntimeException e) {
            log.warn("herald client: the {} listener threw; the client goes on", what, e);
        }
    }
}
