package io.herald.server.fuzz;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps the exceptions the session logs while a connection is open, instead of printing them, so
 * that a failure can show the server-side stack trace of a 1011 or an {@code internal} error, and
 * a known issue repeated by the fuzzer thousands of times does not flood the report.
 */
final class SessionLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final Logger SESSION = (Logger) LoggerFactory.getLogger("io.herald.server.internal");

    private final List<Throwable> exceptions = new ArrayList<>();

    private SessionLog() {
    }

    /** Captures the session's log until {@link #close()}. */
    static SessionLog capture() {
        SessionLog log = new SessionLog();
        log.setContext(SESSION.getLoggerContext());
        log.start();
        SESSION.addAppender(log);
        SESSION.setAdditive(false);
        return log;
    }

    /** Adds what the session logged to {@code failure}, as suppressed exceptions. */
    AssertionError attachTo(AssertionError failure) {
        exceptions.forEach(failure::addSuppressed);
        return failure;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getThrowableProxy() instanceof ThrowableProxy p) {
            exceptions.add(p.getThrowable());
        }
    }

    @Override
    public void close() {
        SESSION.detachAppender(this);
        SESSION.setAdditive(true);
        stop();
    }
}
