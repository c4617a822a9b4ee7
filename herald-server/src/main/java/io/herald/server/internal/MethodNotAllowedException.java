package io.herald.server.internal;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request with a method its path does not take: {@code 405 method_not_allowed}, with the
 * methods the path does take for the answer's {@code Allow} header.
 */
final class MethodNotAllowedException extends HeraldException {
    private final List<HttpMethod> allowed;

    private MethodNotAllowedException(String message, List<HttpMethod> allowed) {
        super(ErrorCode.METHOD_NOT_ALLOWED, message, false);
        this.allowed = allowed;
    }

    /** {@code actual} on a path that takes only {@code allowed}. */
    static MethodNotAllowedException of(HttpMethod actual, HttpMethod... allowed) {
        String names = Arrays.stream(allowed).map(HttpMethod::name).collect(Collectors.joining(" or "));
        return new MethodNotAllowedException("method " + actual + " not allowed; use " + names, List.of(allowed));
    }

    /** The {@code Allow} header's value, e.g. {@code GET, DELETE}. */
    String allowHeader() {
        return allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    }
}
