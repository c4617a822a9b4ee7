package io.herald.examples.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.Publication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the application knows about one scan: the results it published so far, as its database
 * would hold them, and the channel position they go up to. A page loads them as a
 * {@linkplain #snapshot() snapshot} and then subscribes from that position, so it misses nothing
 * between the two, after a reload as on its first load.
 *
 * <p>Thread-safe: the publisher applies each publication in offset order, pages read snapshots;
 * both under this object's lock.
 */
final class ScanResults {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final int id;
    private final String channel;
    private final long seed;
    private final Map<String, ObjectNode> hosts = new LinkedHashMap<>();
    private final List<JsonNode> phases = new ArrayList<>();
    private final List<JsonNode> vulns = new ArrayList<>();
    private final List<JsonNode> errors = new ArrayList<>();
    private JsonNode started;
    private JsonNode progress;
    private JsonNode stats;
    private JsonNode completed;
    private int ports;
    private String epoch = "";
    private long offset;
    private long published;

    ScanResults(int id, String channel, long seed) {
        this.id = id;
        this.channel = channel;
        this.seed = seed;
    }

    int id() {
        return id;
    }

    String channel() {
        return channel;
    }

    /** Takes a publication of this scan's channel into the results (in offset order). */
    synchronized void apply(Publication p) {
        JsonNode data = p.message().data();
        ObjectNode m = NODES.objectNode().put("offset", p.offset()).put("ts", p.ts());
        m.setAll((ObjectNode) data);
        switch (p.event()) {
            case "scanStarted" -> started = m;
            case "phaseStarted" -> phases.add(m);
            case "progress" -> progress = m;
            case "stats" -> stats = m;
            case "hostDiscovered" -> {
                ObjectNode host = host((ObjectNode) data);
                ObjectNode before = hosts.put(data.path("ip").asText(), host);
                if (before != null) { // its ports came first: keep them
                    ((ArrayNode) host.get("ports")).addAll((ArrayNode) before.get("ports"));
                }
            }
            case "portFound" -> {
                ObjectNode host = hosts.computeIfAbsent(data.path("ip").asText(),
                        ip -> host(NODES.objectNode().put("ip", ip)));
                ((ArrayNode) host.get("ports")).addObject().put("port", data.path("port").asInt())
                        .put("service", data.path("service").asText());
                ports++;
            }
            case "vulnerabilityFound" -> vulns.add(m);
            case "error" -> errors.add(m);
            case "scanCompleted" -> completed = m;
            default -> {
                // an event this page does not show: counted, nothing more
            }
        }
        epoch = p.epoch();
        offset = p.offset();
        published++;
    }

    /** A discovered host (its address, name, OS and round trip) with an empty list of open ports. */
    private static ObjectNode host(ObjectNode discovered) {
        ObjectNode h = discovered.deepCopy();
        h.putArray("ports");
        return h;
    }

    /** Whether the final {@code scanCompleted} was published. */
    synchronized boolean completed() {
        return completed != null;
    }

    /**
     * Everything published so far and the position it goes up to ({@code epoch}, {@code offset}):
     * a page subscribes with that position as {@code since} and gets the rest.
     */
    synchronized ObjectNode snapshot() {
        ObjectNode s = summary();
        s.putObject("position").put("epoch", epoch).put("offset", offset);
        s.set("started", started);
        s.set("progress", progress);
        s.set("stats", stats);
        s.set("completed", completed);
        s.putArray("phases").addAll(phases);
        s.putArray("errors").addAll(errors);
        s.putArray("vulns").addAll(vulns);
        ArrayNode h = s.putArray("hosts");
        hosts.values().forEach(host -> h.add(host.deepCopy()));
        return s;
    }

    /** The counts of this scan, for the overview of every scan. */
    synchronized ObjectNode summary() {
        ObjectNode s = NODES.objectNode()
                .put("id", id)
                .put("channel", channel)
                .put("seed", seed)
                .put("state", completed != null ? "completed" : started != null ? "running" : "starting")
                .put("scanId", started == null ? null : started.path("scanId").asText())
                .put("target", started == null ? null : started.path("target").asText())
                .put("pct", completed != null ? 100 : progress == null ? 0 : progress.path("pct").asDouble())
                .put("phase", progress == null ? null : progress.path("phase").asText())
                .put("hosts", hosts.size())
                .put("ports", ports)
                .put("vulns", vulns.size())
                .put("errors", errors.size())
                .put("publishedByApp", published);
        if (started != null) {
            s.put("startedAt", started.path("ts").asLong());
        }
        if (completed != null) {
            s.put("completedAt", completed.path("ts").asLong());
        }
        return s;
    }
}
