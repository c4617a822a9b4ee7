package io.herald.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;

/**
 * The few ways the client script reads the fuzzer's bytes, so that {@link SeedWriter} can write
 * inputs that read back as intended: choices come from the end of the input, byte strings from the
 * front, as {@link FuzzedDataProvider} takes them.
 */
interface FuzzInput {
    /** A number from 0 to {@code max}, inclusive. */
    int pick(int max);

    /** A byte string of 0 to {@code maxLength} bytes (fewer when the input runs out). */
    byte[] bytes(int maxLength);

    boolean exhausted();

    default boolean flag() {
        return pick(1) == 1;
    }

    default <T> T pick(List<T> values) {
        return values.get(pick(values.size() - 1));
    }

    /** Reads {@code data} (Jazzer's provider, in fuzzing or in a replay). */
    static FuzzInput of(FuzzedDataProvider data) {
        return new FuzzInput() {
            @Override
            public int pick(int max) {
                return data.consumeInt(0, max);
            }

            @Override
            public byte[] bytes(int maxLength) {
                return data.consumeBytes(data.consumeInt(0, maxLength));
            }

            @Override
            public boolean exhausted() {
                return data.remainingBytes() == 0;
            }
        };
    }
}
