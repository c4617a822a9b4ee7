package io.herald.examples.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.examples.support.DevTokens;
import io.herald.examples.support.ExampleStack;
import io.herald.examples.support.ExampleSite.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The task queue example: Herald embedded, the {@link TaskService} (a client of Herald like any
 * other service) and the page, served by the example's own site. Started by
 * {@code examples/task-queue/run}; see the README beside it.
 *
 * <p>The site answers: where Herald is ({@code GET /api/config}), a token for one user
 * ({@code GET /api/token?user=alice}: the lifecycle, the status and {@code user:alice}), and a new
 * task ({@code POST /api/tasks} {@code {"user","name","fail"?}}), which it hands to the service as a
 * {@code submit} command on {@value TaskService#COMMANDS}.
 */
@Command(name = "task-queue", mixinStandardHelpOptions = true, sortOptions = false, version = "Herald example: task queue",
        description = "Runs fake tasks through a queue and shows their lifecycle, the queue and each user's notifications in a page.")
public final class TaskQueueExample implements Callable<Integer>, AutoCloseable {
    private static final Pattern USER = Pattern.compile("[a-z0-9_-]{1,32}");

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the page and of Herald (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8095", description = "The page's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--herald-port", defaultValue = "8094", description = "Herald's port (default: ${DEFAULT-VALUE}).")
    int heraldPort;

    @Option(names = "--step-ms", defaultValue = "800", description = "Milliseconds between two steps of a task (default: ${DEFAULT-VALUE}).")
    long stepMillis;

    private ExampleStack stack;
    private TaskService service;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TaskQueueExample()).execute(args));
    }

    /** Starts with the options as given on a command line, e.g. {@code "--port", "0"} (tests). */
    static TaskQueueExample start(String... args) {
        return CommandLine.populateCommand(new TaskQueueExample(), args).start();
    }

    @Override
    public Integer call() throws InterruptedException {
        start();
        System.out.printf("%nTask queue: open %s/?user=alice and %s/?user=bob in a browser (Herald on %s). Ctrl-C stops.%n%n",
                stack.pageUrl(), stack.pageUrl(), stack.heraldUrl());
        stack.awaitClose("task-queue-shutdown");
        return 0;
    }

    TaskQueueExample start() {
        HeraldConfig config = HeraldConfig.newBuilder()
                .namespaces(Map.of(
                        "tasks", NamespaceOptions.newBuilder().historySize(1000).historyTtl(Duration.ofMinutes(10)).build(),
                        "queue", NamespaceOptions.newBuilder().retained(true).build(),
                        "user", NamespaceOptions.newBuilder().historySize(100).historyTtl(Duration.ofMinutes(10)).build()))
                .build();
        stack = ExampleStack.start(host, port, heraldPort, "io/herald/examples/tasks/site", config, true);
        DevTokens tokens = stack.tokens();
        service = stack.closing(new TaskService(URI.create("ws://" + host + ":" + stack.heraldPort() + "/ws"),
                tokens.mint("task-service", List.of(TaskService.COMMANDS), Duration.ofDays(1)),
                URI.create(stack.heraldUrl()), stack.publishKey(), Duration.ofMillis(stepMillis)));
        service.start().orTimeout(30, TimeUnit.SECONDS).join();
        stack.site().route("GET", "/api/config", r -> Reply.json(Map.of("herald", stack.heraldUrl())))
                .route("GET", "/api/token", r -> {
                    String user = user(r.query().getOrDefault("user", ""));
                    return Reply.text(tokens.mint(user, List.of(TaskService.LIFECYCLE, TaskService.STATUS, "user:" + user),
                            Duration.ofMinutes(15)));
                })
                .route("POST", "/api/tasks", r -> submit(r.json()));
        return this;
    }

    /** Hands a task to the service: a {@code submit} command, published with Herald's Java API. */
    private Reply submit(JsonNode body) {
        String user = user(body.path("user").asText(""));
        String name = body.path("name").asText("").strip();
        if (name.isEmpty() || name.length() > 80) {
            throw new IllegalArgumentException("a task's name is 1 to 80 characters");
        }
        Map<String, Object> command = Map.of("user", user, "name", name, "fail", body.path("fail").asBoolean(false));
        long offset = stack.herald().publish(TaskService.COMMANDS, "submit", command).join().offset();
        return Reply.json(202, Map.of("task", "t" + offset));
    }

    private static String user(String user) {
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("a user is 1 to 32 of a-z 0-9 _ -, was '" + user + "'");
        }
        return user;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8095}. */
    String pageUrl() {
        return stack.pageUrl();
    }

    String heraldUrl() {
        return stack.heraldUrl();
    }

    Herald herald() {
        return stack.herald();
    }

    /** Stops the service, then Herald (pages are told to come back later), then the site. */
    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
