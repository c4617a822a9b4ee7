package io.herald.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Outlet;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An outlet that records the frames the core writes, decoded. */
final class RecordingOutlet implements Outlet {
    private final String id;
    private final EventExecutor loop;
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();

    RecordingOutlet(String id, EventExecutor loop) {
        this.id = id;
        this.loop = loop;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public void write(ByteBuf frame) {
        if (!loop.inEventLoop()) {
            throw new AssertionError("write off the outlet's loop");
        }
        try {
            frames.add(Json.MAPPER.readTree(frame.toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            frame.release();
        }
    }

    List<Long> offsets() {
        return frames.stream().map(f -> f.path("offset").asLong()).toList();
    }
}
