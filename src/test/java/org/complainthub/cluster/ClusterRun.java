package org.complainthub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.faultrun.ExternalArtemis;
import org.complainthub.support.EmbeddedPostgres;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several nodes on a real cluster, exactly once across them (issue 17), all on loopback: an Artemis primary/backup pair
 * with replication from the distribution, an embedded PostgreSQL, an in-process ZooKeeper, GreenMail (the shared
 * mailbox and the customers' SMTP server) and two hub nodes as processes, {@code hub.cluster.service=zookeeper}, both
 * watching the same mailbox and call-log folder. Under a steady mixed load (web-form JSON split across the nodes, a
 * call-log file every 3 s, mails every 2 s, the desk's RESOLVED events, each sent twice) and with grade time limits
 * of 40 s (a copy of the rules) so complaints fall overdue during the run:
 * <ol>
 * <li>the same Telegram update sent 20 times at once, 10 to each node: one complaint;</li>
 * <li>the node holding the mailbox and the folder killed (SIGKILL): the other takes over within 10 s (printed), and the
 * killed one started again comes back as standby;</li>
 * <li>the primary broker killed (SIGKILL): the backup takes over and both nodes reconnect (a 2xx from each after it);</li>
 * <li>at the end every department queue, complaints.events and the customers' mail are counted on the active server:
 * every request answered 2xx, every call and every mail exactly once on a department queue; one OVERDUE event for each
 * complaint not resolved in time, one interim message and one thank-you per complaint, not one per node.</li>
 * </ol>
 * About six minutes: {@code ./mvnw -B -Pcluster-run test} (-Dcluster.duration=100 -Dcluster.rate=10 seconds and web
 * requests per second).
 */
@Tag("cluster-run")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ClusterRun {

    static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1");
    static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(10);
    static final Duration TIME_LIMIT = Duration.ofSeconds(40);
    static final String TELEGRAM_SECRET = "cluster-run-secret-token";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    static final Pattern THANKS = Pattern.compile("<(C-\\d{8}-\\d+)\\.thanks\\.");
    static final Pattern INTERIM = Pattern.compile("<(C-\\d{8}-\\d+)\\.overdue\\.");

    static final byte[] PHOTO = ("\u00ff\u00d8\u00ff\u00e0 a photo of a broken lamp " + "x".repeat(2000))
            .getBytes(StandardCharsets.ISO_8859_1);

    final ObjectMapper json = new ObjectMapper();
    final NodeRoles roles = new NodeRoles();
    final CallsAndMails feeds = new CallsAndMails();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    final long started = System.nanoTime();
    /** Complaint ids the desk resolved (RESOLVED sent twice each), and when the first was sent. */
    final Map<String, Instant> resolved = new ConcurrentHashMap<>();
    volatile boolean primaryKilled;

    @Test
    void twoNodesOnAPairZooKeeperAndPostgresKeepEveryComplaintOnceThroughANodeAndABrokerKill() throws Exception {
        int seconds = Integer.parseInt(System.getProperty("cluster.duration", "100"));
        int rate = Integer.parseInt(System.getProperty("cluster.rate", "10"));
        int nodeKillAt = seconds * 3 / 10;
        int nodeBackAt = seconds * 45 / 100;
        int brokerKillAt = seconds * 6 / 10;
        String run = "CR" + Long.toHexString(System.nanoTime() & 0xffffff);
        Pattern webMarker = Pattern.compile(run + "-\\d+");
        String telegramMarker = run + "-telegram";
        Path dir = Path.of("target/cluster-run/" + LocalDateTime.now().format(STAMP)).toAbsolutePath();
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Set<String> departments = ClassificationRules.load(Path.of("mappings/rules/classification.yaml")).departments();
        Path rules = shortTimeLimits(dir);

        GreenMail mail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAP, ServerSetupTest.SMTP}));
        mail.start();
        GreenMailUser box = mail.setUser(CallsAndMails.USER, CallsAndMails.USER, "secret");
        List<HubProcess> nodes = new ArrayList<>();
        List<HubProcess> killed = new ArrayList<>();
        Thread sampler = null;
        ArtemisPair pair = null;
        try (TestingServer zookeeper = new TestingServer(new InstanceSpec(dir.resolve("zookeeper").toFile(), -1, -1, -1,
                true, 1, 2000, 100), true);
             EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            pair = ArtemisPair.start(dir, departments);
            say("pair up (replicated, backup in sync), ZooKeeper %s, PostgreSQL, GreenMail IMAP %d SMTP %d",
                    zookeeper.getConnectString(), mail.getImap().getPort(), mail.getSmtp().getPort());

            List<String> settings = new ArrayList<>(pair.hubSettings());
            settings.addAll(postgres.hubSettings("postgres"));
            settings.addAll(NodeRoles.logSettings());
            settings.addAll(List.of("hub.cluster.service=zookeeper", "hub.cluster.zookeeper.nodes=" + zookeeper.getConnectString(),
                    "logging.level.root=WARN", "logging.level.org.complainthub.channel.hotline=INFO",
                    "logging.level.org.complainthub.outbound=INFO",
                    // every sender is 127.0.0.1 here: the per-client limit would refuse the run's own load
                    "hub.intake.max-per-minute-per-client=0",
                    "hub.rules-file=" + rules, "hub.outbound.overdue.check-period-ms=2000",
                    "hub.hotline.enabled=true", "hub.hotline.folder=" + drop, "hub.hotline.poll-interval-ms=300",
                    "hub.hotline.read-lock-check-ms=300", "hub.hotline.batch-size=200",
                    "hub.email.enabled=true", "hub.email.host=127.0.0.1", "hub.email.port=" + mail.getImap().getPort(),
                    "hub.email.username=" + CallsAndMails.USER, "hub.email.password=secret", "hub.email.poll-interval-ms=300",
                    "hub.outbound.email.host=127.0.0.1", "hub.outbound.email.port=" + mail.getSmtp().getPort(),
                    "hub.webhooks.telegram.enabled=true", "hub.webhooks.telegram.secret-token=" + TELEGRAM_SECRET,
                    // what the nodes share beside the database and the broker (README, More than one node)
                    "hub.signing-key=cluster-run-signing-key-" + run, "hub.evidence.folder=" + dir.resolve("evidence")));
            HubProcess a = HubProcess.start(dir.resolve("node-a"), "384m", JVM, NodeRoles.withId(settings, "node-a"));
            nodes.add(a);
            roles.awaitLeading(a, NodeRoles.SINGLETONS);
            HubProcess b = HubProcess.start(dir.resolve("node-b"), "384m", JVM, NodeRoles.withId(settings, "node-b"));
            nodes.add(b);
            roles.awaitStandby(b, NodeRoles.SINGLETONS);
            say("node-a leads %s, node-b stands by", NodeRoles.SINGLETONS);
            List<HubProcess> sampled = new java.util.concurrent.CopyOnWriteArrayList<>(nodes);
            sampler = roles.sample(sampled);

            List<String> bases = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(a.httpUrl(), b.httpUrl()));
            IdempotentLoad load = new IdempotentLoad(bases, run);
            long loadStart = System.nanoTime();
            long period = 1_000_000_000L / rate;
            long next = loadStart;
            int seq = 0;
            int second = -1;
            List<Integer> webhookAnswers = List.of();
            Instant nodeKilledAt = null;
            Instant brokerKilledAt = null;
            Map<String, Long> takeover = new java.util.LinkedHashMap<>();
            HubProcess survivor = null;
            while (System.nanoTime() < loadStart + TimeUnit.SECONDS.toNanos(seconds)) {
                int now = (int) ((System.nanoTime() - loadStart) / 1_000_000_000L);
                if (now != second) { // once a second: the polled channels, the desk, the faults
                    second = now;
                    if (now % 3 == 0) {
                        feeds.writeCalls(drop.resolve("calls-" + now + ".csv"), "f" + now, 20);
                    }
                    if (now % 2 == 0) {
                        feeds.deliver(box, "m" + now, 3);
                    }
                    if (now % 5 == 0) {
                        resolveSome(pair, load);
                    }
                    if (now == 2) {
                        deliverWithPhoto(box, run);
                    }
                    if (now == 10) {
                        webhookAnswers = sameUpdate20Times(List.of(a.httpUrl(), b.httpUrl()), telegramMarker);
                        say("the same Telegram update sent 20 times at once, 10 to each node: answers %s", webhookAnswers);
                    }
                    if (now == nodeKillAt) {
                        HubProcess leader = roles.leaderOf(nodes, "hotline-folder");
                        survivor = leader == a ? b : a;
                        nodeKilledAt = Instant.now();
                        leader.kill();
                        killed.add(leader);
                        bases.remove(leader.httpUrl());
                        say("killed (SIGKILL) the node leading the mailbox and the folder, %s", leader.httpUrl());
                    }
                    if (now == nodeBackAt && !killed.isEmpty()) {
                        HubProcess again = HubProcess.launch(dir.resolve("node-c"), "384m", JVM, NodeRoles.withId(settings, "node-c"));
                        nodes.add(again);
                        CompletableFuture.runAsync(() -> {
                            try {
                                again.awaitHealthy(Duration.ofMinutes(2));
                                bases.add(again.httpUrl());
                                sampled.add(again);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        say("a third node started in place of the killed one");
                    }
                    if (now == brokerKillAt) {
                        brokerKilledAt = Instant.now();
                        pair.primary.kill();
                        primaryKilled = true;
                        load.killedAt(System.nanoTime());
                        say("primary broker killed (SIGKILL) after %d web requests sent", seq);
                    }
                }
                load.send(seq++);
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            say("load over: %d web requests sent; waiting for the retries", seq);
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (load.pending() > 0 && System.nanoTime() < settle) {
                Thread.sleep(200);
            }
            load.close();
            resolveSome(pair, load);
            for (String endpoint : List.of("file:", "scheduler://email-intake", "timer://overdue")) {
                takeover.put(endpoint, Duration.between(nodeKilledAt, NodeRoles.awaitStart(survivor, endpoint, nodeKilledAt)).toMillis());
            }
            pair.backup.awaitLog("AMQ221007", Duration.ofSeconds(1)); // the backup is active: it took over

            // every complaint received so far falls overdue within the time limit and one check more
            say("waiting %s for the last complaints to fall overdue", TIME_LIMIT.plusSeconds(15));
            Thread.sleep(TIME_LIMIT.plusSeconds(15).toMillis());
            String active = pair.backup.clientUrl();
            Map<String, Integer> web = new HashMap<>();
            int telegram = 0;
            Map<String, String> channelOf = new HashMap<>();
            List<String> other = new ArrayList<>();
            Map<String, Integer> perQueue = new HashMap<>();
            String photoLink = null;
            for (String d : new TreeSet<>(departments)) {
                String queue = "complaints." + d;
                for (String text : ArtemisPair.drain(active, queue)) {
                    JsonNode r = json.readTree(text);
                    perQueue.merge(queue, 1, Integer::sum);
                    channelOf.put(r.path("id").asText(), r.path("channel").asText());
                    Matcher m = webMarker.matcher(text);
                    if (text.contains(run + "-photo")) {
                        photoLink = r.path("evidence").path(0).path("location").asText();
                    } else if (text.contains(telegramMarker)) {
                        telegram++;
                    } else if (m.find()) {
                        web.merge(m.group(), 1, Integer::sum);
                    } else if (!feeds.count(r)) {
                        other.add(r.path("channel").asText() + ":" + r.path("sourceId").asText());
                    }
                }
            }
            List<String> evidence = new ArrayList<>();
            for (String base : bases) { // the photo of a mail the killed node read, from the nodes alive now
                evidence.add(fetch(base, photoLink));
            }
            Map<String, Integer> overdue = new HashMap<>();
            for (String text : ArtemisPair.drain(active, "complaints.events")) {
                JsonNode e = json.readTree(text);
                if ("OVERDUE".equals(e.path("type").asText())) {
                    overdue.merge(e.path("id").asText(), 1, Integer::sum);
                }
            }
            Map<String, Integer> thanks = new HashMap<>();
            Map<String, Integer> interim = new HashMap<>();
            Map<String, List<String>> copies = new HashMap<>();
            for (MimeMessage m : mail.getReceivedMessages()) {
                String id = m.getMessageID();
                if (id != null) {
                    count(THANKS, id, thanks);
                    count(INTERIM, id, interim);
                    copies.computeIfAbsent(id.replaceAll("^<(C-\\d{8}-\\d+\\.\\w+)\\..*", "$1"), k -> new ArrayList<>())
                            .add(id + " to " + java.util.Arrays.toString(m.getAllRecipients()) + " at " + m.getSentDate());
                }
            }
            copies.values().removeIf(l -> l.size() < 2);
            if (!copies.isEmpty()) {
                say("messages of one kind sent twice to a complaint's customer: %s", copies);
            }

            Set<String> accepted = load.accepted();
            long webLost = accepted.stream().filter(k -> !web.containsKey(k)).count();
            long webDuplicated = web.values().stream().mapToLong(n -> n - 1).sum();
            Set<String> dueOverdue = new LinkedHashSet<>(channelOf.keySet());
            dueOverdue.removeAll(resolved.keySet());
            long overdueMissing = dueOverdue.stream().filter(id -> !overdue.containsKey(id)).count();
            long overdueTwice = overdue.values().stream().mapToLong(n -> n - 1).sum();
            long resolvedButOverdue = resolved.keySet().stream().filter(overdue::containsKey).count();
            Set<String> interimExpected = new LinkedHashSet<>();
            overdue.keySet().stream().filter(id -> Set.of("email", "webform").contains(channelOf.get(id)))
                    .forEach(interimExpected::add);
            long interimMissing = interimExpected.stream().filter(id -> !interim.containsKey(id)).count();
            long interimTwice = interim.values().stream().mapToLong(n -> n - 1).sum();
            long thanksMissing = resolved.keySet().stream().filter(id -> !thanks.containsKey(id)).count();
            long thanksTwice = thanks.values().stream().mapToLong(n -> n - 1).sum();

            say("takeover after the node kill (ms from SIGKILL to the survivor's poller): %s", takeover);
            say("web: sent %d, accepted (2xx) %d, refused %d, still unanswered %d; found %d, lost %d, duplicated %d; "
                    + "requests %d (503 %d); first 2xx %.1f s after the broker kill; 2xx after it per node %s",
                    seq, accepted.size(), load.refused(), load.pending(), web.size(), webLost, webDuplicated, load.requests(),
                    load.unavailable(), load.firstAcceptAfterKill() / 1e9, load.acceptedAfterKill());
            say("calls: %s", CallsAndMails.account(feeds.expectedCalls, feeds.calls));
            say("mails: %s", CallsAndMails.account(feeds.expectedMails, feeds.mails));
            say("webhook: 20 copies of one update, %d complaint(s); other records %s; per queue %s", telegram, other, perQueue);
            say("evidence of a mail the killed node read, from the nodes alive now: %s", evidence);
            say("overdue: %d complaints due, %d OVERDUE events for %d complaints, missing %d, duplicated %d, resolved but "
                    + "overdue %d", dueOverdue.size(), overdue.values().stream().mapToInt(Integer::intValue).sum(),
                    overdue.size(), overdueMissing, overdueTwice, resolvedButOverdue);
            say("interim messages: %d expected (email and web customers), %d sent, missing %d, duplicated %d",
                    interimExpected.size(), interim.size(), interimMissing, interimTwice);
            say("thank-yous: %d complaints resolved (each RESOLVED sent twice), %d thanked, missing %d, duplicated %d",
                    resolved.size(), thanks.size(), thanksMissing, thanksTwice);
            say("namespaces led by two live nodes at once: %s", roles.twoLeaders());

            assertThat(takeover.values()).as("takeover within 10 s").allMatch(ms -> ms < TAKEOVER_LIMIT.toMillis());
            assertThat(webhookAnswers).as("the copies answered 2xx").allMatch(s -> s / 100 == 2);
            assertThat(telegram).as("one complaint of 20 copies of an update").isEqualTo(1);
            assertThat(accepted.size()).as("most requests accepted in the end").isGreaterThan(seq * 9 / 10);
            assertThat(webLost).as("accepted web requests missing").isZero();
            assertThat(webDuplicated).as("web requests on a queue twice").isZero();
            assertThat(feeds.calls.keySet()).as("every call").containsExactlyInAnyOrderElementsOf(feeds.expectedCalls);
            assertThat(feeds.calls.values()).as("each call once").allMatch(n -> n == 1);
            assertThat(feeds.mails.keySet()).as("every mail").containsExactlyInAnyOrderElementsOf(feeds.expectedMails);
            assertThat(feeds.mails.values()).as("each mail once").allMatch(n -> n == 1);
            assertThat(load.acceptedAfterKill()).as("each live node answered 2xx after the broker kill").hasSizeGreaterThanOrEqualTo(2);
            assertThat(evidence).as("any node answers an evidence link (shared evidence folder)")
                    .isNotEmpty().allMatch(e -> e.equals("200 " + PHOTO.length + " bytes, the same"));
            assertThat(overdueMissing).as("overdue complaints without an OVERDUE event").isZero();
            assertThat(overdueTwice).as("OVERDUE events sent twice").isZero();
            assertThat(interimMissing).as("interim messages missing").isZero();
            assertThat(interimTwice).as("interim messages sent twice").isZero();
            assertThat(resolved).as("the desk resolved some").isNotEmpty();
            assertThat(thanksMissing).as("thank-yous missing").isZero();
            assertThat(thanksTwice).as("thank-yous sent twice").isZero();
            assertThat(roles.twoLeaders()).as("a namespace led by two live nodes at once").isEmpty();
        } finally {
            if (sampler != null) {
                sampler.interrupt();
            }
            for (HubProcess node : nodes) { // what the nodes complained of, for whoever reads a failure
                System.out.println("---- " + node.managementUrl());
                node.log().lines().filter(l -> l.contains(" ERROR ")).limit(30).forEach(System.out::println);
                node.close();
            }
            if (pair != null) {
                pair.close();
            }
            mail.stop();
        }
    }

    /** The rules with every grade's time limit at 40 s, so complaints fall overdue during the run. */
    private static Path shortTimeLimits(Path dir) throws Exception {
        String yaml = Files.readString(Path.of("mappings/rules/classification.yaml"), StandardCharsets.UTF_8);
        String limits = yaml.replaceAll("(?m)^(  [ABCD]): PT\\d+H$", "$1: " + TIME_LIMIT);
        if (limits.equals(yaml)) {
            throw new IllegalStateException("no timeLimits in the rules");
        }
        Path rules = Files.createDirectories(dir.resolve("rules")).resolve("classification.yaml");
        Files.writeString(rules, limits, StandardCharsets.UTF_8);
        return rules;
    }

    /**
     * The desk resolves every fifth web complaint accepted and not yet resolved, soon after it was accepted (well within
     * its 40 s), sending each RESOLVED event twice (a desk that sends again after a timeout) to the active server.
     */
    private void resolveSome(ArtemisPair pair, IdempotentLoad load) {
        List<String> ids = load.complaintIds().entrySet().stream()
                .filter(e -> Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('-') + 1)) % 5 == 0)
                .map(Map.Entry::getValue).filter(id -> !resolved.containsKey(id)).toList();
        if (ids.isEmpty()) {
            return;
        }
        String url = primaryKilled ? pair.backup.clientUrl() : pair.primary.clientUrl();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
             Connection c = cf.createConnection(ExternalArtemis.USER, ExternalArtemis.PASSWORD)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("complaints.status"));
            for (String id : ids) {
                String event = "{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"A new parcel was sent.\", "
                        + "\"agent\": \"Desk\"}";
                producer.send(s.createTextMessage(event));
                producer.send(s.createTextMessage(event));
                resolved.put(id, Instant.now());
            }
        } catch (Exception e) {
            say("the desk could not send (%s); it sends again in 5 s", e.getMessage());
        }
    }

    /** The same Telegram update, 20 requests at once, alternating between the nodes; their status codes. */
    private List<Integer> sameUpdate20Times(List<String> bases, String marker) throws Exception {
        long now = Instant.now().getEpochSecond();
        String body = "{\"update_id\":" + (800_000_000L + (System.nanoTime() & 0xffff)) + ",\"message\":{\"message_id\":7,"
                + "\"from\":{\"id\":7100000001,\"is_bot\":false,\"first_name\":\"Cluster\",\"language_code\":\"en\"},"
                + "\"chat\":{\"id\":7100000001,\"first_name\":\"Cluster\",\"type\":\"private\"},\"date\":" + now
                + ",\"text\":\"The fridge arrived with a dent in the door. " + marker + "\"}}";
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(bases.get(i % bases.size()) + "/webhooks/telegram"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> codes = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            codes.add(a.get(60, TimeUnit.SECONDS).statusCode());
        }
        return codes;
    }

    /** A mail with a photo attached, read by the node leading the mailbox at the time. */
    private void deliverWithPhoto(GreenMailUser box, String run) throws Exception {
        String raw = "From: customer-photo@example.com\r\nTo: " + CallsAndMails.USER + "\r\nSubject: Broken lamp\r\n"
                + "Message-ID: <" + run + "-photo@mail.example.com>\r\nDate: Mon, 23 Nov 2026 09:12:00 +0800\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nThe lamp arrived broken, photo attached. " + run
                + "-photo\r\n--b1\r\nContent-Type: image/jpeg; name=\"lamp.jpg\"\r\nContent-Disposition: attachment; "
                + "filename=\"lamp.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(PHOTO) + "\r\n--b1--\r\n";
        box.deliver(new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
    }

    /** The evidence link asked of another node (its host and port in place of the link's): status, size, same bytes. */
    private String fetch(String base, String link) throws Exception {
        if (link == null || link.isBlank()) {
            return "no link";
        }
        URI u = URI.create(link);
        URI other = URI.create(base + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(other).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() + " " + r.body().length + " bytes, " + (java.util.Arrays.equals(r.body(), PHOTO) ? "the same" : "other");
    }

    private static void count(Pattern p, String messageId, Map<String, Integer> into) {
        Matcher m = p.matcher(messageId);
        if (m.find()) {
            into.merge(m.group(1), 1, Integer::sum);
        }
    }

    private void say(String format, Object... args) {
        System.out.printf("[cluster-run %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }
}
