package org.complainthub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
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
    private static final List<String> HUB_QUEUES = List.of("complaints.desk", "complaints.quarantine", "complaints.status",
            "complaints.events", "complaints.outbound.send", "complaints.outbound.dead", "complaints.escalations");
    private static final String CLUSTER_USER = "hub-cluster";
    private static final String CLUSTER_PASSWORD = "pair-cluster-secret";

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

        int primaryPort = freePort();
        int backupPort = freePort();
        ExternalArtemis primary = ExternalArtemis.createMember(artemisDistribution(), dir, "primary", primaryPort, "512M",
                departments, HUB_QUEUES, haOptions("primary", backupPort, false));
        ExternalArtemis backup = ExternalArtemis.createMember(artemisDistribution(), dir, "backup", backupPort, "512M",
                departments, HUB_QUEUES, haOptions("backup", primaryPort, true));
        failback(primary.brokerXml(), backup.brokerXml());
        int hubCount = Integer.parseInt(System.getProperty("pair.hubs", "2"));
        List<HubProcess> hubs = new ArrayList<>();
        // two nodes share one database (complaint ids, idempotency keys): on two H2 files they would number alike
        EmbeddedPostgres postgres = hubCount > 1 ? EmbeddedPostgres.start() : null;
        try {
            primary.start();
            backup.launch();
            // AMQ221024: the backup has the primary's whole journal and follows it from now on
            backup.awaitLog("AMQ221024", Duration.ofMinutes(3));
            say("pair up: primary %d, backup %d (replicated, in sync), in %s", primaryPort, backupPort, dir);

            List<String> settings = new ArrayList<>(List.of(
                    "spring.artemis.embedded.enabled=false",
                    "spring.artemis.broker-url=" + pairUrl(primaryPort, backupPort),
                    "spring.artemis.user=" + ExternalArtemis.USER,
                    "spring.artemis.password=" + ExternalArtemis.PASSWORD,
                    // every sender is 127.0.0.1 here: the per-client limit would refuse the run's own load
                    "hub.intake.max-per-minute-per-client=0"));
            if (postgres != null) {
                settings.addAll(postgres.hubSettings("postgres"));
            }
            for (int i = 0; i < hubCount; i++) {
                hubs.add(HubProcess.start(dir.resolve("hub-" + (char) ('a' + i)), "384m", List.of("-XX:TieredStopAtLevel=1"),
                        settings));
            }
            say("%d hub node(s) up on %s", hubCount, pairUrl(primaryPort, backupPort));

            Load load = new Load(hubs.stream().map(HubProcess::httpUrl).toList(), run);
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
                for (String text : drain(backup.clientUrl(), queue)) {
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
            backup.stop();
            primary.kill();
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static List<String> haOptions(String name, int otherPort, boolean backup) {
        List<String> options = new ArrayList<>(List.of("--replicated", "--clustered", "--cluster-user", CLUSTER_USER,
                "--cluster-password", CLUSTER_PASSWORD, "--staticCluster", "tcp://127.0.0.1:" + otherPort, "--name", name));
        if (backup) {
            options.add("--backup");
        }
        return options;
    }

    /**
     * What {@code artemis create} leaves out: a primary started again after a takeover must not become active on its
     * old journal beside the backup (check-for-active-server: it asks the pair first and comes back in sync), and the
     * backup hands back to it then (allow-failback), as Artemis's replicated-failback example does.
     */
    private static void failback(Path primaryXml, Path backupXml) throws IOException {
        edit(primaryXml, "<vote-on-replication-failure>true</vote-on-replication-failure>",
                "<vote-on-replication-failure>true</vote-on-replication-failure>\n"
                        + "               <check-for-active-server>true</check-for-active-server>");
        edit(backupXml, "<backup/>", "<backup>\n               <allow-failback>true</allow-failback>\n            </backup>");
    }

    private static void edit(Path file, String what, String by) throws IOException {
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        if (!xml.contains(what)) {
            throw new IllegalStateException("no " + what + " in " + file);
        }
        Files.writeString(file, xml.replace(what, by), StandardCharsets.UTF_8);
    }

    /**
     * The hub's URL for the pair: both servers listed, ha=true (the client learns the pair's topology) and the single
     * broker's fast-fail parameters: a send fails in about 1.5 s while no server answers (the hub answers 503) and the
     * hub's own reconnect (Spring's listener containers, a new producer connection) finds the server that is active.
     */
    static String pairUrl(int primaryPort, int backupPort) {
        return System.getProperty("pair.url", "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort + ")"
                + "?ha=true&callTimeout=1500&callFailoverTimeout=1500&reconnectAttempts=0&initialConnectAttempts=1"
                + "&retryInterval=100&connectionTTL=6000&clientFailureCheckPeriod=2000&cacheDestinations=true")
                .replace("{primary}", Integer.toString(primaryPort)).replace("{backup}", Integer.toString(backupPort));
    }

    private static List<String> drain(String url, String queue) throws Exception {
        List<String> out = new ArrayList<>();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
             Connection c = cf.createConnection(ExternalArtemis.USER, ExternalArtemis.PASSWORD)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m;
            while ((m = consumer.receive(2_000)) != null) {
                out.add(m instanceof TextMessage t ? t.getText() : new String(m.getBody(byte[].class), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * Web-form JSON requests, each retried with its own Idempotency-Key until a 2xx (or a final 4xx); like a load
     * balancer, each attempt goes to the next node.
     */
    private static final class Load implements AutoCloseable {
        private final List<String> bases;
        private final String run;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        private final ExecutorService senders = Executors.newFixedThreadPool(40);
        private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        private final Map<String, Long> accepted = new ConcurrentHashMap<>();
        private final Map<String, Long> firstSent = new ConcurrentHashMap<>();
        private final Set<String> open = ConcurrentHashMap.newKeySet();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong unavailable = new AtomicLong();
        private final Map<String, AtomicLong> acceptedAfterKill = new ConcurrentHashMap<>();
        private volatile long killedAt = Long.MAX_VALUE;

        Load(List<String> bases, String run) {
            this.bases = bases;
            this.run = run;
        }

        void killedAt(long nanoTime) {
            killedAt = nanoTime;
        }

        void send(int seq) {
            String key = "BP" + run + "-" + seq;
            open.add(key);
            firstSent.put(key, System.nanoTime());
            senders.execute(() -> attempt(key, seq, 0));
        }

        private void attempt(String key, int seq, int attempt) {
            String base = bases.get((seq + attempt) % bases.size());
            requests.incrementAndGet();
            String body = "{\"customer\": {\"name\": \"Pair Run " + seq + "\", \"email\": \"pair" + seq
                    + "@example.com\"}, \"subject\": \"Complaint " + key + "\", \"description\": \"The parcel for order "
                    + key + " arrived damaged and the box was wet.\"}";
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/complaints"))
                        .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status / 100 == 2) {
                    long now = System.nanoTime();
                    accepted.put(key, now);
                    if (now > killedAt) {
                        acceptedAfterKill.computeIfAbsent(base, b -> new AtomicLong()).incrementAndGet();
                    }
                    open.remove(key);
                    return;
                }
                if (status == 503) {
                    unavailable.incrementAndGet();
                }
                if (status / 100 == 4 && status != 408 && status != 429) {
                    refused.incrementAndGet();
                    open.remove(key);
                    return;
                }
            } catch (IOException e) {
                // refused, reset or timed out: the same request again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            failures.incrementAndGet();
            retries.schedule(() -> senders.execute(() -> attempt(key, seq, attempt + 1)), 500, TimeUnit.MILLISECONDS);
        }

        Set<String> accepted() {
            return Set.copyOf(accepted.keySet());
        }

        long pending() {
            return open.size();
        }

        long refused() {
            return refused.get();
        }

        long requests() {
            return requests.get();
        }

        long failures() {
            return failures.get();
        }

        long unavailable() {
            return unavailable.get();
        }

        /** 2xx answers after the kill per node: each node reconnected. */
        Map<String, Long> acceptedAfterKill() {
            Map<String, Long> out = new java.util.TreeMap<>();
            acceptedAfterKill.forEach((b, n) -> out.put(b, n.get()));
            return out;
        }

        /** Nanoseconds from the kill to the first 2xx answered after it, of any request. */
        long firstAcceptAfterKill() {
            return accepted.values().stream().filter(t -> t > killedAt).mapToLong(t -> t - killedAt).min().orElse(-1);
        }

        /** Nanoseconds from the kill to the first 2xx of a request first sent after it. */
        long firstNewAcceptAfterKill() {
            return accepted.entrySet().stream().filter(e -> firstSent.get(e.getKey()) > killedAt)
                    .mapToLong(e -> e.getValue() - killedAt).min().orElse(-1);
        }

        @Override
        public void close() {
            retries.shutdownNow();
            senders.shutdownNow();
        }
    }

    private void say(String format, Object... args) {
        System.out.printf("[broker-pair %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }

    private static Path artemisDistribution() {
        String configured = System.getProperty("fault.artemis.distribution");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String version = org.apache.activemq.artemis.utils.VersionLoader.getVersion().getFullVersion();
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "apache", "activemq",
                "apache-artemis", version, "apache-artemis-" + version + "-bin.tar.gz");
        if (!Files.exists(local)) {
            throw new IllegalStateException("no Artemis distribution: run ./mvnw -B -Pbroker-pair test (it fetches "
                    + "org.apache.activemq:apache-artemis:" + version + ":tar.gz:bin), or set -Dfault.artemis.distribution");
        }
        return local;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
