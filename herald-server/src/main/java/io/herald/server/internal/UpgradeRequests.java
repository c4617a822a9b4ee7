package io.herald.server.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks a WebSocket upgrade request against RFC 6455 §4.2.1 before the router changes anything in
 * the pipeline, so that a refused upgrade is answered and closed and never leaves a half-installed
 * connection. Only version 13 is served: Netty would otherwise answer a request without
 * {@code Sec-WebSocket-Version} with the obsolete hixie-76 handshake, which echoes the URL (and its
 * {@code ?token=}) in a header. Stateless.
 */
final class UpgradeRequests {
    /** The one protocol version served (RFC 6455). */
    static final String VERSION = "13";
    /** The length of a base64 {@code Sec-WebSocket-Key}: 16 bytes, padded. */
    private static final int KEY_LENGTH = 24;

    private UpgradeRequests() {
    }

    /** Why an upgrade is refused: the HTTP status and a message for the client. */
    record Refusal(HttpResponseStatus status, String message) {
        /** {@code 426} asks the client to retry with version 13 ({@code Sec-WebSocket-Version: 13}). */
        boolean wrongVersion() {
            return status.equals(HttpResponseStatus.UPGRADE_REQUIRED);
        }
    }

    /** The reason to refuse {@code req}, or empty when it is a valid version 13 upgrade. */
    static Optional<Refusal> check(HttpRequest req) {
        HttpHeaders h = req.headers();
        if (!h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return bad("this endpoint needs a WebSocket upgrade (Upgrade: websocket)");
        }
        if (!h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return bad("a WebSocket upgrade needs Connection: Upgrade");
        }
        String version = h.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (version == null) {
            return bad("a WebSocket upgrade needs Sec-WebSocket-Version: " + VERSION);
        }
        if (!version.trim().equals(VERSION)) {
            return Optional.of(new Refusal(HttpResponseStatus.UPGRADE_REQUIRED,
                    "unsupported WebSocket version; this server speaks version " + VERSION + " (RFC 6455)"));
        }
        if (!validKey(h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
            return bad("Sec-WebSocket-Key must be the base64 encoding of 16 bytes");
        }
        return Optional.empty();
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.trim();
        if (k.length() != KEY_LENGTH) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(k).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static Optional<Refusal> bad(String message) {
        return Optional.of(new Refusal(HttpResponseStatus.BAD_REQUEST, message));
    }
}
