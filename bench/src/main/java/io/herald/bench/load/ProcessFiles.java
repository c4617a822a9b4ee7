package io.herald.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The files through which the driver and the subscriber processes of one run talk, all in one
 * work directory: {@code sub-<id>.ready.json} (connections opened), {@code sub-<id>.snap.json}
 * (rewritten every 250 ms while running), {@code stop} (written by the driver),
 * {@code sub-<id>.final.json}. Files are written to a temporary name and renamed, so a reader
 * never sees half a file. Stateless.
 */
final class ProcessFiles {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProcessFiles() {
    }

    static Path ready(Path dir, int id) {
        return dir.resolve("sub-" + id + ".ready.json");
    }

    static Path snapshot(Path dir, int id) {
        return dir.resolve("sub-" + id + ".snap.json");
    }

    static Path fin(Path dir, int id) {
        return dir.resolve("sub-" + id + ".final.json");
    }

    static Path stop(Path dir) {
        return dir.resolve("stop");
    }

    static void write(Path file, JsonNode json) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), json);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<JsonNode> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Wall clock minus monotonic clock, in microseconds. Latency compares {@code System.nanoTime}
     * of the publisher's process with that of a subscriber's: Linux serves both from the one
     * system-wide CLOCK_MONOTONIC, so this offset is the same in every process of the machine,
     * up to the microseconds between the two reads. The driver checks it.
     */
    static long clockOffsetMicros() {
        Instant now = Instant.now();
        long nano = System.nanoTime();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000 - nano / 1000;
    }
}
