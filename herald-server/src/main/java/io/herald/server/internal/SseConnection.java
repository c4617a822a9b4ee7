package io.herald.server.internal;

import io.herald.ClientSession;
import io.herald.CloseCodes;
import io.herald.HeraldException;
import io.herald.Json;
import io.herald.MessageFrame;
import io.herald.Publication;
import io.herald.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ClientConnection} over Server-Sent Events (SPEC §5.2): one chunked
 * {@code text/event-stream} response, subscribed at open to the channels of the URL. Each event's
 * {@code data:} is the JSON the WebSocket sends for the same thing; its {@code event:} is that
 * frame's type:
 *
 * <pre>
 * retry: 500                                   (once, at the start: the browser's reconnect delay)
 *
 * id: YT1rM2oyOjU7Yj1wOXE6MA                   (every channel's position: see {@link SseEventIds})
 * event: subscribed                            (one per channel, with where it starts)
 * data: {"type":"subscribed","channel":"a","epoch":"k3j2","offset":5,"recovered":true}
 *
 * id: YT1rM2oyOjY7Yj1wOXE6MA
 * event: message                               (one event per message; EventSource's onmessage)
 * data: {"type":"message","channel":"a","event":"score","offset":6,"ts":1700000000000,"data":{…}}
 *
 * event: lag | unsubscribed | shutdown | close  (no id: the positions did not move)
 * : ping                                       (a comment, every heartbeat interval when idle)
 * </pre>
 *
 * <p>An {@code id:} is written whenever a position moves. A recovered subscription keeps the
 * client's own position in the id until the messages it missed arrive, so a stream cut in the
 * middle of a catch-up resumes where the client really stands. The client sends nothing: a ping
 * the socket took counts as a sign of life (see {@link #writePing}). Confined to its event loop.
 */
final class SseConnection extends ClientConnection {
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    private final String token;
    private final List<String> channels;
    /** Where the client resumes from, per channel of the URL (from Last-Event-ID or since). */
    private final Map<String, StreamPosition> resume;
    /** Where the client stands, per channel: what the next id says. */
    private final Map<String, StreamPosition> positions = new LinkedHashMap<>();
    /** Headers for the response (CORS). */
    private final HttpHeaders extraHeaders;
    /** Whether the response's head was written: before, a refusal is an HTTP error; after, a close event. */
    private boolean streaming;

    SseConnection(ServerContext server, Channel channel, ConnectionInfo info, SseRequests.Stream request,
            HttpHeaders extraHeaders) {
        super(server, channel, info);
        this.token = request.token();
        this.channels = request.channels();
        this.resume = request.since();
        this.extraHeaders = extraHeaders;
        for (String ch : channels) {
            StreamPosition p = resume.get(ch);
            if (p != null) {
                positions.put(ch, p);
            }
        }
    }

    /**
     * Opens the connection: authenticates (a refusal, e.g. the user's connection limit, is answered
     * as an HTTP error), writes the response head and subscribes to every channel, recovering from
     * the request's positions.
     */
    void start() {
        if (!channel.isActive() || !open(token)) {
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(extraHeaders)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(head, true);
        channel.write(head, channel.voidPromise());
        streaming = true;
        write(ascii("retry: " + server.config().reconnectAfter().toMillis() + "\n\n"));
        for (String ch : channels) {
            subscribe(ch);
        }
    }

    private void subscribe(String ch) {
        Optional<StreamPosition> since = Optional.ofNullable(resume.get(ch));
        try {
            subscribe(ch, Optional.empty(), since).whenComplete((s, err) -> subscribed(ch, since, s, err));
        } catch (HeraldException e) {
            // checked before the stream started; a limit changed since (e.g. a token renewal) ends the stream
            info.recordError(e.code().wire() + ": " + e.getMessage());
            close(CloseCodes.POLICY_VIOLATION, e.getMessage());
        }
    }

    private void subscribed(String ch, Optional<StreamPosition> since, ClientSession.Subscribed s, Throwable err) {
        if (!channel.isActive() || !connected()) {
            return;
        }
        if (err != null) {
            info.recordError("subscribe " + ch + ": " + err);
            close(CloseCodes.INTERNAL_ERROR, "subscribe failed");
            return;
        }
        // recovered: the client stands at its own position until what it missed arrives
        positions.put(ch, s.recovered() && since.isPresent() ? since.get() : s.position());
        event(SseEventIds.encode(positions), "subscribed",
                ServerFrames.subscribed(channel.alloc(), null, ch, s));
    }

    @Override
    public void send(MessageFrame frame) {
        if (!channel.isActive() || !connected()) {
            return;
        }
        byte[] prefix = ("data: {\"type\":\"message\",\"channel\":\"" + frame.channel() + "\",")
                .getBytes(StandardCharsets.US_ASCII); // channel names are ASCII without quotes (ChannelNames)
        ByteBuf out = channel.alloc().buffer(frame.size() * 128);
        for (int i = 0; i < frame.size(); i++) {
            Publication p = frame.publication(i);
            positions.put(frame.channel(), p.position());
            ByteBuf element = frame.element(i); // {"event",…}: written after the prefix, without its '{'
            out.writeCharSequence("id: " + SseEventIds.encode(positions) + "\nevent: message\n", StandardCharsets.US_ASCII);
            out.writeBytes(prefix);
            out.writeBytes(element, element.readerIndex() + 1, element.readableBytes() - 1);
            out.writeByte('\n').writeByte('\n');
        }
        write(out, frame.size());
    }

    @Override
    public void lag(String channelName, long skipped) {
        if (channel.isActive() && connected()) {
            info.lagged(skipped);
            event(null, "lag", ServerFrames.lag(channel.alloc(), channelName, skipped));
        }
    }

    @Override
    public void unsubscribed(String channelName, String reason) {
        if (channel.isActive() && connected()) {
            positions.remove(channelName);
            event(SseEventIds.encode(positions), "unsubscribed",
                    ServerFrames.unsubscribed(channel.alloc(), null, channelName, reason));
        }
    }

    /**
     * {@code : ping}. An SSE client sends nothing, so {@link Liveness} would only see progress while
     * bytes wait; a ping the socket took counts as a sign of life instead. A client that stopped
     * reading is still found: once the socket takes no more, bytes wait and make no progress. A
     * host that vanished is found by TCP (its retransmissions fail, the socket closes).
     */
    @Override
    protected void writePing() {
        info.sent(0, PING.length);
        channel.writeAndFlush(new DefaultHttpContent(channel.alloc().buffer(PING.length).writeBytes(PING)))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        seen();
                    }
                });
    }

    @Override
    protected void writeShutdown(long reconnectAfterMs) {
        if (streaming) {
            write(ascii("retry: " + reconnectAfterMs + "\n"));
            event(null, "shutdown", ServerFrames.shutdown(channel.alloc(), reconnectAfterMs));
        }
    }

    /**
     * SSE has no close codes: a {@code close} event carries the code and the reason, then the
     * response ends. Before the stream started, the refusal is an HTTP error instead.
     */
    @Override
    protected void writeClose(int code, String reason) {
        if (!streaming) {
            HttpResponses.error(channel.pipeline().context(SseHandler.class), false, refusal(code, reason));
            return;
        }
        event(null, "close", Json.encode(channel.alloc(), 64, g -> {
            g.writeStartObject();
            g.writeStringField("type", "close");
            g.writeNumberField("code", code);
            g.writeStringField("reason", reason);
            g.writeEndObject();
        }));
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        cutWhenStalled();
    }

    /** The HTTP answer to a close before the stream started. */
    private static HeraldException refusal(int code, String reason) {
        return switch (code) {
            case CloseCodes.UNAUTHORIZED -> HeraldException.unauthorized(reason);
            case CloseCodes.TRY_AGAIN_LATER -> HeraldException.rateLimited(reason);
            case CloseCodes.POLICY_VIOLATION -> HeraldException.forbidden(reason);
            case CloseCodes.INTERNAL_ERROR -> HeraldException.internal(reason, null);
            default -> HeraldException.unavailable(reason);
        };
    }

    /** Writes one event: {@code id:} (when not null), {@code event:} and the JSON as {@code data:}. */
    private void event(String id, String name, ByteBuf json) {
        ByteBuf out = channel.alloc().buffer(json.readableBytes() + 32 + (id == null ? 0 : id.length()));
        if (id != null) {
            out.writeCharSequence("id: " + id + "\n", StandardCharsets.US_ASCII);
        }
        out.writeCharSequence("event: " + name + "\ndata: ", StandardCharsets.US_ASCII);
        out.writeBytes(json);
        json.release();
        out.writeByte('\n').writeByte('\n');
        write(out);
    }

    private ByteBuf ascii(String text) {
        return channel.alloc().buffer(text.length()).writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void write(ByteBuf bytes) {
        write(bytes, 0);
    }

    /** Writes and flushes {@code bytes}, an event carrying {@code messages} messages (0 for others). */
    private void write(ByteBuf bytes, int messages) {
        info.sent(messages, bytes.readableBytes());
        channel.writeAndFlush(new DefaultHttpContent(bytes), channel.voidPromise());
    }

    /** An internal failure: the stream ends at once. */
    void internalError(Throwable cause) {
        failed("internal: " + cause, CloseCodes.INTERNAL_ERROR);
        channel.close();
    }
}
