package org.complainthub.faultrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.support.HubProcess;
import org.complainthub.support.PlatformApi;
import org.complainthub.support.SmsGateway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole hub under faults (issue 16): an external Artemis from the distribution, the hub as its own process,
 * GreenMail for the mailbox and the acknowledgement mails, stand-ins for the SMS gateway and the platforms' send APIs,
 * and a mixed load at a fixed offered rate: the web form's JSON API and multipart page, Telegram and WhatsApp webhooks,
 * mails over SMTP, call-log files in the drop folder. Meanwhile the hub is killed (SIGKILL) every 30-60 s and started
 * again, and the broker is restarted (alternately its own shutdown and SIGKILL). At the end, after a drain, every
 * complaint a source was told was taken must be on the department queues exactly once and have one acknowledgement in
 * the contact ledger. Prints sent, accepted, found, lost and duplicated per channel; fails on any loss or duplicate.
 * <p>
 * Run (outside the default test run): {@code ./mvnw -B -Pfault-run test} with {@code -Dfault.rate=100}
 * (complaints/s, all channels together), {@code -Dfault.duration=10m}; a smoke run: {@code -Dfault.duration=2m
 * -Dfault.broker-restarts=1}. Everything it starts is on free loopback ports; its files stay in
 * target/fault-run/&lt;time&gt;/ (hub and broker logs, report.txt; the hub's data directory and the broker's journal
 * too when something was lost, duplicated or not acknowledged).
 */
@Tag("fault-run")
class FaultRun {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern REFERENCE = Pattern.compile("C-\\d{8}-\\d{6,}");
    private static final List<String> HUB_QUEUES = List.of("complaints.desk", "complaints.quarantine", "complaints.status",
            "complaints.events", "complaints.outbound.send", "complaints.outbound.dead", "complaints.escalations");

    /** What customers write (no quotes or backslashes: it goes into JSON and CSV as it is). */
    private static final String[] TEXTS = {
            "快递三天都没送到，电话也打不通，订单 %s 一直显示运输中。",
            "The washing machine I bought last week leaks water everywhere, order %s. I want a replacement.",
            "门店店员态度很差，对我大声嚷嚷，要求道歉。订单 %s。",
            "You charged me twice for order %s, please refund the second payment.",
            "洗衣机维修了两次还是漏水，订单 %s，售后一直推脱。",
            "The parcel for order %s arrived damaged and the box was wet.",
            "多收了我50元运费，订单 %s，请退款。",
            "The customer service agent hung up on me twice when I asked about order %s."};

    private final long started = System.nanoTime();
    private final List<String> timeline = new ArrayList<>();

