package io.herald;

/** The in-memory engine keeps the whole {@link Engine} contract. */
class MemoryEngineConformanceTest extends EngineConformance {
    @Override
    protected Engine newEngine() {
        return Engines.memory();
    }
}
