package io.herald.bench.peers.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/publish} ({@code {"channel","event","data"}}) and {@code GET /health}. */
@RestController
public class PublishController {
    private final BroadcastHandler handler;
    private final ObjectMapper json;
    private final AtomicLong offsets = new AtomicLong();

    public PublishController(BroadcastHandler handler, ObjectMapper json) {
        this.handler = handler;
        this.json = json;
    }

    @PostMapping("/api/publish")
    public Map<String, Integer> publish(@RequestBody JsonNode body) throws JsonProcessingException {
        String channel = body.path("channel").asText();
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "message").put("channel", channel).put("event", body.path("event").asText())
                .put("offset", offsets.incrementAndGet()).put("ts", System.currentTimeMillis())
                .set("data", body.path("data"));
        return Map.of("subscribers", handler.broadcast(channel, json.writeValueAsString(frame)));
    }

    @GetMapping("/health")
    public Map<String, String> health() {
        return Map.of("status", "up");
    }
}
