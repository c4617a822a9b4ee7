package io.herald.internal;

import io.herald.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Outlet;
import io.herald.MessageFrame;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An outlet that records the frames the core writes, decoded. */
class RecordingOutlet implements Outlet {
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

    volatile boolean writable = true;
    volatile int closeCode = -1;

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
    }

    @Override
    public void send(MessageFrame frame) {
        if (!loop.inEventLoop()) {
            throw new AssertionError("send off the outlet's loop");
        }
        record(frame.text().toString(StandardCharsets.UTF_8));
    }

    @Override
    public void lag(String channel, long skipped) {
        record("{\"type\":\"lag\",\"channel\":\"" + channel + "\",\"skipped\":" + skipped + "}");
    }

    @Override
    public void unsubscribed(String channel, String reason) {
        record("{\"type\":\"unsubscribed\",\"channel\":\"" + channel + "\",\"reason\":\"" + reason + "\"}");
    }

    private void record(String json) {
        try {
            frames.add(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every message received, batches unpacked, with the batch's channel filled in. */
    List<JsonNode> messages() {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode f : frames) {
            String type = f.path("type").asText();
            if (type.equals("message")) {
                out.add(f);
            } else if (type.equals("batch")) {
                for (JsonNode m : f.get("messages")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("channel", f.path("channel").asText());
                    out.add(m);
                }
            }
        }
        return out;
    }

    List<Long> offsets() {
        return messages().stream().map(f -> f.path("offset").asLong()).toList();
    }
}
