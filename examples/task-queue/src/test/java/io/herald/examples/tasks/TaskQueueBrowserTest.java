package io.herald.examples.tasks;

import static org.awaitility.Awaitility.await;

import io.herald.examples.support.BrowserScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example in Chromium, started as its README starts it (with free ports and short steps). */
class TaskQueueBrowserTest {
    private static final Path SCRIPT = Path.of("src/test/e2e/task-queue.mjs");

    @BeforeAll
    static void browser() {
        BrowserScript.requireBrowser();
    }

    @Test
    void eachUserSeesEveryLifecycleInOrderWithTheEventsAskedForAndOnlyTheirOwnNotifications() {
        try (TaskQueueExample example = TaskQueueExample.start("--port", "0", "--herald-port", "0", "--step-ms", "150")) {
            BrowserScript.run(SCRIPT, List.of(example.pageUrl(), BrowserScript.screenshot().toString()),
                    command -> {
                        String[] words = command.split(" ");
                        if (!words[0].equals("subscribers")) {
                            throw new AssertionError("unexpected @" + command);
                        }
                        int n = Integer.parseInt(words[2]);
                        await().atMost(Duration.ofSeconds(20)).until(() -> example.herald().subscriberCount(words[1]) >= n);
                        return "ok";
                    }, Duration.ofMinutes(2));
        }
    }
}
