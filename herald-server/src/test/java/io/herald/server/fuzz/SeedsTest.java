package io.herald.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The fuzzer's seed inputs say what they mean: the committed files hold {@link Seeds#all()}, each
 * reads back as the actions it was written from, and each connection ends as its seed says. This
 * also shows that the harness sees real answers, not just no failures.
 */
class SeedsTest {
    @Test
    void committedInputsAreTheSeeds() throws IOException, URISyntaxException {
        URL url = SeedsTest.class.getResource(Seeds.RESOURCE_DIR);
        assertThat(url).as("resource directory " + Seeds.RESOURCE_DIR).isNotNull();
        Path dir = Path.of(url.toURI());
        for (Seeds.Seed s : Seeds.all()) {
            assertThat(dir.resolve(s.name())).as(s.name() + " is missing; write the inputs with Seeds write").exists();
            assertThat(Files.readAllBytes(dir.resolve(s.name())))
                    .as(s.name() + " is stale; write the inputs with Seeds write")
                    .isEqualTo(s.input().toByteArray());
        }
    }

    @TestFactory
    Stream<DynamicTest> eachSeedReadsBackAsWritten() {
        return Seeds.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            FuzzInput in = SeedWriter.read(s.input().toByteArray());
            ClientScript.initialChannel(in);
            ClientScript.upgradeToken(in);
            List<String> read = new ArrayList<>();
            while (!in.exhausted()) {
                read.add(ClientScript.next(in).toString());
            }
            assertThat(read).isEqualTo(s.input().actions().stream().map(Object::toString).toList());
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachSeedEndsAsItSays() {
        return Seeds.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            FuzzInput in = SeedWriter.read(s.input().toByteArray());
            try (FuzzConnection c = new FuzzConnection(ClientScript.initialChannel(in), ClientScript.upgradeToken(in))) {
                while (c.isOpen() && !in.exhausted()) {
                    ClientScript.next(in).perform(c);
                }
                assertThat(in.exhausted()).as("every action ran").isTrue();
                if (s.closeCode() == Seeds.OPEN) {
                    assertThat(c.isOpen()).as("open, answers " + c.answers().texts()).isTrue();
                } else {
                    assertThat(c.isOpen()).as("closed").isFalse();
                    assertThat(c.answers().closeCode()).as("close code").isEqualTo(s.closeCode() == 0 ? -1 : s.closeCode());
                }
            }
        }));
    }
}
