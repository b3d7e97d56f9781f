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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    static final List<String> SINGLETONS = NodeRoles.SINGLETONS;
    static final String USER = CallsAndMails.USER;
    static final Pattern STAMP = Pattern.compile("^(\\S+)\\s");
    static final Pattern FILE_DONE = Pattern.compile("^(\\S+)\\s.*hotline file (\\S+) done");

    final ObjectMapper json = new ObjectMapper();
    final NodeRoles roles = new NodeRoles();
    final CallsAndMails feeds = new CallsAndMails();
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
            common.addAll(NodeRoles.logSettings());
            common.addAll(List.of("hub.cluster.service=zookeeper", "hub.cluster.zookeeper.nodes=" + zookeeper.getConnectString(),
                    "logging.level.root=WARN", "logging.level.org.complainthub.channel.hotline=INFO",
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
            HubProcess a = HubProcess.start(root.resolve("a"), "384m", JVM, NodeRoles.withId(node, "node-a"));
            hubs.add(a);
            roles.awaitLeading(a, SINGLETONS);
            HubProcess b = HubProcess.start(root.resolve("b"), "384m", JVM, NodeRoles.withId(node, "node-b"));
            hubs.add(b);
            roles.awaitStandby(b, SINGLETONS);
            assertThat(roles.cluster(broker).path("leading")).as("the broker's host leads nothing").isEmpty();
            assertThat(roles.cluster(broker).path("standby")).as("... and waits for nothing").isEmpty();

            List<HubProcess> sampled = List.of(broker, a, b);
            sampler = roles.sample(sampled);

            // 1. both nodes watch the same folder and mailbox: only A reads them
            for (int f = 0; f < 3; f++) {
                feeds.writeCalls(drop.resolve("before-" + f + ".csv"), "before" + f, 30);
            }
            feeds.deliver(box, "before", 15);
            awaitOnDesk(broker, Duration.ofMinutes(2));
            assertThat(fileLines(b)).as("B read no file while A led").isEmpty();
            assertThat(NodeRoles.starts(b)).as("B started no poller while A led").isEmpty();
            assertThat(NodeRoles.starts(a).stream().map(Map.Entry::getValue)).as("A started each singleton")
                    .anyMatch(u -> u.startsWith("file:")).anyMatch(u -> u.startsWith("scheduler://email-intake"))
                    .anyMatch(u -> u.startsWith("timer://overdue")).anyMatch(u -> u.startsWith("timer://dedup-expired-claims"));

            // 2. A is killed in the middle of a large call log, with mails waiting
            long batchesBefore = batches(a);
            feeds.writeCalls(drop.resolve("large.csv"), "large", 3000);
            feeds.deliver(box, "during", 40);
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
                feeds.writeCalls(drop.resolve("after-" + f + ".csv"), "after" + f, 30);
            }
            feeds.deliver(box, "after", 15);

            Instant fileTakeover = NodeRoles.awaitStart(b, "file:", killedAt);
            Instant mailTakeover = NodeRoles.awaitStart(b, "scheduler://email-intake", killedAt);
            Instant overdueTakeover = NodeRoles.awaitStart(b, "timer://overdue", killedAt);
            awaitOnDesk(broker, Duration.ofMinutes(3));
            Instant firstBatch = b.log().lines().filter(l -> l.contains("hotline batch:")).map(l -> stamp(STAMP, l))
                    .flatMap(Optional::stream).min(Instant::compareTo).orElseThrow();
            Instant firstFileDone = fileLines(b).stream().map(l -> stamp(FILE_DONE, l)).flatMap(Optional::stream)
                    .min(Instant::compareTo).orElseThrow();

            // 3. the account
            System.out.println("ClusterTakeoverRun: calls " + CallsAndMails.account(feeds.expectedCalls, feeds.calls));
            System.out.println("ClusterTakeoverRun: mails " + CallsAndMails.account(feeds.expectedMails, feeds.mails));
            System.out.printf("ClusterTakeoverRun: A killed at %s; B's drop-folder poller started after %d ms, its mailbox "
                            + "poller after %d ms, its overdue check after %d ms; B queued its first batch of calls after %d ms "
                            + "and finished its first file after %d ms%n",
                    killedAt, ms(killedAt, fileTakeover), ms(killedAt, mailTakeover), ms(killedAt, overdueTakeover),
                    ms(killedAt, firstBatch), ms(killedAt, firstFileDone));
            System.out.printf("ClusterTakeoverRun: namespaces with two live leaders at once: %s; other records on the desk: %s%n",
                    roles.twoLeaders(), otherRecords);

            assertThat(feeds.calls.keySet()).as("every call").containsExactlyInAnyOrderElementsOf(feeds.expectedCalls);
            assertThat(feeds.calls.values()).as("each call once").allMatch(n -> n == 1);
            assertThat(feeds.mails.keySet()).as("every mail").containsExactlyInAnyOrderElementsOf(feeds.expectedMails);
            assertThat(feeds.mails.values()).as("each mail once").allMatch(n -> n == 1);
            assertThat(Duration.between(killedAt, fileTakeover)).as("drop folder taken over").isLessThan(TAKEOVER_LIMIT);
            assertThat(Duration.between(killedAt, mailTakeover)).as("mailbox taken over").isLessThan(TAKEOVER_LIMIT);
            assertThat(Duration.between(killedAt, overdueTakeover)).as("overdue check taken over").isLessThan(TAKEOVER_LIMIT);
            assertThat(roles.twoLeaders()).as("a namespace led by two live nodes at once").isEmpty();
            assertThat(NodeRoles.starts(broker)).as("the broker's host ran no singleton").isEmpty();
            roles.awaitLeading(b, SINGLETONS);
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

    /** Takes what reaches complaints.desk until every call and mail sent so far is there, then 3 s more for late copies. */
    private void awaitOnDesk(HubProcess broker, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            takeDesk(broker);
            if (feeds.allFound()) {
                Thread.sleep(3000);
                takeDesk(broker);
                return;
            }
            Thread.sleep(500);
        }
        System.out.printf("ClusterTakeoverRun: %d of %d calls and %d of %d mails on the desk after %s%n",
                feeds.calls.size(), feeds.expectedCalls.size(), feeds.mails.size(), feeds.expectedMails.size(), limit);
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
                if (!feeds.count(r)) {
                    otherRecords.add(r.path("channel").asText() + ":" + r.path("sourceId").asText());
                }
            }
        }
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
}
