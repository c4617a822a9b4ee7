package io.herald.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleStackTest {
    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void servesThePageAndHeraldThenStopsTheExamplesWorkBeforeHeraldAndTheSiteLast() throws Exception {
        ExampleStack stack = ExampleStack.start("127.0.0.1", 0, 0, "io/herald/examples/support/test-site",
                HeraldConfig.newBuilder().build(), true);
        List<String> order = new ArrayList<>();
        stack.closing(() -> order.add("first registered, herald open: " + !stack.herald().isClosed()));
        stack.closing(() -> order.add("last registered, herald open: " + !stack.herald().isClosed()));
        assertThat(status(stack.heraldUrl() + "/health")).isEqualTo(200);
        assertThat(stack.publishKey()).hasSize(48);
        stack.close();
        stack.close(); // once only
        assertThat(order).containsExactly("last registered, herald open: true", "first registered, herald open: true");
        assertThat(stack.herald().isClosed()).isTrue();
        assertThatThrownBy(() -> status(stack.pageUrl() + "/")).isInstanceOf(java.io.IOException.class);
    }
}
