package org.complainthub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.faultrun.ExternalArtemis;
import org.complainthub.support.EmbeddedPostgres;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A broker that survives a server (issue 17): an Artemis primary/backup pair with replication, made with {@code artemis
 * create --replicated --clustered} from the distribution Maven fetched, the hub (its own process, no embedded broker)
 * (two nodes by default, -Dpair.hubs=1 for one, on an embedded PostgreSQL) on the pair's URL, a steady load of web-form JSON requests (each with an Idempotency-Key, retried with the same key
 * until it gets a 2xx), the primary killed (SIGKILL) partway. Then every department queue is consumed on the backup and
 * each request answered 2xx must be there exactly once. Outside the default run: {@code ./mvnw -B -Pbroker-pair test}
 * (about two minutes; -Dpair.duration=60 -Dpair.kill-at=20 -Dpair.rate=20 seconds/requests per second).
 */
@Tag("broker-pair")
class BrokerFailoverRun {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final long started = System.nanoTime();

    @Test
    void primaryKilledUnderLoad() throws Exception {
        int seconds = Integer.parseInt(System.getProperty("pair.duration", "60"));
        int killAt = Integer.parseInt(System.getProperty("pair.kill-at", "20"));
        int rate = Integer.parseInt(System.getProperty("pair.rate", "20"));
        String run = Long.toHexString(System.nanoTime() & 0xffffff);
        Pattern markers = Pattern.compile("BP" + run + "-\\d+");
        Path dir = Path.of("target/broker-pair/" + LocalDateTime.now().format(STAMP)).toAbsolutePath();
        Set<String> departments = ClassificationRules.load(Path.of("mappings/rules/classification.yaml")).departments();

        int hubCount = Integer.parseInt(System.getProperty("pair.hubs", "2"));
        List<HubProcess> hubs = new ArrayList<>();
        // two nodes share one database (complaint ids, idempotency keys): on two H2 files they would number alike
        EmbeddedPostgres postgres = hubCount > 1 ? EmbeddedPostgres.start() : null;
        ArtemisPair pair = null;
        try {
            pair = ArtemisPair.start(dir, departments);
            ExternalArtemis primary = pair.primary;
            ExternalArtemis backup = pair.backup;
            say("pair up (replicated, backup in sync) on %s, in %s", pair.hubUrl(), dir);

            List<String> settings = new ArrayList<>(pair.hubSettings());
            // every sender is 127.0.0.1 here: the per-client limit would refuse the run's own load
            settings.add("hub.intake.max-per-minute-per-client=0");
            if (postgres != null) {
                settings.addAll(postgres.hubSettings("postgres"));
            }
            for (int i = 0; i < hubCount; i++) {
                hubs.add(HubProcess.start(dir.resolve("hub-" + (char) ('a' + i)), "384m", List.of("-XX:TieredStopAtLevel=1"),
                        settings));
            }
            say("%d hub node(s) up", hubCount);

            IdempotentLoad load = new IdempotentLoad(hubs.stream().map(HubProcess::httpUrl).toList(), "BP" + run);
            long loadStart = System.nanoTime();
            long loadEnd = loadStart + TimeUnit.SECONDS.toNanos(seconds);
            long killTime = loadStart + TimeUnit.SECONDS.toNanos(killAt);
            boolean killed = false;
            long period = 1_000_000_000L / rate;
            long next = loadStart;
            int seq = 0;
            while (System.nanoTime() < loadEnd) {
                if (!killed && System.nanoTime() >= killTime) {
                    killTime = System.nanoTime();
                    primary.kill();
                    killed = true;
                    load.killedAt(killTime);
                    say("primary killed (SIGKILL) after %d requests sent", seq);
                }
                load.send(seq++);
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            say("load over: %d sent; waiting up to 60 s for the retries", seq);
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (load.pending() > 0 && System.nanoTime() < settle) {
                Thread.sleep(200);
            }
            load.close();
            // AMQ221007 (server is now active): a backup logs it only when it takes over
            backup.awaitLog("AMQ221007", Duration.ofSeconds(1));

            // the load is over, so nothing more is sent while the queues are counted (the hubs consume none of them)
            Map<String, Integer> found = new HashMap<>();
            Map<String, Integer> perQueue = new HashMap<>();
            for (String d : new TreeSet<>(departments)) {
                String queue = "complaints." + d;
                for (String text : ArtemisPair.drain(backup.clientUrl(), queue)) {
                    Matcher m = markers.matcher(text);
                    if (m.find()) {
                        found.merge(m.group(), 1, Integer::sum);
                        perQueue.merge(queue, 1, Integer::sum);
                    }
                }
            }
            long desk = backup.depth("complaints.desk");
            long quarantined = backup.depth("complaints.quarantine");

            Set<String> accepted = load.accepted();
            long lost = accepted.stream().filter(k -> !found.containsKey(k)).count();
            long duplicated = found.values().stream().filter(n -> n > 1).count();
            long unanswered = found.keySet().stream().filter(k -> !accepted.contains(k)).count();
            say("sent %d, accepted (2xx) %d, refused (4xx) %d, unanswered at the end %d, requests %d (non-2xx/errors %d, "
                    + "503 %d); 2xx after the kill per node %s", seq, accepted.size(), load.refused(), load.pending(),
                    load.requests(), load.failures(), load.unavailable(), load.acceptedAfterKill());
            say("found %d on the department queues %s, lost %d, duplicated %d, on a queue without a 2xx %d; desk %d, "
                    + "quarantine %d", found.size(), perQueue, lost, duplicated, unanswered, desk, quarantined);
            say("first 2xx %.1f s after the kill (first request sent after the kill answered 2xx %.1f s after it)",
                    load.firstAcceptAfterKill() / 1e9, load.firstNewAcceptAfterKill() / 1e9);

            // then neither server: each node must answer 503 at once, not hold the request
            backup.kill();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            List<String> noBroker = new ArrayList<>();
            for (HubProcess hub : hubs) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/api/complaints"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "BP" + run + "-nobroker-" + noBroker.size())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"customer\": {\"name\": \"Pair Run\", \"email\": "
                                + "\"pair@example.com\"}, \"subject\": \"No broker\", \"description\": \"The parcel "
                                + "arrived damaged.\"}")).build(), HttpResponse.BodyHandlers.ofString());
                noBroker.add(String.format("%d in %.1f s", r.statusCode(), (System.nanoTime() - t0) / 1e9));
            }
            say("both servers down: the nodes answered %s", noBroker);

            assertTrue(noBroker.stream().allMatch(a -> a.startsWith("503 ")), "503 while no server answers: " + noBroker);
            assertTrue(accepted.size() > seq * 0.9, "most requests accepted in the end: " + accepted.size() + " of " + seq);
            assertEquals(0, lost, "accepted requests missing on the backup");
            assertEquals(0, duplicated, "requests on a department queue more than once");
            assertEquals(hubCount, load.acceptedAfterKill().size(), "every node answered 2xx after the kill (reconnected)");
        } finally {
            for (HubProcess hub : hubs) {
                hub.close();
            }
            if (pair != null) {
                pair.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private void say(String format, Object... args) {
        System.out.printf("[broker-pair %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }
}
