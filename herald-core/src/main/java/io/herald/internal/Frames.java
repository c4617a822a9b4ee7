package io.herald.internal;

import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodes the frames the core sends to clients (SPEC §5.1). */
public final class Frames {
    private Frames() {
    }

    /**
     * {@code {"type":"message","channel":…,"event":…,"offset":…,"ts":…,"data":…}}, plus
     * {@code "key"} when keyed. Encoded once per publication and shared by every subscriber.
     */
    public static ByteBuf message(ByteBufAllocator alloc, Publication p) {
        return Json.encode(alloc, 256, g -> {
            g.writeStartObject();
            g.writeStringField("type", "message");
            g.writeStringField("channel", p.channel());
            g.writeStringField("event", p.event());
            g.writeNumberField("offset", p.offset());
            g.writeNumberField("ts", p.ts());
            if (p.message().key().isPresent()) {
                g.writeStringField("key", p.message().key().get());
            }
            g.writeFieldName("data");
            g.writeTree(p.message().data());
            g.writeEndObject();
        });
    }
}
