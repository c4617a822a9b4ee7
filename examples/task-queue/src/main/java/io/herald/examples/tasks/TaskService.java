package io.herald.examples.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.client.ChannelMessage;
import io.herald.client.HeraldClient;
import io.herald.client.SubscribeOptions;
import io.herald.examples.support.HttpPublisher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task service: a Java process that knows Herald only as a client. It takes {@code submit}
 * commands from {@value #COMMANDS} with the Java client ({@code herald-client}, a token for that
 * channel only), runs each task through its lifecycle one at a time (queued, started, progress,
 * completed or failed) and publishes with a publish key over Herald's HTTP API:
 * <ul>
 * <li>the lifecycle on {@value #LIFECYCLE}, in order, for every page;</li>
 * <li>the queue's counts on {@value #STATUS}, a retained channel (a page opened later sees them at once);</li>
 * <li>a notification to the task's owner on {@code user:<id>}, a channel only that user may read.</li>
 * </ul>
 * Each step is one array publish (lifecycle event, status, notification), so a page never sees the
 * counts and the lifecycle disagree. All work runs on one thread, in order; a task's steps are
 * {@code step} apart.
 */
final class TaskService implements AutoCloseable {
    static final String COMMANDS = "tasks:commands";
    static final String LIFECYCLE = "tasks:queue";
    static final String STATUS = "queue:status";
    private static final Logger log = LoggerFactory.getLogger(TaskService.class);
    private static final int[] PROGRESS = {25, 50, 75};

    private final HttpPublisher publisher;
    private final Duration step;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-service");
        t.setDaemon(true);
        return t;
    });
    private final HeraldClient client;

    // worker thread only
    private final Queue<Task> waiting = new ArrayDeque<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private Task running;

    record Task(String id, String user, String name, boolean fails) {
        Map<String, Object> data(String state) {
            return Map.of("id", id, "user", user, "name", name, "state", state);
        }
    }

    /** Connects to Herald at {@code ws} (its WebSocket endpoint) with {@code token}, and publishes at {@code http} with {@code publishKey}. */
    TaskService(URI ws, String token, URI http, String publishKey, Duration step) {
        this.publisher = new HttpPublisher(http, publishKey);
        this.step = step;
        this.client = HeraldClient.newBuilder(ws).token(token)
                .onStatus(s -> log.info("task service: {}", s))
                .build();
        for (String state : List.of("queued", "running", "completed", "failed")) {
            counts.put(state, 0);
        }
    }

    /** Subscribes to the commands and publishes the empty queue's status; completes once both are done. */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> published = CompletableFuture.runAsync(() -> publisher.publish(List.of(status())), worker);
        var commands = client.subscribe(COMMANDS, SubscribeOptions.newBuilder()
                .events(Set.of("submit"))
                // the client's thread must not block: the work goes to the worker
                .onMessage(m -> worker.execute(() -> submit(m)))
                .build());
        client.connect();
        return CompletableFuture.allOf(published, commands.ready());
    }

    private void submit(ChannelMessage command) {
        JsonNode d = command.data();
        String user = d.path("user").asText("");
        if (user.isEmpty()) {
            log.warn("a submit without a user at offset {}: ignored", command.offset());
            return;
        }
        Task task = new Task("t" + command.offset(), user, d.path("name").asText("task"), d.path("fail").asBoolean(false));
        waiting.add(task);
        counts.merge("queued", 1, Integer::sum);
        publish(task, "queued", task.data("queued"), null);
        if (running == null) {
            next();
        }
    }

    private void next() {
        running = waiting.poll();
        if (running == null) {
            return;
        }
        counts.merge("queued", -1, Integer::sum);
        counts.merge("running", 1, Integer::sum);
        publish(running, "started", running.data("running"), null);
        schedule(running, 0);
    }

    private void schedule(Task task, int stepIndex) {
        worker.schedule(() -> advance(task, stepIndex), step.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void advance(Task task, int stepIndex) {
        if (stepIndex < PROGRESS.length) {
            Map<String, Object> data = new LinkedHashMap<>(task.data("running"));
            data.put("pct", PROGRESS[stepIndex]);
            publish(task, "progress", data, null);
            schedule(task, stepIndex + 1);
            return;
        }
        String outcome = task.fails() ? "failed" : "completed";
        counts.merge("running", -1, Integer::sum);
        counts.merge(outcome, 1, Integer::sum);
        Map<String, Object> data = new LinkedHashMap<>(task.data(outcome));
        if (task.fails()) {
            data.put("error", "the fake task was asked to fail");
        }
        String text = task.fails() ? "Task " + task.name() + " (" + task.id() + ") failed" : "Task " + task.name() + " (" + task.id() + ") is done";
        publish(task, outcome, data, Map.of("task", task.id(), "level", task.fails() ? "error" : "info", "text", text));
        next();
    }

    private void publish(Task task, String event, Map<String, Object> data, Map<String, Object> notification) {
        List<ObjectNode> messages = new ArrayList<>(3);
        messages.add(HttpPublisher.message(LIFECYCLE, event, data));
        messages.add(status());
        if (notification != null) {
            messages.add(HttpPublisher.message("user:" + task.user(), "notification", notification).put("critical", true));
        }
        try {
            publisher.publish(messages);
        } catch (RuntimeException e) {
            log.warn("task {}: {} not published: {}", task.id(), event, e.getMessage());
        }
    }

    private ObjectNode status() {
        return HttpPublisher.message(STATUS, "status", counts).put("key", "status");
    }

    /** Closes the client, then stops the worker (a task in progress stops where it is). */
    @Override
    public void close() {
        client.close();
        worker.shutdownNow();
    }
}
