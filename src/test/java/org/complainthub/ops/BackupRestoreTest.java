package org.complainthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.Folders;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backup and restore procedure of the README on the real hub (a process, its embedded broker journal and H2
 * database in one data directory): stop the hub, copy the data directory, mark the copy with the file
 * restored-from-backup holding the backup's time, start the hub again. The original then takes more complaints and is
 * lost; a hub started on the restored copy has what the backup had (the complaints then waiting on the desk queue, the
 * journal and the database from the same moment) and never issues a reference the original issued after the backup,
 * although its database's sequence is older than those; a later restart numbers on without skipping again.
 */
class BackupRestoreTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HubProcess> started = new ArrayList<>();
    private Path root;

    @AfterEach
    void stopAndRemove() throws Exception {
        for (HubProcess hub : started) {
            hub.close();
        }
        if (root != null) {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRestoredCopyStartsWithItsDataAndNeverIssuesAReferenceTheOriginalIssuedAfterTheBackup() throws Exception {
        root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data").toAbsolutePath()), "backup-");
        Path data = root.resolve("data");
        Path backup = root.resolve("backup");

        HubProcess original = start(data);
        List<String> beforeBackup = complaints(original, "before", 3);
        original.close();

        // the backup: the hub stopped, the whole data directory copied, the copy marked with the backup's time
        Folders.copy(data, backup);
        Files.writeString(backup.resolve("restored-from-backup"), OffsetDateTime.now().toString(), StandardCharsets.UTF_8);

        original = start(data);
        List<String> afterBackup = complaints(original, "after", 3);
        original.close();
        assertThat(numbers(afterBackup)).allMatch(n -> n > numbers(beforeBackup).stream().mapToLong(Long::longValue).max().orElseThrow());

        HubProcess restored = start(backup);
        List<String> desk = new ArrayList<>();
        for (String record : restored.receive("complaints.desk", beforeBackup.size(), Duration.ofSeconds(1))) {
            desk.add(RecordJson.MAPPER.readTree(record).path("id").asText());
        }
        assertThat(desk).as("the restored copy's desk queue: what was waiting when the backup was taken")
                .containsExactlyInAnyOrderElementsOf(beforeBackup);
        List<String> onRestored = complaints(restored, "restored", 3);
        assertThat(onRestored).as("references issued on the restored copy").doesNotContainAnyElementsOf(afterBackup)
                .doesNotContainAnyElementsOf(beforeBackup);
        long highestOfTheOriginal = numbers(afterBackup).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(numbers(onRestored)).as("numbers past every one the original issued").allMatch(n -> n > highestOfTheOriginal);
        assertThat(restored.log()).contains("restored from a backup");
        assertThat(backup.resolve("restored-from-backup")).doesNotExist();
        try (Stream<Path> files = Files.list(backup)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("restored-from-backup.done-"));
        }
        restored.close();

        HubProcess again = start(backup);
        List<String> afterRestart = complaints(again, "again", 1);
        long lastOnRestored = numbers(onRestored).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(numbers(afterRestart).get(0)).as("a normal restart skips the rest of a block, not another restore's worth")
                .isGreaterThan(lastOnRestored).isLessThan(lastOnRestored + 10 * 100);
    }

    private HubProcess start(Path dataDir) throws Exception {
        HubProcess hub = HubProcess.start(dataDir, "320m", List.of("-XX:TieredStopAtLevel=1"), List.of(
                "hub.intake.max-per-minute-per-client=0", "logging.level.root=WARN",
                "logging.level.org.complainthub.complaint=INFO"));
        started.add(hub);
        return hub;
    }

    /** {@code n} complaints through the JSON API; their references. */
    private List<String> complaints(HubProcess hub, String tag, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"customer\": {\"name\": \"Customer " + tag + i + "\", \"email\": \"" + tag + i + "@example.com\"},"
                    + "\"subject\": \"Parcel " + tag + " " + i + "\", \"description\": \"My parcel for order " + tag + i
                    + " is a week late and the courier does not answer.\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/api/complaints"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode answer = RecordJson.MAPPER.readTree(r.body());
            ids.add(answer.path("id").asText());
        }
        return ids;
    }

    /** The number part of references C-yyyymmdd-NNNNNN. */
    private static List<Long> numbers(List<String> references) {
        return references.stream().map(r -> Long.parseLong(r.substring(r.lastIndexOf('-') + 1))).toList();
    }

}
