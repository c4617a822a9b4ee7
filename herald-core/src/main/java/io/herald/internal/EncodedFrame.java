package io.herald.internal;

import io.herald.MessageFrame;
import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link MessageFrame} over messages encoded once ({@link Encoded}): its text and wire forms are
 * made on first use and kept until {@link #release()}, so a fan-out pays for them once per
 * (loop, channel, frame), not once per connection. Confined to its event loop.
 */
final class EncodedFrame implements MessageFrame {
    private final String channel;
    private final List<Encoded> messages;
    private ByteBuf text;
    private WireFormat[] formats;
    private ByteBuf[] wires;

    EncodedFrame(String channel, List<Encoded> messages) {
        this.channel = channel;
        this.messages = messages;
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public int size() {
        return messages.size();
    }

    @Override
    public Publication publication(int index) {
        return messages.get(index).publication();
    }

    @Override
    public ByteBuf element(int index) {
        return Unpooled.wrappedBuffer(messages.get(index).element()).asReadOnly();
    }

    @Override
    public ByteBuf text() {
        if (text == null) {
            text = Frames.frame(ByteBufAllocator.DEFAULT, channel, messages);
        }
        return text;
    }

    @Override
    public ByteBuf wire(WireFormat format) {
        if (formats == null) {
            formats = new WireFormat[0];
            wires = new ByteBuf[0];
        }
        for (int i = 0; i < formats.length; i++) {
            if (formats[i] == format) {
                return wires[i];
            }
        }
        ByteBuf wire = format.encode(ByteBufAllocator.DEFAULT, this);
        formats = Arrays.copyOf(formats, formats.length + 1);
        wires = Arrays.copyOf(wires, wires.length + 1);
        formats[formats.length - 1] = format;
        wires[wires.length - 1] = wire;
        return wire;
    }

    /** Releases the text and every wire form made; the frame must not be used after. */
    void release() {
        if (text != null) {
            text.release();
            text = null;
        }
        if (wires != null) {
            for (ByteBuf w : wires) {
                w.release();
            }
            wires = null;
            formats = null;
        }
    }
}
