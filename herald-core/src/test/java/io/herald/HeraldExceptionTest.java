package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class HeraldExceptionTest {

    @Test
    void fromKeepsTheCodeOfAWrappedHeraldException() {
        HeraldException cause = HeraldException.forbidden("no");
        assertThat(HeraldException.from(new CompletionException(cause))).isSameAs(cause);
        assertThat(HeraldException.from(new ExecutionException(new CompletionException(cause)))).isSameAs(cause);
        assertThat(HeraldException.from(cause)).isSameAs(cause);
    }

    @Test
    void fromSeesThroughAFailedFutureJoined() {
        CompletableFuture<Void> f = CompletableFuture.failedFuture(HeraldException.engineUnavailable("down"));
        Throwable joined = f.handle((v, err) -> err).thenCompose(err -> CompletableFuture.failedFuture(new CompletionException(err)))
                .handle((v, err) -> err).join();
        assertThat(HeraldException.from(joined).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void fromMakesAnythingElseInternalKeepingTheCause() {
        IllegalStateException bug = new IllegalStateException("bug");
        HeraldException e = HeraldException.from(new CompletionException(bug));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.getCause()).isSameAs(bug);
        assertThat(e.getMessage()).doesNotContain("bug");
    }

    @Test
    void everyCodeHasOneHttpStatusAndAnUnavailableEngineIs503() {
        assertThat(ErrorCode.RATE_LIMITED.httpStatus()).isEqualTo(429);
        assertThat(HeraldException.engineUnavailable("Herald is closed").code().httpStatus()).isEqualTo(503);
        assertThat(HeraldException.unavailable("full").code().wire()).isEqualTo("unavailable");
    }

    @Test
    void withinPrefixesTheMessageAndKeepsTheCode() {
        HeraldException e = HeraldException.badRequest("invalid channel name").within("[1]");
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).isEqualTo("[1]: invalid channel name");
    }
}
