package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Json;
import io.herald.Message;
import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * CPU per message of the two steps a publish costs once per message, before any fan-out (issue 12,
 * the representation of {@code data}): reading an HTTP publish body into a {@link Message} (parse,
 * then build, as the HTTP API does) and encoding its publication once as the frame element (what
 * every frame for every client is then assembled from: the hub's own encoder,
 * {@code io.herald.internal.Frames.element}, called reflectively so that any checkout can be
 * measured; {@link Json#writePublication} into a buffer if it has none). One
 * thread, {@code data} of {@code dataBytes} ({@code {"pad":"xx…"}}); prints nanoseconds per message
 * for each step and both, the best of {@code rounds} rounds of {@code seconds}. Time is the
 * thread's CPU time, not wall time, and the best round is reported, so that other processes on a
 * shared machine (which deschedule it and share its caches) count less. Not a test: run it by hand, pinned to a core, and compare two checkouts.
 *
 * <pre>
 * taskset -c 1 java -cp bench/target/herald-bench.jar io.herald.bench.MessageEncodeCost [dataBytes 200] [seconds 2] [rounds 5]
 * </pre>
 */
public final class MessageEncodeCost {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    private MessageEncodeCost() {
    }

    public static void main(String[] args) {
        int dataBytes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String data = "{\"pad\":\"" + "x".repeat(dataBytes - 10) + "\"}";
        byte[] body = ("{\"channel\":\"hist-1234\",\"event\":\"tick\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
        Publication p = new Publication(read(body), "1hx0k2a9v3qpe", 123_456, 1_796_028_504_311L);
        System.out.printf("data %d B, %d rounds of %d s, ns of CPU per message (best round):%n", dataBytes, rounds, seconds);
        time("warm-up", seconds, () -> read(body).channel().length() + element(p));
        System.out.printf("  read body -> Message  %6.0f%n", best(rounds, seconds, () -> read(body).channel().length()));
        System.out.printf("  element (once/msg)    %6.0f%n", best(rounds, seconds, () -> element(p)));
        System.out.printf("  both                  %6.0f%n", best(rounds, seconds,
                () -> element(new Publication(read(body), "1hx0k2a9v3qpe", 123_456, 1_796_028_504_311L))));
    }

    /** What the HTTP API does with one message of a publish body. */
    private static Message read(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return Message.builder(n.get("channel").asText(), n.get("event").asText()).data(n.get("data")).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final MethodHandle HUB_ELEMENT = hubElement();

    private static MethodHandle hubElement() {
        try {
            Method m = Class.forName("io.herald.internal.Frames").getDeclaredMethod("element", Publication.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("  (no io.herald.internal.Frames.element: the element is Json.writePublication's)");
            return null;
        }
    }

    /** The frame element, as the hub encodes each publication once. */
    private static int element(Publication p) {
        if (HUB_ELEMENT != null) {
            try {
                return ((byte[]) HUB_ELEMENT.invokeExact(p)).length;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        ByteBuf buf = Json.encode(ByteBufAllocator.DEFAULT, 256, g -> Json.writePublication(g, p));
        int n = buf.readableBytes();
        byte[] bytes = new byte[n];
        buf.readBytes(bytes);
        buf.release();
        return bytes.length;
    }

    private interface Step {
        int run();
    }

    private static double best(int rounds, int seconds, Step step) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            best = Math.min(best, time(null, seconds, step));
        }
        return best;
    }

    private static double time(String label, int seconds, Step step) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long acc = 0;
        long cpuStart = CPU.getCurrentThreadCpuTime();
        do {
            for (int i = 0; i < 1000; i++) {
                acc += step.run();
            }
            n += 1000;
        } while (System.nanoTime() < end);
        long cpu = CPU.getCurrentThreadCpuTime() - cpuStart;
        sink = acc;
        double ns = (double) cpu / n;
        if (label != null) {
            System.out.printf("  %-21s %6.0f%n", label, ns);
        }
        return ns;
    }
}
