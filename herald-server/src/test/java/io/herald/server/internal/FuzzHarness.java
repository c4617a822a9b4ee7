package io.herald.server.internal;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

/**
 * Opens a WebSocket session the way {@link HttpRouter#upgrade} does, on an {@link EmbeddedChannel}
 * with no socket and no handshake, for tests outside this package (the session's constructor is
 * package-private). The channel reads raw client bytes and writes raw server frame bytes.
 */
public final class FuzzHarness {
    /** What the handshaker names the frame decoder; {@link WebSocketPipeline#install} goes after it. */
    private static final String DECODER = "wsdecoder";

    private FuzzHarness() {
    }

    /** A connection {@link #open} opened: its channel, its frame decoder and what the registry knows of it. */
    public record Opened(EmbeddedChannel channel, WebSocket13FrameDecoder decoder, ConnectionInfo info) {
    }

    /**
     * A connection right after the handshake: server-side frame codec (the encoder nearer the head,
     * as the handshaker places it, so the decoder's own close frames get encoded), then Herald's
     * handlers, then {@code opened()}, which may already close it (a bad token). The channel's time
     * is frozen: scheduled tasks (heartbeats, close grace, batch timers) run only when the caller
     * advances it.
     *
     * @param initialChannel the channel of {@code /ws/{channel}}, or null
     * @param upgradeToken   the token of {@code ?token=} or {@code Authorization: Bearer}, or null
     */
    public static Opened open(ServerContext server, String connectionId, String initialChannel, String upgradeToken) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        WebSocket13FrameDecoder decoder = new WebSocket13FrameDecoder(WebSocketPipeline.decoderConfig(server.config(), false));
        channel.pipeline().addLast("wsencoder", new WebSocket13FrameEncoder(false));
        channel.pipeline().addLast(DECODER, decoder);
        ConnectionInfo info = new ConnectionInfo(connectionId, server.clock().epochMillis(), "192.0.2.1", "fuzz");
        WebSocketHandler session = new WebSocketHandler(server,
                new WebSocketConnection(server, channel, info, initialChannel, null, upgradeToken));
        WebSocketPipeline.install(channel.pipeline(), DECODER, server.config(), session);
        session.opened();
        return new Opened(channel, decoder, info);
    }
}
