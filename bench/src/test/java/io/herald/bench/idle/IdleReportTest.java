package io.herald.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdleReportTest {
    /** What bench/idle.sh writes for one server: heap on the line base + perConn × connections. */
    static String serverJson(String name, long heapBase, long perConn) {
        StringBuilder s = new StringBuilder("{\"scenario\":\"idle\",\"server\":\"" + name + "\",\"serverArgs\":\"x\","
                + "\"heapSource\":\"jstat\",\"error\":\"\",\"samples\":[");
        long[] counts = {0, 500, 1000, 2000};
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            s.append(i == 0 ? "" : ",").append("{\"target\":").append(c).append(",\"connections\":").append(c)
                    .append(",\"failed\":0,\"heapBytes\":").append(heapBase + perConn * c)
                    .append(",\"heapCommittedBytes\":").append(2 * (heapBase + perConn * c))
                    .append(",\"rssBytes\":").append(100_000_000 + 3 * perConn * c)
                    .append(",\"tcpMemPages\":").append(40 + c / 500).append(",\"tcpInuse\":").append(10 + 2 * c)
                    .append(",\"fds\":").append(25 + c).append(",\"slab\":{\"TCP\":").append(10_000 + 4736 * c).append("}}");
        }
        return s.append("]}").toString();
    }

    @Test
    void readsTheScriptsJsonAndReportsSlopesRatiosAndTheProjection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("raw-netty.json"), serverJson("raw-netty", 10_000_000, 1900));
        Files.writeString(dir.resolve("herald.json"), serverJson("herald", 30_000_000, 1995));
        Files.writeString(dir.resolve("other.json"), "{\"scenario\":\"fanout\"}");
        Path out = dir.resolve("report.md");
        Path summary = dir.resolve("summary.json");

        IdleReport.main(new String[] {"--out", out.toString(), "--summary", summary.toString(), "--command", "bench/idle.sh --counts 500,1000,2000",
                "--nofile-hard", "20000", "--nr-open", "1048576", "--file-max", "2466170", "--port-range", "32768\t60999",
                "--tcp-mem", "287898 383867 575796", "--object-sizes", "TCP=2368,sock_inode_cache=832,filp=192,dentry=192,eventpoll_epi=128",
                dir.toString()});

        List<IdleRun> runs = IdleReport.read(List.of(dir.toString()));
        assertThat(runs).extracting(IdleRun::name).containsExactly("herald", "raw-netty");
        String md = Files.readString(out);
        assertThat(md).contains("Command: `bench/idle.sh --counts 500,1000,2000`")
                .contains("| herald | 2,000 | 1,995 B | 1.0000 | 5,985 B |")
                .contains("1.05×")
                .contains("within the target")
                .contains("| 2,000 | 2,000 | 0 |")
                .contains("1,000,025")
                .contains("at least 36 source addresses")
                .contains("16 with the widest")
                .contains("typical of Linux 6.18 x86-64 for eventpoll_pwq");
        JsonNode s = new ObjectMapper().readTree(summary.toFile());
        JsonNode h = s.path("servers").path("herald");
        assertThat(h.path("heapBytesPerConnection").path("slope").asDouble()).isCloseTo(1995, within(1e-6));
        assertThat(h.path("heapSlopeRatioToRawNetty").asDouble()).isCloseTo(1995 / 1900.0, within(1e-9));
        // 1 page per 500 connections, both ends: 4096 / 500 / 2 per server socket
        assertThat(h.path("tcpBufferBytesPerServerSocket").asDouble()).isCloseTo(4.096, within(1e-9));
        assertThat(h.path("socketSlabBytesPerServerSocket").asDouble()).isCloseTo(2368, within(1e-6));
        assertThat(h.path("projection1M").path("heapBytes").asDouble()).isCloseTo(30_000_000 + 1995e6, within(1e-2));
        assertThat(h.path("projection1M").path("fdsNeeded").asLong()).isEqualTo(1_000_025);
        assertThat(s.path("host").path("minimumSocketBytes").asLong()).isEqualTo(3776);
    }

    @Test
    void aHeraldSlopeAboveTwoKibIsFlagged(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("herald.json"), serverJson("herald", 30_000_000, 2500));
        Path out = dir.resolve("r.md");

        IdleReport.main(new String[] {"--out", out.toString(), dir.toString()});

        assertThat(Files.readString(out)).contains("**above the target**").doesNotContain("raw-netty's floor");
    }
}