    @Test
    void wholeHubUnderFaults() throws Exception {
        // this JVM's own clients: GreenMail logs every user it creates, the Artemis client every broker restart
        for (String quiet : List.of("com.icegreen", "org.apache.activemq")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(quiet)).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        double rate = Double.parseDouble(setting("fault.rate", "100"));
        Duration duration = duration(setting("fault.duration", "10m"));
        int killMin = Integer.parseInt(setting("fault.kill-min-seconds", "30"));
        int killMax = Integer.parseInt(setting("fault.kill-max-seconds", "60"));
        int brokerRestarts = Integer.parseInt(setting("fault.broker-restarts", "2"));
        Duration drainLimit = duration(setting("fault.drain", "30m"));
        long seed = Long.parseLong(setting("fault.seed", Long.toString(System.nanoTime())));
        Random random = new Random(seed);
        String run = HexFormat.of().formatHex(new byte[] {(byte) random.nextInt(), (byte) random.nextInt()});
        Pattern markers = Pattern.compile("FR" + run + "-(webform-json|webform-form|telegram|whatsapp|email|hotline)-\\d+");
        Path dir = Path.of(setting("fault.dir", "target/fault-run/" + LocalDateTime.now().format(STAMP))).toAbsolutePath();
        Files.createDirectories(dir);
        say("fault run %s: %.1f complaints/s offered for %s, a hub kill every %d-%d s, %d broker restarts, seed %d, in %s",
                run, rate, duration, killMin, killMax, brokerRestarts, seed, dir);

        Set<String> departments = ClassificationRules.load(Path.of("mappings/rules/classification.yaml")).departments();
        ExternalArtemis broker = ExternalArtemis.create(ExternalArtemis.distribution(), dir, freePort(), departments, HUB_QUEUES);
        GreenMail greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        greenMail.start();
        greenMail.setUser(MailSource.MAILBOX, MailSource.MAILBOX, MailSource.PASSWORD);
        PlatformApi platforms = new PlatformApi();
        SmsGateway sms = new SmsGateway();
        broker.start();
        say("broker up (%s), GreenMail SMTP %d IMAP %d", broker.hubUrl().substring(0, broker.hubUrl().indexOf('?')),
                greenMail.getSmtp().getPort(), greenMail.getImap().getPort());

        Path drop = dir.resolve("drop");
        Path data = dir.resolve("hub-data");
        HubUnderFault hub = new HubUnderFault(data, dir, setting("fault.hub-heap", "512m"), freePort(), freePort(), List.of(
                "spring.artemis.embedded.enabled=false",
                "spring.artemis.broker-url=" + broker.hubUrl(),
                "spring.artemis.user=" + ExternalArtemis.USER,
                "spring.artemis.password=" + ExternalArtemis.PASSWORD,
                // every sender is 127.0.0.1 here: the per-client limit would refuse the run's own load
                "hub.intake.max-per-minute-per-client=0",
                "hub.webhooks.telegram.enabled=true",
                "hub.webhooks.telegram.secret-token=" + HttpSenders.TELEGRAM_SECRET,
                "hub.webhooks.telegram.bot-token=123456:fault-run",
                "hub.webhooks.telegram.api-base-url=" + platforms.url("/tg"),
                "hub.outbound.telegram.base-url=" + platforms.url("/telegram"),
                "hub.outbound.telegram.token=123456:fault-run",
                "hub.webhooks.meta.enabled=true",
                "hub.webhooks.meta.app-secret=" + HttpSenders.META_SECRET,
                "hub.webhooks.meta.verify-token=fault-run",
                "hub.outbound.whatsapp.base-url=" + platforms.url("/graph/v21.0"),
                "hub.outbound.whatsapp.sender-id=106540352242922",
                "hub.outbound.whatsapp.token=fault-run-wa-token",
                "hub.email.enabled=true",
                "hub.email.host=127.0.0.1",
                "hub.email.port=" + greenMail.getImap().getPort(),
                "hub.email.username=" + MailSource.MAILBOX,
                "hub.email.password=" + MailSource.PASSWORD,
                "hub.email.poll-interval-ms=1000",
                "hub.outbound.email.host=127.0.0.1",
                "hub.outbound.email.port=" + greenMail.getSmtp().getPort(),
                "hub.outbound.sms.url=" + sms.url(),
                // acknowledgements at all hours and without the hourly budgets (a run sends more than a day's worth)
                "hub.outbound.sms.quiet-from=00:00",
                "hub.outbound.sms.quiet-until=00:00",
                "hub.outbound.sms.max-per-hour=0",
                "hub.outbound.email.max-per-hour=0",
                "hub.hotline.folder=" + drop,
                "hub.hotline.poll-interval-ms=1000"));

        List<QueueWatcher> watchers = new ArrayList<>();
        Map<String, QueueWatcher> byQueue = new HashMap<>();
        List<String> watched = new ArrayList<>();
        departments.forEach(d -> watched.add("complaints." + d));
        watched.addAll(List.of("complaints.desk", "complaints.quarantine", "complaints.escalations", "complaints.events",
                "complaints.outbound.dead", "complaints.dead"));
        for (String q : watched) {
            QueueWatcher w = new QueueWatcher(q, broker.clientUrl(), markers).start();
            watchers.add(w);
            byQueue.put(q, w);
        }

        say("hub up in %s", hub.start(Duration.ofMinutes(3)));

        Map<Channel, List<Unit>> units = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            units.put(c, java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        HttpSenders http = new HttpSenders(hub.httpUrl(), 200);
        MailSource mail = new MailSource(greenMail);
        CallLogSource calls = new CallLogSource(drop, run);

        // ---- the load: a fixed offered rate per channel, whatever the hub answers
        long loadStart = System.nanoTime();
        long loadEnd = loadStart + duration.toNanos();
        Map<Channel, Integer> emitted = new EnumMap<>(Channel.class);
        List<Unit> callBatch = new ArrayList<>();
        List<String> callTexts = new ArrayList<>();
        List<String> callPhones = new ArrayList<>();
        long[] lastDrop = {loadStart};
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> {
            try {
                long now = Math.min(System.nanoTime(), loadEnd);
                double seconds = (now - loadStart) / 1e9;
                for (Channel c : Channel.values()) {
                    int due = (int) Math.floor(rate * c.share * seconds);
                    int done = emitted.getOrDefault(c, 0);
                    for (int seq = done + 1; seq <= due; seq++) {
                        Unit u = new Unit(c, seq, "FR" + run + "-" + c.label + "-" + seq);
                        units.get(c).add(u);
                        String text = String.format(TEXTS[seq % TEXTS.length], "FR" + (100000 + seq)) + " (ref " + u.marker + ")";
                        String phone = "+86138" + String.format("%08d", c.ordinal() * 10_000_000 + seq);
                        String email = c.label + "-" + seq + "." + run + "@customers.example";
                        switch (c) {
                            case EMAIL -> mail.send(u, text, email);
                            case HOTLINE -> {
                                callBatch.add(u);
                                callTexts.add(text);
                                callPhones.add(phone);
                            }
                            default -> http.send(u, text, email, phone);
                        }
                    }
                    emitted.put(c, Math.max(done, due));
                }
                if (now - lastDrop[0] >= TimeUnit.SECONDS.toNanos(1) || now >= loadEnd) {
                    calls.drop(List.copyOf(callBatch), List.copyOf(callTexts), List.copyOf(callPhones));
                    callBatch.clear();
                    callTexts.clear();
                    callPhones.clear();
                    lastDrop[0] = now;
                }
            } catch (RuntimeException e) {
                say("load ticker: %s", e);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);

        // ---- the faults, one at a time, until the load ends. The hub runs 30-60 s (ready for traffic) between two
        // kills; after a broker restart it runs at least 20 s before the next kill, so its own recovery from the
        // restart is part of the run; two broker restarts are at least 30 s apart.
        List<Long> brokerAt = new ArrayList<>();
        for (int i = 1; i <= brokerRestarts; i++) {
            brokerAt.add(loadStart + duration.toNanos() * i / (brokerRestarts + 1));
        }
        int kills = 0;
        int brokerDone = 0;
        long nextKill = loadStart + TimeUnit.SECONDS.toNanos(killMin + random.nextInt(killMax - killMin + 1));
        while (true) {
            long nextBroker = brokerDone < brokerAt.size() ? brokerAt.get(brokerDone) : Long.MAX_VALUE;
            long next = Math.min(nextKill, nextBroker);
            if (next >= loadEnd) {
                break;
            }
            sleepUntil(next);
            if (next == nextBroker) {
                brokerDone++;
                boolean sigkill = brokerDone % 2 == 0;
                long t0 = System.nanoTime();
                if (sigkill) {
                    broker.kill();
                } else {
                    broker.stop();
                }
                say("broker restart %d: %s", brokerDone, sigkill ? "SIGKILL" : "stopped (SIGTERM)");
                Thread.sleep(2000);
                broker.start();
                say("broker up again after %.1f s down", (System.nanoTime() - t0) / 1e9);
                long up = System.nanoTime();
                nextKill = Math.max(nextKill, up + TimeUnit.SECONDS.toNanos(20));
                for (int i = brokerDone; i < brokerAt.size(); i++) {
                    brokerAt.set(i, Math.max(brokerAt.get(i), up + TimeUnit.SECONDS.toNanos(30)));
                }
            } else {
                kills++;
                hub.kill();
                say("hub kill %d (SIGKILL)", kills);
                startHub(hub);
                nextKill = System.nanoTime() + TimeUnit.SECONDS.toNanos(killMin + random.nextInt(killMax - killMin + 1));
            }
        }
        sleepUntil(loadEnd);
        Thread.sleep(100);
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        int offered = units.values().stream().mapToInt(List::size).sum();
        say("load ended: %d complaints offered in %.1f s (%.1f/s); draining", offered, duration.toNanos() / 1e9,
                offered / (duration.toNanos() / 1e9));

        // ---- the drain: until the sources are settled, the hub's outbound queue is empty and nothing more arrives
        long drainEnd = System.nanoTime() + drainLimit.toNanos();
        http.giveUpAt(drainEnd);
        String state = "";
        long nextProgress = System.nanoTime();
        while (System.nanoTime() < drainEnd) {
            if (!hub.alive()) {
                say("the hub died during the drain: started again");
                startHub(hub);
            }
            long pendingHttp = units.entrySet().stream().filter(e -> e.getKey() != Channel.EMAIL && e.getKey() != Channel.HOTLINE)
                    .flatMap(e -> snapshot(e.getValue()).stream()).filter(u -> u.state() == Unit.State.SENT).count();
            long unsentMail = snapshot(units.get(Channel.EMAIL)).stream().filter(u -> u.attempts.get() == 0).count();
            int inbox = mail.inbox();
            int waitingFiles = calls.waiting();
            long outbound = broker.depth("complaints.outbound.send");
            long idle = watchers.stream().mapToLong(QueueWatcher::idleNanos).min().orElse(0);
            state = String.format("http pending %d, mails unsent %d, inbox %d, call-log files waiting %d, outbound queue %d, "
                    + "queues idle %.0f s", pendingHttp, unsentMail, inbox, waitingFiles, outbound, idle / 1e9);
            if (pendingHttp == 0 && unsentMail == 0 && inbox == 0 && waitingFiles == 0 && outbound == 0
                    && idle > TimeUnit.SECONDS.toNanos(10)) {
                break;
            }
            if (System.nanoTime() >= nextProgress) {
                say("draining: %s", state);
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            Thread.sleep(1000);
        }
        say("drain done: %s", state);
        http.giveUpAt(System.nanoTime());
        hub.stop();
        Thread.sleep(3000);
        for (QueueWatcher w : watchers) {
            w.stop();
        }
        broker.stop();
        say("hub and broker stopped");

        // ---- what the sources were told
        Map<String, List<String>> folders = mail.markersByFolder(markers);
        Map<String, Unit> byMarker = new HashMap<>();
        units.values().forEach(list -> snapshot(list).forEach(u -> byMarker.put(u.marker, u)));
        folders.forEach((folder, found) -> {
            if (!folder.equalsIgnoreCase("INBOX")) {
                found.forEach(m -> {
                    Unit u = byMarker.get(m);
                    if (u != null) {
                        u.accepted(folder);
                    }
                });
            }
        });
        List<String> errorFiles = calls.settle();

        // ---- the hub's ledger (its database, read after it stopped)
        Map<String, Integer> acks = new HashMap<>();
        Set<String> contacts = new TreeSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/hub")
                + ";ACCESS_MODE_DATA=r", "hub", ""); // read only: no compaction of the hub's file on close
             Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT complaint_id, COUNT(*) FROM outbound_sent WHERE kind = 'ACK' GROUP BY complaint_id")) {
                while (rs.next()) {
                    acks.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT complaint_id FROM complaint_contact")) {
                while (rs.next()) {
                    contacts.add(rs.getString(1));
                }
            }
        }

        // ---- acknowledgements as the customers received them (at least once; a kill between a send and its record
        // sends it again, which the ledger's one row per complaint and kind cannot show)
        Map<String, Integer> delivered = new ConcurrentHashMap<>();
        List<String> outbound = new ArrayList<>(mail.outboundMails());
        sms.received().forEach(r -> outbound.add(r.body()));
        platforms.received().forEach(r -> outbound.add(r.body()));
        for (String text : outbound) {
            Matcher m = REFERENCE.matcher(text);
            if (m.find()) {
                delivered.merge(m.group(), 1, Integer::sum);
            }
        }

        // ---- the account
        Map<String, Set<QueueWatcher.Seen>> onDepartments = new HashMap<>();
        departments.forEach(d -> byQueue.get("complaints." + d).byMarker().forEach((marker, seen) ->
                onDepartments.computeIfAbsent(marker, k -> new java.util.HashSet<>()).addAll(seen)));
        Map<String, Set<QueueWatcher.Seen>> onDesk = byQueue.get("complaints.desk").byMarker();
        Map<String, Set<QueueWatcher.Seen>> quarantined = byQueue.get("complaints.quarantine").byMarker();

        StringBuilder report = new StringBuilder();
        report.append(String.format("%nFAULT RUN %s: %.1f complaints/s offered for %.0f s (%d complaints), hub killed %d times "
                        + "(SIGKILL) and started %d times, broker restarted %d times (of %d planned)%n", run, rate,
                duration.toNanos() / 1e9, offered, kills, hub.starts(), brokerDone, brokerRestarts));
        report.append(String.format("%-13s %7s %8s %7s %9s %7s %5s %10s %7s %7s %6s %8s %11s%n", "channel", "sent", "accepted",
                "refused", "not-taken", "found", "lost", "duplicated", "on-desk", "acked", "no-ack", "retried", "quarantined"));
        long[] total = new long[12];
        List<String> problems = new ArrayList<>();
        for (Channel c : Channel.values()) {
            long sent = 0, accepted = 0, refused = 0, notTaken = 0, found = 0, lost = 0, duplicated = 0, desk = 0, acked = 0,
                    noAck = 0, retried = 0, inQuarantine = 0;
            for (Unit u : snapshot(units.get(c))) {
                sent++;
                Set<QueueWatcher.Seen> seen = onDepartments.getOrDefault(u.marker, Set.of());
                int deskCopies = onDesk.getOrDefault(u.marker, Set.of()).size();
                if (u.attempts.get() > 1) {
                    retried++;
                }
                if (quarantined.containsKey(u.marker)) {
                    inQuarantine++;
                    problems.add(u.marker + " quarantined");
                }
                if (seen.size() > 1) {
                    duplicated++;
                    problems.add(u.marker + " on the department queues " + seen.size() + " times: " + seen);
                }
                if (deskCopies == 1) {
                    desk++;
                } else if (deskCopies > 1 || (deskCopies == 0 && !seen.isEmpty())) {
                    problems.add(u.marker + " on the desk queue " + deskCopies + " times");
                }
                switch (u.state()) {
                    case ACCEPTED -> accepted++;
                    case REFUSED -> {
                        refused++;
                        problems.add(u.marker + " refused: " + u.answer());
                    }
                    default -> notTaken++;
                }
                if (!seen.isEmpty()) {
                    found++;
                    String id = seen.iterator().next().complaintId();
                    if (acks.getOrDefault(id, 0) == 1 && contacts.contains(id)) {
                        acked++;
                    } else {
                        noAck++;
                        problems.add(u.marker + " (" + id + ") has " + acks.getOrDefault(id, 0) + " acknowledgements in the "
                                + "ledger" + (contacts.contains(id) ? "" : " and no contact row"));
                    }
                } else if (u.state() == Unit.State.ACCEPTED) {
                    lost++;
                    problems.add(u.marker + " LOST: accepted (" + u.answer() + ") but on no department queue");
                }
            }
            long[] row = {sent, accepted, refused, notTaken, found, lost, duplicated, desk, acked, noAck, retried, inQuarantine};
            for (int i = 0; i < row.length; i++) {
                total[i] += row[i];
            }
            report.append(line(c.label, row));
        }
        report.append(line("total", total));
        long deliveredOnce = delivered.values().stream().filter(n -> n == 1).count();
        long deliveredMore = delivered.values().stream().filter(n -> n > 1).count();
        report.append(String.format("acknowledgements the customers received: %d complaints once, %d more than once (a kill "
                        + "between a send and its record; the ledger holds one)%n", deliveredOnce, deliveredMore));
        report.append(String.format("HTTP requests %d, of which without a 2xx (retried) %d; SMTP failures %d; call-log files %d "
                + "(in error/: %d)%n", http.requests(), http.failures(), mail.smtpFailures(), calls.files(), errorFiles.size()));
        for (QueueWatcher w : watchers) {
            report.append(String.format("queue %-28s %7d messages (%d without a run marker), watcher reconnects %d%n", w.queue(),
                    w.received(), w.withoutMarker(), w.reconnects()));
            if (w.withoutMarker() > 0) {
                w.strays().forEach(s -> report.append("    e.g. ").append(s.replace('\n', ' ')).append('\n'));
            }
        }
        report.append("timeline:\n");
        synchronized (timeline) {
            timeline.forEach(t -> report.append("  ").append(t).append('\n'));
        }
        report.append(String.format("RESULT: lost %d, duplicated %d, without acknowledgement %d, refused %d, not taken by the "
                + "end %d%n", total[5], total[6], total[9], total[2], total[3]));
        problems.stream().limit(50).forEach(p -> report.append("  problem: ").append(p).append('\n'));
        System.out.println(report);
        Files.writeString(dir.resolve("report.txt"), report, StandardCharsets.UTF_8);

        http.close();
        mail.close();
        platforms.close();
        sms.close();
        greenMail.stop();

        if (total[5] == 0 && total[6] == 0 && total[9] == 0) {
            // nothing to look into: the logs and the report stay, the GBs of journal, database and unpacked broker go
            // (the hub's H2 file grows to ~45 KB per complaint under this load before it compacts)
            HubProcess.delete(data);
            HubProcess.delete(dir.resolve("broker/data"));
            try (java.util.stream.Stream<Path> dist = Files.list(dir)) {
                for (Path p : dist.filter(p -> p.getFileName().toString().startsWith("apache-artemis-")).toList()) {
                    HubProcess.delete(p);
                }
            }
        }
        assertThat(total[5]).as("complaints lost (see " + dir.resolve("report.txt") + ")").isZero();
        assertThat(total[6]).as("complaints duplicated").isZero();
        assertThat(total[9]).as("complaints without exactly one acknowledgement in the ledger").isZero();
        assertThat(total[1]).as("complaints accepted").isPositive();
        assertThat(brokerDone).as("broker restarts done during the load").isEqualTo(brokerRestarts);
        // a very short run may end before its first kill (a broker restart also holds the next kill back 20 s)
        assertThat(kills).as("hub kills during the load").isGreaterThanOrEqualTo(duration.getSeconds() >= 120 ? 1 : 0);
    }

    private void startHub(HubUnderFault hub) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                say("hub up again in %.1f s", hub.start(Duration.ofMinutes(3)).toMillis() / 1000.0);
                return;
            } catch (IllegalStateException e) {
                say("hub start %d failed: %s", attempt, e.getMessage().lines().findFirst().orElse(""));
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static String line(String label, long[] row) {
        return String.format("%-13s %7d %8d %7d %9d %7d %5d %10d %7d %7d %6d %8d %11d%n", label, row[0], row[1], row[2], row[3],
                row[4], row[5], row[6], row[7], row[8], row[9], row[10], row[11]);
    }

    private static List<Unit> snapshot(List<Unit> list) {
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private void say(String format, Object... args) {
        String line = String.format("[%6.1f s] ", (System.nanoTime() - started) / 1e9) + String.format(format, args);
        synchronized (timeline) {
            timeline.add(line);
        }
        System.out.println("FAULT RUN " + line);
    }

    private static String setting(String key, String fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    /** 10m, 90s, 1h, or ISO-8601 (PT10M). */
    static Duration duration(String s) {
        Matcher m = Pattern.compile("(\\d+)\\s*([smh])").matcher(s.toLowerCase());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        return Duration.parse(s);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
