package io.herald;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk engine keeps the whole {@link Engine} contract; each engine gets its own data directory.
 * A short flush interval keeps the suite's many one-by-one publishes quick.
 */
class DiskEngineConformanceTest extends EngineConformance {
    @TempDir
    Path dir;
    private int engines;

    @Override
    protected Engine newEngine() {
        return Engines.disk(dir.resolve("engine-" + engines++), Duration.ofMillis(1));
    }
}
