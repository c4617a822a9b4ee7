package io.herald.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What the subscribers of one or more processes received for one publish step: messages
 * (deliveries), the frames and payload bytes that carried them, {@code lag} frames, and the
 * one-way latency histogram in microseconds. Tallies of several processes {@link #merge} exactly,
 * because the histogram travels whole (compressed, base64) in the JSON. Immutable.
 */
record StepTally(int step, long deliveries, long frames, long bytes, long lagFrames, Histogram latencyMicros) {
    /** Latencies above this are recorded as this: one minute, far past any sustainable step. */
    static final long MAX_LATENCY_MICROS = 60_000_000L;

    static Histogram newHistogram() {
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }

    static StepTally empty(int step) {
        return new StepTally(step, 0, 0, 0, 0, newHistogram());
    }

    StepTally merge(StepTally other) {
        Histogram h = latencyMicros.copy();
        h.add(other.latencyMicros);
        return new StepTally(step, deliveries + other.deliveries, frames + other.frames, bytes + other.bytes,
                lagFrames + other.lagFrames, h);
    }

    /** The latency at {@code percentile} (0–100) in milliseconds; 0 with no deliveries. */
    double latencyMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxLatencyMillis() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }

    ObjectNode toJson() {
        ByteBuffer buf = ByteBuffer.allocate(latencyMicros.getNeededByteBufferCapacity());
        int n = latencyMicros.encodeIntoCompressedByteBuffer(buf);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("step", step).put("deliveries", deliveries).put("frames", frames).put("bytes", bytes)
                .put("lagFrames", lagFrames)
                .put("histogram", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n)));
        return o;
    }

    static StepTally fromJson(JsonNode o) {
        Histogram h;
        try {
            h = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(o.path("histogram").asText())), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a step's histogram cannot be decoded", e);
        }
        return new StepTally(o.path("step").asInt(), o.path("deliveries").asLong(), o.path("frames").asLong(),
                o.path("bytes").asLong(), o.path("lagFrames").asLong(), h);
    }
}
