package io.herald.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.herald.Herald;
import io.herald.server.LogCapture;
import io.herald.server.ServerConfig;
import io.herald.server.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The router's unexpected failures: a stack trace at most once a second, every one counted. */
class UnexpectedFailureLogTest {
    @Test
    void stackTraceAtMostOncePerSecondAndEveryFailureCounted() {
        TestClock clock = new TestClock();
        try (Herald herald = Herald.builder().clock(clock).meterRegistry(new SimpleMeterRegistry()).start();
                LogCapture logs = LogCapture.of("test.unexpected")) {
            ServerContext server = new ServerContext(herald, ServerConfig.newBuilder().build(), null);
            for (int i = 0; i < 100; i++) {
                server.unexpected(LoggerFactory.getLogger("test.unexpected"), "GET /x", new IllegalStateException("boom"));
            }
            clock.advance(Duration.ofSeconds(1));
            server.unexpected(LoggerFactory.getLogger("test.unexpected"), "GET /x", new IllegalStateException("boom"));

            List<ILoggingEvent> lines = logs.events();
            assertThat(lines).hasSize(2).allMatch(e -> e.getThrowableProxy() != null);
            assertThat(lines.get(1).getFormattedMessage()).contains("99 other unexpected failures not logged");
            assertThat(herald.meterRegistry().get("herald.errors").tag("code", "internal").counter().count()).isEqualTo(101);
        }
    }
}
