package io.herald.server.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes Herald's WebSocket input end to end, with no socket: Netty's frame decoder as Herald
 * configures it, UTF-8 validation, the fragment limit, aggregation and the session's commands, on
 * a real {@link io.herald.Herald}. Every input is one connection ({@link ClientScript}); whatever
 * it sends, no exception escapes and every answer is defined ({@link ServerAnswers},
 * {@link FuzzConnection#close()}).
 *
 * <p>The build fuzzes for {@code maxDuration} in a surefire execution of its own ({@code fuzz}),
 * which sets {@code JAZZER_FUZZ=1} and runs in {@code target/jazzer}, where Jazzer keeps the corpus
 * it grows and writes a crashing input ({@code crash-<sha1>}). Without {@code JAZZER_FUZZ} the
 * test replays the inputs in {@code src/test/resources/io/herald/server/fuzz/ProtocolFuzzTestInputs}
 * ({@link Seeds}, and any crash copied there to keep it as a regression).
 *
 * <pre>
 * # fuzz longer
 * JAZZER_MAX_DURATION=10m ./mvnw -B -pl herald-server -am test -Dtest=ProtocolFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * # replay the inputs directory, without fuzzing
 * ./mvnw -B -pl herald-server -am test -Dtest=ProtocolFuzzTest -Dfuzz.skip=true -Dsurefire.failIfNoSpecifiedTests=false
 * # skip fuzzing in a build
 * ./mvnw verify -Dfuzz.skip=true
 * </pre>
 */
class ProtocolFuzzTest {
    private static final Logger HERALD_LOG = (Logger) LoggerFactory.getLogger("io.herald");
    private static Level heraldLevel;

    /** Each connection logs its start and end at info; thousands a second would drown the report. */
    @BeforeAll
    static void logWarningsOnly() {
        heraldLevel = HERALD_LOG.getLevel();
        HERALD_LOG.setLevel(Level.WARN);
    }

    @AfterAll
    static void restoreLogLevel() {
        HERALD_LOG.setLevel(heraldLevel);
    }

    @FuzzTest(maxDuration = "10s")
    void everyInputGetsADefinedAnswer(FuzzedDataProvider data) {
        FuzzInput in = FuzzInput.of(data);
        try (FuzzConnection c = new FuzzConnection(ClientScript.initialChannel(in), ClientScript.upgradeToken(in))) {
            while (c.isOpen() && !in.exhausted()) {
                ClientScript.next(in).perform(c);
            }
        }
    }
}
