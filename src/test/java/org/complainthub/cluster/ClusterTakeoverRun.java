package org.complainthub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.complainthub.support.EmbeddedPostgres;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two hub nodes on one ZooKeeper (in-process, tickTime 2 s as in ZooKeeper's sample configuration), one PostgreSQL and
 * one broker, both watching the same call-log drop folder and the same IMAP mailbox with
 * {@code hub.cluster.service=zookeeper} at its default session timeout:
 * <ol>
 * <li>node A, started first, leads every namespace; B stands by: files and mails are read by A alone, each row and
 * each mail one complaint;</li>
 * <li>A is killed (SIGKILL) in the middle of a large call log; B takes over the mailbox, the drop folder, the overdue
 * check and the expiry of old claims. The time from the kill to B's poller starting is printed and must be under
 * 10 s;</li>
 * <li>what A left half-done and what arrived after the kill becomes exactly one complaint each.</li>
 * </ol>
 * Throughout, the nodes' /actuator/info is sampled: a namespace never has two leaders among the live nodes. The broker
 * runs in a third hub process (its embedded Artemis) that reads no channel and takes part in no election
 * (camel.main.auto-startup-exclude-pattern): killing A must not take the broker with it.
 * <p>
 * Several JVMs, about three minutes: outside the default run. {@code ./mvnw -B -Pcluster test}
 */
@Tag("cluster")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterTakeoverRun {

    static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1");
    static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(10);
    static final String USER = "complaints@shop.example";
    static final List<String> SINGLETONS = List.of("email-intake", "hotline-folder", "outbound-overdue", "dedup-expired-claims");
    static final Pattern STARTED = Pattern.compile("^(\\S+)\\s.*Leadership taken\\. Attempt #\\d+ success\\. Consumer started: (\\S+)");
    static final Pattern MAIL_ID = Pattern.compile("cluster-(\\w+-\\d+)@");
    static final Pattern STAMP = Pattern.compile("^(\\S+)\\s");
    static final Pattern FILE_DONE = Pattern.compile("^(\\S+)\\s.*hotline file (\\S+) done");

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Set<String> expectedCalls = Collections.synchronizedSet(new LinkedHashSet<>());
    final Set<String> expectedMails = Collections.synchronizedSet(new LinkedHashSet<>());
    final Map<String, String> twoLeaders = new ConcurrentHashMap<>();
    /** What was taken off complaints.desk so far: call id or mail id -> copies. */
    final Map<String, Integer> calls = new HashMap<>();
    final Map<String, Integer> mails = new HashMap<>();
    final List<String> otherRecords = new ArrayList<>();

    @Test
    void theSurvivorTakesOverTheMailboxAndTheFolderWithin10sAndEveryCallAndMailIsOneComplaint() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data").toAbsolutePath()), "cluster-");
        Path drop = Files.createDirectories(root.resolve("drop"));
        GreenMail mail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAP}));
        mail.start();
        GreenMailUser box = mail.setUser(USER, USER, "secret");
        List<HubProcess> hubs = new ArrayList<>();
        Thread sampler = null;
        try (TestingServer zookeeper = new TestingServer(new InstanceSpec(root.resolve("zookeeper").toFile(), -1, -1, -1,
                true, 1, 2000, 100), true);
             EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            List<String> common = new ArrayList<>(postgres.hubSettings("postgres"));
            common.addAll(List.of("hub.cluster.service=zookeeper", "hub.cluster.zookeeper.nodes=" + zookeeper.getConnectString(),
                    "logging.level.root=WARN", "logging.level.org.apache.camel.component.master=INFO",
                    "logging.level.org.complainthub.cluster=INFO", "logging.level.org.complainthub.channel.hotline=INFO",
                    "logging.level.org.complainthub.intake=DEBUG", "hub.intake.max-per-minute-per-client=0"));

            // the broker's host: no channel, no singleton job
            List<String> brokerHost = new ArrayList<>(common);
            brokerHost.addAll(List.of("hub.hotline.enabled=false", "hub.email.enabled=false",
                    "camel.main.auto-startup-exclude-pattern=outbound-overdue,dedup-expired-claims",
                    // routes left stopped on purpose are no fault of this node (Camel's route checks would say DOWN)
                    "camel.health.routes-enabled=false", "camel.health.consumers-enabled=false"));
            HubProcess broker = HubProcess.start(root.resolve("broker"), "384m", JVM, brokerHost);
            hubs.add(broker);

            List<String> node = new ArrayList<>(common);
            node.addAll(List.of("spring.artemis.embedded.enabled=false",
                    "spring.artemis.broker-url=" + broker.brokerUrl()
                            + "?callTimeout=5000&callFailoverTimeout=5000&reconnectAttempts=0&initialConnectAttempts=1&retryInterval=100",
                    "hub.hotline.enabled=true", "hub.hotline.folder=" + drop, "hub.hotline.poll-interval-ms=300",
                    "hub.hotline.read-lock-check-ms=300", "hub.hotline.batch-size=200",
                    "hub.email.enabled=true", "hub.email.host=127.0.0.1", "hub.email.port=" + mail.getImap().getPort(),
                    "hub.email.username=" + USER, "hub.email.password=secret", "hub.email.poll-interval-ms=300",
                    "hub.email.workers=4"));
            HubProcess a = HubProcess.start(root.resolve("a"), "384m", JVM, withId(node, "node-a"));
            hubs.add(a);
            awaitLeading(a, SINGLETONS);
            HubProcess b = HubProcess.start(root.resolve("b"), "384m", JVM, withId(node, "node-b"));
            hubs.add(b);
            awaitStandby(b, SINGLETONS);
            assertThat(cluster(broker).path("leading")).as("the broker's host leads nothing").isEmpty();
            assertThat(cluster(broker).path("standby")).as("... and waits for nothing").isEmpty();

            List<HubProcess> sampled = List.of(broker, a, b);
            sampler = new Thread(() -> sample(sampled), "leader-sampler");
            sampler.setDaemon(true);
            sampler.start();

            // 1. both nodes watch the same folder and mailbox: only A reads them
            for (int f = 0; f < 3; f++) {
                writeCalls(drop.resolve("before-" + f + ".csv"), "before" + f, 30);
            }
            deliver(box, "before", 15);
            awaitOnDesk(broker, Duration.ofMinutes(2));
            assertThat(fileLines(b)).as("B read no file while A led").isEmpty();
            assertThat(starts(b)).as("B started no poller while A led").isEmpty();
            assertThat(starts(a).stream().map(Map.Entry::getValue)).as("A started each singleton")
                    .anyMatch(u -> u.startsWith("file:")).anyMatch(u -> u.startsWith("scheduler://email-intake"))
                    .anyMatch(u -> u.startsWith("timer://overdue")).anyMatch(u -> u.startsWith("timer://dedup-expired-claims"));

            // 2. A is killed in the middle of a large call log, with mails waiting
            long batchesBefore = batches(a);
            writeCalls(drop.resolve("large.csv"), "large", 3000);
            deliver(box, "during", 40);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (batches(a) < batchesBefore + 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(batches(a) - batchesBefore).as("A was in the middle of the large file").isGreaterThanOrEqualTo(3);
            Instant killedAt = Instant.now();
            a.kill();
            assertThat(fileLines(a)).as("A did not finish the large file").noneMatch(l -> l.contains("large.csv"));
            // what arrives after the kill
            for (int f = 0; f < 3; f++) {
                writeCalls(drop.resolve("after-" + f + ".csv"), "after" + f, 30);
            }
            deliver(box, "after", 15);

            Instant fileTakeover = awaitStart(b, "file:", killedAt);
            Instant mailTakeover = awaitStart(b, "scheduler://email-intake", killedAt);
            Instant overdueTakeover = awaitStart(b, "timer://overdue", killedAt);
            awaitOnDesk(broker, Duration.ofMinutes(3));
            Instant firstBatch = b.log().lines().filter(l -> l.contains("hotline batch:")).map(l -> stamp(STAMP, l))
                    .flatMap(Optional::stream).min(Instant::compareTo).orElseThrow();
            Instant firstFileDone = fileLines(b).stream().map(l -> stamp(FILE_DONE, l)).flatMap(Optional::stream)
                    .min(Instant::compareTo).orElseThrow();

            // 3. the account
            report("calls", expectedCalls, calls);
            report("mails", expectedMails, mails);
            System.out.printf("ClusterTakeoverRun: A killed at %s; B's drop-folder poller started after %d ms, its mailbox "
                            + "poller after %d ms, its overdue check after %d ms; B queued its first batch of calls after %d ms "
                            + "and finished its first file after %d ms%n",
                    killedAt, ms(killedAt, fileTakeover), ms(killedAt, mailTakeover), ms(killedAt, overdueTakeover),
                    ms(killedAt, firstBatch), ms(killedAt, firstFileDone));
            System.out.printf("ClusterTakeoverRun: namespaces with two live leaders at once: %s; other records on the desk: %s%n",
                    twoLeaders, otherRecords);

            assertThat(calls.keySet()).as("every call").containsExactlyInAnyOrderElementsOf(expectedCalls);
            assertThat(calls.values()).as("each call once").allMatch(n -> n == 1);
            assertThat(mails.keySet()).as("every mail").containsExactlyInAnyOrderElementsOf(expectedMails);
            assertThat(mails.values()).as("each mail once").allMatch(n -> n == 1);
            assertThat(Duration.between(killedAt, fileTakeover)).as("drop folder taken over").isLessThan(TAKEOVER_LIMIT);
            assertThat(Duration.between(killedAt, mailTakeover)).as("mailbox taken over").isLessThan(TAKEOVER_LIMIT);
            assertThat(Duration.between(killedAt, overdueTakeover)).as("overdue check taken over").isLessThan(TAKEOVER_LIMIT);
            assertThat(twoLeaders).as("a namespace led by two live nodes at once").isEmpty();
            assertThat(starts(broker)).as("the broker's host ran no singleton").isEmpty();
            awaitLeading(b, SINGLETONS);
        } finally {
            if (sampler != null) {
                sampler.interrupt();
            }
            for (HubProcess hub : hubs) { // what the hubs complained of and their elections, for whoever reads a failure
                System.out.println("---- " + hub.managementUrl());
                hub.log().lines().filter(l -> l.contains(" ERROR ") || l.contains("Leadership") || l.contains("cluster service"))
                        .limit(60).forEach(System.out::println);
            }
            for (int i = hubs.size() - 1; i >= 0; i--) {
                hubs.get(i).close();
            }
            mail.stop();
            HubProcess.delete(root);
        }
    }

    private static List<String> withId(List<String> settings, String id) {
        List<String> out = new ArrayList<>(settings);
        out.add("hub.cluster.node-id=" + id);
        return out;
    }

    /** A call log in the generic format: every row an answered call with notes, its call id {@code <prefix>-<n>}. */
    private void writeCalls(Path file, String prefix, int rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\r\n");
            for (int i = 0; i < rows; i++) {
                String id = prefix + "-" + i;
                w.write("1390013" + String.format("%04d", i % 10000) + ",客户" + i + ",坐席" + (i % 20) + ","
                        + String.format("2026-11-20 %02d:%02d:%02d", 8 + i % 10, i % 60, (i / 60) % 60)
                        + ",120,Answered,,\"快递三天都没送到，电话也打不通。订单" + prefix + i + "\",,DD" + i + "," + id + "\r\n");
                expectedCalls.add(id);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private void deliver(GreenMailUser box, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            String raw = "From: customer-" + id + "@example.com\r\nTo: " + USER + "\r\nSubject: Parcel " + id + " is late\r\n"
                    + "Message-ID: <cluster-" + id + "@mail.example.com>\r\nDate: Mon, 23 Nov 2026 09:12:00 +0800\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                    + "My parcel " + id + " is a week late and nobody answers the phone. Order SO-" + id + ".\r\n";
            box.deliver(new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
            expectedMails.add(id);
        }
    }

    /** Takes what reaches complaints.desk until every call and mail sent so far is there, then 3 s more for late copies. */
    private void awaitOnDesk(HubProcess broker, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            takeDesk(broker);
            if (calls.keySet().containsAll(expectedCalls) && mails.keySet().containsAll(expectedMails)) {
                Thread.sleep(3000);
                takeDesk(broker);
                return;
            }
            Thread.sleep(500);
        }
        System.out.printf("ClusterTakeoverRun: %d of %d calls and %d of %d mails on the desk after %s%n",
                calls.size(), expectedCalls.size(), mails.size(), expectedMails.size(), limit);
    }

    /**
     * Takes every record waiting on complaints.desk (taken, not browsed: a browser does not see what the broker paged to
     * disk) and counts it by its call or mail id.
     */
    private void takeDesk(HubProcess broker) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                broker.brokerUrl() + "?reconnectAttempts=0&initialConnectAttempts=1&callTimeout=5000");
             Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer desk = session.createConsumer(session.createQueue("complaints.desk"));
            Message m;
            while ((m = desk.receive(500)) != null) {
                JsonNode r = json.readTree(((TextMessage) m).getText());
                String source = r.path("sourceId").asText();
                Matcher mail = MAIL_ID.matcher(source);
                if ("hotline".equals(r.path("channel").asText())) {
                    calls.merge(source, 1, Integer::sum);
                } else if ("email".equals(r.path("channel").asText()) && mail.find()) {
                    mails.merge(mail.group(1), 1, Integer::sum);
                } else {
                    otherRecords.add(r.path("channel").asText() + ":" + source);
                }
            }
        }
    }

    private static void report(String what, Set<String> expected, Map<String, Integer> found) {
        long lost = expected.stream().filter(id -> !found.containsKey(id)).count();
        long duplicated = found.values().stream().mapToLong(n -> n - 1).sum();
        long unexpected = found.keySet().stream().filter(id -> !expected.contains(id)).count();
        System.out.printf("ClusterTakeoverRun: %s sent %d, found %d, lost %d, duplicated %d, unexpected %d%n",
                what, expected.size(), found.size(), lost, duplicated, unexpected);
    }

    /** Poller starts in a hub's log, in order: when, and the endpoint started (camel-master logs each start). */
    private static List<Map.Entry<Instant, String>> starts(HubProcess hub) throws IOException {
        List<Map.Entry<Instant, String>> out = new ArrayList<>();
        for (String line : hub.log().lines().toList()) {
            Matcher m = STARTED.matcher(line);
            if (m.find()) {
                out.add(Map.entry(Instant.parse(m.group(1)), m.group(2)));
            }
        }
        return out;
    }

    private static Instant awaitStart(HubProcess hub, String endpoint, Instant after) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            Optional<Instant> at = starts(hub).stream().filter(e -> e.getValue().startsWith(endpoint) && e.getKey().isAfter(after))
                    .map(Map.Entry::getKey).findFirst();
            if (at.isPresent()) {
                return at.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(endpoint + " was not started on the survivor within 60 s of the kill");
    }

    private static List<String> fileLines(HubProcess hub) throws IOException {
        return hub.log().lines().filter(l -> FILE_DONE.matcher(l).find()).toList();
    }

    private static long batches(HubProcess hub) throws IOException {
        return hub.log().lines().filter(l -> l.contains("hotline batch:")).count();
    }

    private static Optional<Instant> stamp(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? Optional.of(Instant.parse(m.group(1))) : Optional.empty();
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    /** The hub's cluster roles from /actuator/info: {node, service, leading: [route ids], standby: [...]}. */
    private JsonNode cluster(HubProcess hub) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.managementUrl() + "/actuator/info"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body()).path("cluster");
    }

    private void awaitLeading(HubProcess hub, List<String> routes) throws Exception {
        awaitRoles(hub, "leading", routes);
    }

    private void awaitStandby(HubProcess hub, List<String> routes) throws Exception {
        awaitRoles(hub, "standby", routes);
    }

    private void awaitRoles(HubProcess hub, String role, List<String> routes) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode c = null;
        while (System.nanoTime() < end) {
            c = cluster(hub);
            List<String> listed = new ArrayList<>();
            c.path(role).forEach(n -> listed.add(n.asText()));
            if (listed.containsAll(routes)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + role + " " + routes + ", the hub says " + c);
    }

    /** Every 250 ms: which live node leads which route; two at once is recorded. */
    private void sample(List<HubProcess> hubs) {
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, List<String>> leaders = new HashMap<>();
            for (HubProcess hub : hubs) {
                if (!hub.isAlive()) {
                    continue;
                }
                try {
                    JsonNode c = cluster(hub);
                    c.path("leading").forEach(r -> leaders.computeIfAbsent(r.asText(), k -> new ArrayList<>())
                            .add(c.path("node").asText()));
                } catch (Exception unreachable) {
                    // killed in between
                }
            }
            leaders.forEach((route, nodes) -> {
                if (nodes.size() > 1) {
                    twoLeaders.put(route + "@" + Instant.now(), String.join(",", nodes));
                }
            });
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
