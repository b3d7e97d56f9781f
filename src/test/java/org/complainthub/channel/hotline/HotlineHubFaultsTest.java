package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.complainthub.support.BrokerFaults;
import org.complainthub.support.DatabaseFaults;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A fault of the hub's own database or broker while a call-log file is read, at any step (any database call of any
 * batch, the send of the complaints or of a refused row): the file stays in the drop folder and is read again, never
 * moved to error/, and no row is quarantined for it; once the fault is gone the file goes to done/ with each call queued
 * once and its one bad row quarantined once.
 */
@TestPropertySource(properties = {"hub.hotline.read-lock-check-ms=200", "hub.hotline.poll-interval-ms=200",
        "hub.hotline.batch-size=3", "hub.outbound.overdue.check-period-ms=3600000", "camel.main.shutdown-timeout=5"})
@Import(DatabaseFaults.class)
class HotlineHubFaultsTest extends HubIntegrationTest {

    private static final int CALLS = 4;
    private static final Duration FAULT_LASTS = Duration.ofMillis(1000);
    static Path dropFolder;

    @DynamicPropertySource
    static void hotline(DynamicPropertyRegistry registry) throws IOException {
        dropFolder = Files.createTempDirectory("hotline-faults-");
        registry.add("hub.hotline.folder", dropFolder::toString);
        registry.add("hub.hotline.reports-folder", () -> dropFolder.resolveSibling(dropFolder.getFileName() + "-reports").toString());
    }

    @Autowired
    DatabaseFaults database;

    @AfterEach
    void healed() {
        database.heal();
    }

    @Test
    void aHubFaultAtAnyStepLeavesTheFileInPlaceAndQuarantinesNothing() throws Exception {
        int files = 0;
        for (int step = 0; ; step++) {
            assertThat(step).as("steps: a file's path makes a bounded number of database calls").isLessThan(80);
            database.failFrom(step, step % 2 == 0 ? DatabaseFaults.Fault.CONNECTION_LOST : DatabaseFaults.Fault.TIMEOUT);
            String name = drop("db-" + step);
            files++;
            await().atMost(Duration.ofSeconds(20)).until(() -> database.refused() > 0 || in("done", name));
            if (database.refused() == 0) { // past the file's last database call: every step was failed
                database.heal();
                break;
            }
            // a fault before the broker's commit leaves the file in place; one in the bookkeeping after it lets the
            // file go to done/ (its calls are queued; the marks are finished in the background): never error/
            await().during(FAULT_LASTS).atMost(FAULT_LASTS.plusSeconds(5)).until(() -> stays(name) || in("done", name));
            database.heal();
            await().atMost(Duration.ofSeconds(20)).until(() -> in("done", name));
        }
        assertThat(files).as("the database was failed at several steps").isGreaterThan(3);

        String department = deskRecords().get(0).get("department").asText();
        BrokerFaults faults = new BrokerFaults();
        broker.getActiveMQServer().registerBrokerPlugin(faults);
        try {
            for (String address : List.of("complaints." + department, "complaints.quarantine")) {
                faults.failSendsTo(address);
                String name = drop("broker-" + address);
                files++;
                await().atMost(Duration.ofSeconds(20)).until(() -> faults.refused() > 0);
                await().during(FAULT_LASTS).atMost(FAULT_LASTS.plusSeconds(5)).until(() -> stays(name));
                faults.heal();
                await().atMost(Duration.ofSeconds(20)).until(() -> in("done", name));
            }
        } finally {
            broker.getActiveMQServer().unRegisterBrokerPlugin(faults);
        }
        deskRecords();
        assertThat(sourceIds).as("every call of every file queued, each once").hasSize(files * CALLS);
        assertThat(depth("complaints.quarantine")).as("each file's one bad row, once").isEqualTo(files);
    }

    /** The file is still in the drop folder, and nothing of it went to error/. */
    private boolean stays(String name) throws IOException {
        return Files.exists(dropFolder.resolve(name)) && !in("error", name);
    }

    private final Set<String> sourceIds = new HashSet<>();

    /** What complaints.desk received since the last call, each call checked to be queued once over the whole test. */
    private List<JsonNode> deskRecords() throws Exception {
        List<JsonNode> records = drain("complaints.desk");
        for (JsonNode r : records) {
            assertThat(sourceIds.add(r.get("sourceId").asText())).as("queued once: " + r.get("sourceId")).isTrue();
        }
        return records;
    }

    /** A call log of CALLS calls and one unreadable row (line 4), dropped under a temporary name and renamed. */
    private String drop(String tag) throws IOException {
        StringBuilder csv = new StringBuilder("Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\n");
        for (int i = 0; i < CALLS; i++) {
            csv.append("13800138000,张伟,王敏,2026-11-20 09:").append(10 + i).append(":00,60,Answered,物流,快递三天都没送到 ")
                    .append(tag).append(' ').append(i).append(",退款,DD-").append(i).append(",").append(tag).append("-").append(i).append('\n');
            if (i == 1) {
                csv.append("1,only,four,cells\n");
            }
        }
        String name = tag.replaceAll("[^A-Za-z0-9-]", "_") + ".csv";
        Path part = dropFolder.resolve(name + ".part");
        Files.writeString(part, csv, StandardCharsets.UTF_8);
        Files.move(part, dropFolder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return name;
    }

    private boolean in(String folder, String name) throws IOException {
        Path dir = dropFolder.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith("-" + name));
        }
    }
}
