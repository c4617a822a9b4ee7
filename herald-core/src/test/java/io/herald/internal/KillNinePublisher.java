package io.herald.internal;

import io.herald.Engine;
import io.herald.Engines;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.Message;
import io.herald.NamespaceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The process {@link KillNineTest} kills: opens a disk engine on {@code args[0]} and publishes up to
 * {@code args[1]} messages to {@value #CHANNEL}, a few at a time, printing {@code delivered <epoch> <offset>}
 * as each reaches the sink (live delivery, before the commit) and {@code acked <epoch> <offset>} for
 * each acknowledged one as its future completes.
 */
public final class KillNinePublisher {
    static final String CHANNEL = "k9:stream";
    static final HeraldConfig CONFIG = HeraldConfig.newBuilder()
            .defaults(NamespaceOptions.newBuilder().historySize(10_000).historyTtl(Duration.ofHours(1)).build()).build();

    private KillNinePublisher() {
    }

    public static void main(String[] args) throws InterruptedException {
        Engine engine = Engines.disk(Path.of(args[0]), Duration.ofMillis(20));
        engine.start(new Engine.Context(new DiskEngineTest.NoSink() {
            @Override
            public void deliver(io.herald.Publication p) {
                System.out.println("delivered " + p.epoch() + " " + p.offset());
                System.out.flush();
            }
        }, HeraldClock.SYSTEM, CONFIG));
        System.out.println("started " + engine.position(CHANNEL).epoch() + " " + engine.position(CHANNEL).offset());
        System.out.flush();
        Semaphore inFlight = new Semaphore(20);
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            engine.publish(Message.builder(CHANNEL, "e" + i).build()).whenComplete((p, failure) -> {
                inFlight.release();
                if (p != null) {
                    System.out.println("acked " + p.epoch() + " " + p.offset());
                    System.out.flush();
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE); // until killed
    }
}
