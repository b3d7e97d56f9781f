package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Test;

/**
 * The hub killed for real (SIGKILL of its process) halfway through a 10,000-row call log, then started again on the
 * same data directory (broker journal, database, drop folder): every complaint row is on the queues exactly once,
 * every bad row in quarantine exactly once, and the file ends in done/.
 */
class HotlineCrashTest {

    private static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    // batches of 200: the kill comes after 20 of them, about 4,000 rows of 10,000
    private static final List<String> SETTINGS = List.of("hub.hotline.read-lock-check-ms=200",
            "hub.hotline.poll-interval-ms=200", "hub.hotline.batch-size=200", "logging.level.org.complainthub.intake=DEBUG");

    @Test
    void killedHalfwayThroughAFileAndRestartedEveryComplaintIsQueuedExactlyOnce() throws Exception {
        Path data = Files.createTempDirectory("hotline-crash-");
        GenericExport.Written file;
        try (HubProcess first = HubProcess.start(data, "512m", JVM, SETTINGS)) {
            file = GenericExport.write(data.resolve("hotline").resolve("calls.csv"), 10_000);
            long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (batches(first) < 20 && System.nanoTime() < end) { // about 4,000 rows of 10,000 on the broker
                Thread.sleep(20);
            }
            first.kill();
            assertThat(batches(first)).as("batches queued before the kill").isBetween(20L, 45L);
            assertThat(first.log()).doesNotContain("hotline file calls.csv done");
        }
        assertThat(data.resolve("hotline").resolve("calls.csv")).as("the file stays until it is done").exists();

        try (HubProcess second = HubProcess.start(data, "512m", JVM, SETTINGS)) {
            long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!second.log().contains("hotline file calls.csv done") && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertThat(second.log()).contains("hotline file calls.csv done");
            try (Stream<Path> done = Files.list(data.resolve("hotline").resolve("done"))) {
                assertThat(done.map(p -> p.getFileName().toString())).singleElement().asString().endsWith("-calls.csv");
            }

            Map<String, Integer> onDesk = new HashMap<>();
            for (String record : second.receive("complaints.desk", 0, java.time.Duration.ofSeconds(3))) {
                onDesk.merge(RecordJson.read(record).getSourceId(), 1, Integer::sum);
            }
            assertThat(onDesk.keySet()).containsExactlyInAnyOrderElementsOf(file.complaintIds());
            assertThat(onDesk.values()).as("each call once").allMatch(n -> n == 1);
            assertThat(second.receive("complaints.quarantine", 0, java.time.Duration.ofSeconds(3))).hasSize(file.badRows());
        } finally {
            HubProcess.delete(data);
        }
    }

    private static long batches(HubProcess hub) throws Exception {
        return hub.log().lines().filter(l -> l.contains("hotline batch:")).count();
    }
}
