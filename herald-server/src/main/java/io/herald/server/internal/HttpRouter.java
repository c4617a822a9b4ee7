package io.herald.server.internal;

import io.herald.ChannelNames;
import io.herald.HeraldException;
import io.herald.StreamPosition;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.herald.server.internal.auth.ApiKeys.Role;
import io.herald.server.internal.auth.Authenticator;
import io.herald.server.internal.auth.Permissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines on purpose: the one table of routes, with the checks that must run before each
// (method, credentials, upgrade, SSE); the handlers themselves live in HttpApi, AdminApi and the transports.
/**
 * Routes HTTP requests to the API, upgrades {@code /ws} and {@code /ws/{channel}} to WebSocket,
 * starts SSE streams ({@code /sse}) and serves the browser client ({@code /herald.js}) and the
 * dashboard ({@code /}).
 * Holds no per-connection state, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** {@code /api/channels/{channel}/history}: a channel's history (a channel named {@code x/history} is read as x's). */
    private static final String HISTORY = "/history";
    /** {@code DELETE /api/channels/{channel}/state?key=}: removes a key of the retained state. */
    private static final String STATE = "/state";
    /** {@code GET /api/channels/{ch}/subscribers}: for publishers (a publish key), not only admins. */
    private static final String SUBSCRIBERS = "/subscribers";
    /** {@code GET /api/openapi.json}: the description of this API, open to everyone. */
    static final String OPENAPI = "/api/openapi.json";

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final ServerContext server;
    private final HttpApi api;
    private final AdminApi admin;
    private final OpenApiDocument openApi;
    private final TokenApi tokens;
    /** The browser client's bundles and the dashboard by path, read when the server starts. */
    private final Map<String, StaticFiles.Lookup> files;
    /** For clients that offer permessage-deflate, and for those that do not (reserved bits fail). */
    private final WebSocketDecoderConfig decoderConfig;
    private final WebSocketDecoderConfig plainDecoderConfig;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();

    HttpRouter(ServerContext server) {
        this.server = server;
        this.api = new HttpApi(server);
        this.admin = new AdminApi(server);
        this.openApi = OpenApiDocument.get();
        this.tokens = new TokenApi(server);
        this.files = StaticFiles.load();
        this.decoderConfig = WebSocketPipeline.decoderConfig(server.config(), true);
        this.plainDecoderConfig = WebSocketPipeline.decoderConfig(server.config(), false);
        this.idPrefix = Long.toString(System.nanoTime() & 0xFFFFFF, 36) + "-";
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        RequestDeadline deadline = ctx.pipeline().get(RequestDeadline.class);
        if (deadline != null) {
            deadline.complete();
        }
        if (!req.decoderResult().isSuccess()) {
            refuseUndecodable(ctx, req.decoderResult().cause());
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        String path = query.path();
        boolean upgradePath = path.equals("/ws") || path.startsWith("/ws/");
        // a refused upgrade closes the connection: whatever the client sends next was meant for a WebSocket
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !upgradePath;
        boolean api = path.startsWith("/api/") || path.equals("/health") || path.equals("/metrics");
        // the answers written for this request name its origin when allowedOrigins allows it (CORS)
        ctx.channel().attr(Cors.ORIGIN).set(api ? Cors.allowedOrigin(server, req) : null);
        try {
            if (api && req.method().equals(HttpMethod.OPTIONS)) {
                Cors.preflight(ctx, server, req, Cors.API_METHODS, Cors.API_HEADERS);
                return;
            }
            route(ctx, req, path, query, keepAlive);
        } catch (HeraldException e) {
            server.badInput(remote(ctx), e);
            HttpResponses.error(ctx, keepAlive, e);
        } catch (RuntimeException e) {
            server.unexpected(log, req.method() + " " + abbreviate(path), e);
            HttpResponses.error(ctx, keepAlive, HeraldException.internal("internal error", e));
        }
    }

    /**
     * Finds the endpoint first, then checks the method, then the credentials it needs: an unknown
     * path is {@code not_found} whoever asks, and a known one says what it needs.
     */
    private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, QueryStringDecoder query,
            boolean keepAlive) {
        HttpMethod method = req.method();
        if (path.equals("/ws") || path.startsWith("/ws/")) {
            requireMethod(method, HttpMethod.GET);
            upgrade(ctx, req, path.length() > 4 ? ChannelNames.validate(path.substring(4)) : null, query);
        } else if (path.equals("/sse")) {
            if (method.equals(HttpMethod.OPTIONS)) {
                Cors.preflight(ctx, server, req, Cors.SSE_METHODS, Cors.SSE_HEADERS);
                return;
            }
            requireMethod(method, HttpMethod.GET);
            stream(ctx, req, query);
        } else if (files.containsKey(path)) {
            requireMethod(method, HttpMethod.GET);
            StaticFiles.serve(ctx, req, files.get(path), keepAlive);
        } else if (path.equals("/health")) {
            requireMethod(method, HttpMethod.GET);
            api.health(ctx, keepAlive);
        } else if (path.equals("/metrics")) {
            requireMethod(method, HttpMethod.GET);
            api.metrics(ctx, keepAlive);
        } else if (path.equals(OPENAPI)) {
            requireMethod(method, HttpMethod.GET);
            openApi.answer(ctx, req, keepAlive);
        } else if (path.equals("/api/publish")) {
            requireMethod(method, HttpMethod.POST);
            authorize(req, Role.PUBLISH);
            api.publish(ctx, req, keepAlive);
        } else if (path.equals("/api/broadcast")) {
            requireMethod(method, HttpMethod.POST);
            authorize(req, Role.PUBLISH);
            api.broadcast(ctx, req, keepAlive);
        } else if (path.equals("/api/tokens")) {
            requireMethod(method, HttpMethod.POST);
            authorize(req, Role.ADMIN);
            tokens.mint(ctx, req, keepAlive);
        } else if (path.equals("/api/stats")) {
            requireMethod(method, HttpMethod.GET);
            authorize(req, Role.ADMIN);
            admin.stats(ctx, keepAlive, query);
        } else if (path.equals("/api/channels")) {
            requireMethod(method, HttpMethod.GET);
            authorize(req, Role.ADMIN);
            admin.listChannels(ctx, keepAlive, query);
        } else if (path.startsWith("/api/channels/") && path.endsWith(SUBSCRIBERS)
                && path.length() > 14 + SUBSCRIBERS.length()) {
            // a publisher asks whether anybody watches (0 for a channel nobody touched)
            requireMethod(method, HttpMethod.GET);
            authorize(req, Role.PUBLISH);
            admin.subscribers(ctx, keepAlive,
                    ChannelNames.validate(path.substring(14, path.length() - SUBSCRIBERS.length())));
        } else if (path.startsWith("/api/channels/") && path.endsWith(STATE) && path.length() > 14 + STATE.length()
                && method.equals(HttpMethod.DELETE)) {
            // a publisher removes a key of a channel's retained state
            authorize(req, Role.PUBLISH);
            admin.removeState(ctx, keepAlive, ChannelNames.validate(path.substring(14, path.length() - STATE.length())), query);
        } else if (path.startsWith("/api/channels/") && path.length() > 14) {
            String channel = path.substring(14);
            requireMethod(method, HttpMethod.GET, HttpMethod.DELETE);
            authorize(req, Role.ADMIN);
            if (method.equals(HttpMethod.GET) && channel.endsWith(HISTORY) && channel.length() > HISTORY.length()) {
                admin.history(ctx, keepAlive, ChannelNames.validate(channel.substring(0, channel.length() - HISTORY.length())),
                        query);
            } else if (method.equals(HttpMethod.DELETE)) {
                admin.deleteChannel(ctx, keepAlive, channel);
            } else {
                admin.channel(ctx, keepAlive, ChannelNames.validate(channel));
            }
        } else if (path.equals("/api/connections")) {
            requireMethod(method, HttpMethod.GET);
            authorize(req, Role.ADMIN);
            admin.connections(ctx, keepAlive, query);
        } else if (path.startsWith("/api/connections/") && path.length() > 17) {
            requireMethod(method, HttpMethod.DELETE);
            authorize(req, Role.ADMIN);
            admin.closeConnection(ctx, keepAlive, path.substring(17));
        } else {
            throw HeraldException.notFound("no such endpoint: " + method + " " + abbreviate(path));
        }
    }

    /**
     * Answers a request the codec could not decode and closes: 431 or 414, the forms of 413
     * ({@code too_large}) that HTTP defines for the head of a request, else 400.
     */
    private void refuseUndecodable(ChannelHandlerContext ctx, Throwable cause) {
        HeraldException e;
        HttpResponseStatus status;
        if (cause instanceof TooLongHttpHeaderException) {
            e = HeraldException.tooLarge("request headers too large");
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else if (cause instanceof TooLongHttpLineException) {
            e = HeraldException.tooLarge("request line too long");
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        } else {
            e = HeraldException.badRequest("malformed HTTP request");
            status = HttpResponseStatus.BAD_REQUEST;
        }
        server.badInput(remote(ctx), e.within(cause.toString()));
        HttpResponses.error(ctx, false, e, status, EmptyHttpHeaders.INSTANCE);
    }

    /** Checks the request's API key or admin token for {@code needed}; throws 401 or 403 otherwise. */
    private void authorize(FullHttpRequest req, Role needed) {
        server.auth().authorizeApi(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.headers().get(Authenticator.API_KEY_HEADER), needed);
    }

    /**
     * Upgrades to WebSocket. Everything an upgrade can be refused for is checked before the pipeline
     * changes; each refusal is a JSON error with {@code Connection: close}. The connection limits
     * were applied at accept ({@link ConnectionGate}).
     */
    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String initialChannel, QueryStringDecoder query) {
        Optional<UpgradeRequests.Refusal> refusal = UpgradeRequests.check(req);
        if (refusal.isPresent()) {
            UpgradeRequests.Refusal r = refusal.get();
            HeraldException e = HeraldException.badRequest(r.message());
            server.badInput(remote(ctx), e);
            HttpHeaders headers = r.wrongVersion()
                    ? new DefaultHttpHeaders().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, UpgradeRequests.VERSION)
                    : EmptyHttpHeaders.INSTANCE;
            HttpResponses.error(ctx, false, e, r.status(), headers);
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!server.auth().originAllowed(origin, req.headers().get(HttpHeaderNames.HOST))) {
            HeraldException e = HeraldException.forbidden("origin not allowed: " + abbreviate(origin));
            server.badInput(remote(ctx), e);
            HttpResponses.error(ctx, false, e);
            return;
        }
        String token = query.parameters().containsKey("token") ? query.parameters().get("token").get(0)
                : Authenticator.bearerToken(req.headers().get(HttpHeaderNames.AUTHORIZATION)).orElse(null);
        if (server.draining()) {
            HttpResponses.error(ctx, false, HeraldException.unavailable("the server is shutting down"));
            return;
        }
        StreamPosition since = null;
        if (query.parameters().containsKey("since")) {
            if (initialChannel == null) {
                throw HeraldException.badRequest("'since' goes with a channel: /ws/{channel}?since=epoch:offset");
            }
            since = ClientCommands.since(query.parameters().get("since").get(0));
        }
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshaker13(url, null,
                WebSocketPipeline.deflateOffered(req) ? decoderConfig : plainDecoderConfig);
        ConnectionInfo info = newInfo(ctx, req);
        WebSocketHandler session = new WebSocketHandler(server,
                new WebSocketConnection(server, ctx.channel(), info, initialChannel, since, token));
        ChannelPipeline p = ctx.pipeline();
        WebSocketPipeline.install(p, ctx.name(), server.config(), session);
        if (p.get(RequestDeadline.NAME) != null) {
            p.remove(RequestDeadline.NAME);
        }
        try {
            handshaker.handshake(ctx.channel(), req).addListener(f -> {
                if (f.isSuccess()) {
                    session.opened();
                } else {
                    log.debug("handshake with {} failed: {}", info.remoteIp(), f.cause().toString());
                    ctx.channel().close();
                }
            });
        } catch (WebSocketHandshakeException e) {
            // UpgradeRequests checked what Netty checks, so this is not expected; the handshaker throws
            // before it touches the pipeline, and the caller answers and closes
            WebSocketPipeline.uninstall(p);
            throw HeraldException.badRequest("bad WebSocket handshake: " + e.getMessage());
        }
        p.remove(this);
    }

    /**
     * Starts an SSE stream (SPEC §5.2). Everything it can be refused for is answered before the
     * response starts: the request (400), its credentials (401), a channel or an origin it may not
     * use (403), a draining server (503). The connection limits were applied at accept
     * ({@link ConnectionGate}); the user's limit applies when the connection opens.
     */
    private void stream(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder query) {
        SseRequests.Stream request = SseRequests.parse(req, query, server.config().maxSubscriptions());
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!server.auth().originAllowed(origin, req.headers().get(HttpHeaderNames.HOST))) {
            throw HeraldException.forbidden("origin not allowed: " + abbreviate(origin));
        }
        if (server.draining()) {
            throw HeraldException.unavailable("the server is shutting down");
        }
        Permissions permissions = server.auth().authenticate(request.token());
        for (String ch : request.channels()) {
            permissions.checkSubscribe(ch);
        }
        SseConnection connection = new SseConnection(server, ctx.channel(), newInfo(ctx, req), request,
                Cors.headers(origin));
        ChannelPipeline p = ctx.pipeline();
        for (String name : new String[] {RequestDeadline.NAME, "http-aggregator", "ws-deflate"}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        p.replace(this, SseHandler.NAME, new SseHandler(server, connection));
        connection.start();
    }

    private ConnectionInfo newInfo(ChannelHandlerContext ctx, FullHttpRequest req) {
        return new ConnectionInfo(idPrefix + Long.toString(ids.incrementAndGet(), 36),
                server.clock().epochMillis(), remote(ctx), req.headers().get(HttpHeaderNames.USER_AGENT, ""));
    }

    /** Throws {@code 405 method_not_allowed}, naming {@code allowed}, unless {@code actual} is one of them. */
    private static void requireMethod(HttpMethod actual, HttpMethod... allowed) {
        for (HttpMethod m : allowed) {
            if (actual.equals(m)) {
                return;
            }
        }
        throw MethodNotAllowedException.of(actual, allowed);
    }

    private static String remote(ChannelHandlerContext ctx) {
        return ServerContext.remoteIp(ctx.channel());
    }

    private static String abbreviate(String s) {
        return s == null ? null : s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {}: {}", remote(ctx), cause.toString());
        ctx.close();
    }
}
