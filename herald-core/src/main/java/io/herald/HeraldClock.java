package io.herald;

/**
 * The one clock of Herald: all time-dependent logic reads it, so tests can drive time by hand.
 * Implementations are thread-safe.
 */
public interface HeraldClock {
    /** The system clock. */
    HeraldClock SYSTEM = new HeraldClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public String toString() {
            return "HeraldClock.SYSTEM";
        }
    };

    /** Monotonic time in nanoseconds, for measuring intervals. */
    long nanoTime();

    /** Wall-clock time in epoch milliseconds, for timestamps. */
    long epochMillis();
}
