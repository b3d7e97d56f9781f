package org.complainthub.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.jms.Message;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.complainthub.support.MailHubTest;
import org.complainthub.support.Multipart;
import org.complainthub.support.PlatformMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The hostile-input suite (issue 16): every case under {@code src/test/resources/hostile/<channel>/} (the format:
 * hostile/README.md) against ONE hub with every channel on: the web form's JSON API and form, each webhook platform,
 * the mailbox the email channel reads (GreenMail) and the hotline's drop folder. Each case must end as its index says:
 * a clear 4xx with the reason in the answer (a call-log file: error/ with the reason), complaints.quarantine with the
 * reason, a complaint whose record meets the case's conditions, or nothing queued; never a 5xx. After all cases every
 * route still runs, each channel still takes its good input (the probe), and no complaint reached the department
 * queues that no case expected.
 */
@TestPropertySource(properties = {
        "hub.email.enabled=true", "hub.email.poll-interval-ms=50", "hub.email.username=complaints@shop.example",
        "hub.email.password=secret", "hub.email.max-attempts=2",
        "hub.email.max-bytes=4194304",
        "hub.hotline.read-lock-check-ms=50", "hub.hotline.poll-interval-ms=50",
        // one client sends every case: the rate limit would answer 429 after 30
        "hub.intake.max-per-minute-per-client=0",
        "hub.outbound.max-per-recipient-per-hour=1000", "camel.main.shutdown-timeout=5"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputsTest extends MailHubTest {

    /** The channels, by their folder under hostile/, in the order they run. */
    static final List<String> ALL_CHANNELS = List.of("webform-api", "webform-form", "wechat", "messenger", "whatsapp",
            "instagram", "telegram", "slack", "x", "line", "sms", "email", "hotline");
    /** -Dhostile.channels=wechat,email runs only those channels' cases (while writing cases); default all. */
    static final List<String> CHANNELS = System.getProperty("hostile.channels", "").isBlank() ? ALL_CHANNELS
            : List.of(System.getProperty("hostile.channels").split(","));
    private static final Pattern STACK_TRACE = Pattern.compile("Exception|\\tat [a-z]|org\\.apache|org\\.springframework");
    private static final Duration WAIT = Duration.ofSeconds(20);

    static final PlatformMedia MEDIA = startMedia();
    static Path dropFolder;
    static Path hotlineReports;
    static final ListAppender<ILoggingEvent> HOTLINE_LOG = new ListAppender<>();

    @Autowired
    CamelContext camel;

    /** What the cases were expected to queue, and what they did: summed for the check after all cases. */
    static int expectedComplaints;
    static int queuedComplaints;
    static int expectedQuarantined;
    static int quarantined;
    static final List<String> strays = new ArrayList<>();
    /** Cases whose acknowledgement is checked once the outbound path has sent it. */
    static final List<HostileCase> replies = new ArrayList<>();
    /** The address every header-injection case tries to smuggle into a reply. */
    static final String VICTIM = "victim@example.org";
    static String lastCase = "(none)";
    static List<String> startedRoutes;
    static long started = System.nanoTime();

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry r) throws IOException {
        // under target/ as the hub's data directory is (./mvnw clean removes them)
        Path under = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
        dropFolder = Files.createTempDirectory(under, "hostile-hotline-");
        hotlineReports = Files.createTempDirectory(under, "hostile-hotline-reports-");
        r.add("hub.hotline.folder", dropFolder::toString);
        r.add("hub.hotline.reports-folder", hotlineReports::toString);
        r.add("hub.webhooks.meta.enabled", () -> "true");
        r.add("hub.webhooks.meta.app-secret", () -> PlatformRequests.META_SECRET);
        r.add("hub.webhooks.meta.verify-token", () -> PlatformRequests.META_VERIFY_TOKEN);
        r.add("hub.webhooks.meta.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.meta.api-base-url", () -> MEDIA.base() + "/graph");
        r.add("hub.webhooks.meta.media-token", () -> "wa-token-hostile");
        r.add("hub.webhooks.meta.media-max-bytes", () -> "2097152");
        r.add("hub.webhooks.wechat.enabled", () -> "true");
        r.add("hub.webhooks.wechat.token", () -> PlatformRequests.WECHAT_TOKEN);
        r.add("hub.webhooks.wechat.encoding-aes-key", () -> PlatformRequests.WECHAT_AES_KEY);
        r.add("hub.webhooks.wechat.app-id", () -> PlatformRequests.WECHAT_APP_ID);
        r.add("hub.webhooks.wechat.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.wechat.media-max-bytes", () -> "2097152");
        // plain mode is what most hostile bodies are sent in (safe mode wraps the same bytes): allowed here
        r.add("hub.webhooks.wechat.allow-plain", () -> "true");
        r.add("hub.webhooks.slack.enabled", () -> "true");
        r.add("hub.webhooks.slack.signing-secret", () -> PlatformRequests.SLACK_SECRET);
        r.add("hub.webhooks.slack.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.slack.media-token", () -> "xoxb-hostile");
        r.add("hub.webhooks.telegram.enabled", () -> "true");
        r.add("hub.webhooks.telegram.secret-token", () -> PlatformRequests.TELEGRAM_TOKEN);
        r.add("hub.webhooks.telegram.api-base-url", () -> MEDIA.base() + "/tg");
        r.add("hub.webhooks.telegram.bot-token", () -> "123:ABC");
        r.add("hub.webhooks.telegram.media-max-bytes", () -> "2097152");
        r.add("hub.webhooks.x.enabled", () -> "true");
        r.add("hub.webhooks.x.consumer-secret", () -> PlatformRequests.X_SECRET);
        r.add("hub.webhooks.line.enabled", () -> "true");
        r.add("hub.webhooks.line.signature.secret", () -> PlatformRequests.LINE_SECRET);
        r.add("hub.webhooks.sms.enabled", () -> "true");
        r.add("hub.webhooks.sms.signature.secret", () -> PlatformRequests.SMS_SECRET);
    }

    private static PlatformMedia startMedia() {
        try {
            return new PlatformMedia();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopMedia() {
        MEDIA.close();
        ((Logger) LoggerFactory.getLogger("org.complainthub.channel.hotline")).detachAppender(HOTLINE_LOG);
    }

    // ------------------------------------------------------------------------------------------------ the run

    @Test
    @Order(1)
    void theHubRunsEveryChannelBeforeTheCases() {
        startedRoutes = camel.getRoutes().stream().map(Route::getRouteId)
                .filter(id -> camel.getRouteController().getRouteStatus(id) == ServiceStatus.Started).sorted().toList();
        assertThat(startedRoutes).contains("webform-api-intake", "webform-form-intake", "wechat-webhook", "meta-webhook",
                "telegram-webhook", "slack-webhook", "x-webhook", "line-webhook", "sms-webhook", "email-intake", "hotline-folder");
        mailbox(); // the mailbox the email channel logs in to
        Logger hotline = (Logger) LoggerFactory.getLogger("org.complainthub.channel.hotline");
        HOTLINE_LOG.start();
        hotline.addAppender(HOTLINE_LOG);
        started = System.nanoTime();
    }

    @TestFactory
    @Order(2)
    Stream<DynamicContainer> hostileInputs() {
        return CHANNELS.stream().map(channel -> {
            HostileCases.Index index = HostileCases.load(channel);
            return DynamicContainer.dynamicContainer(channel + " (" + index.cases.size() + " cases)",
                    HostileCases.ROOT.resolve(channel).toUri(),
                    index.cases.stream().map(c -> DynamicTest.dynamicTest(c.displayName(), source(c), () -> run(c, index))));
        });
    }

    /**
     * After every case: each route that ran before still runs, each channel still takes a good complaint (its probe),
     * and the department queues got exactly the complaints the cases expected.
     */
    @Test
    @Order(3)
    void afterAllCasesEveryRouteRunsEveryChannelTakesAGoodComplaintAndNothingElseWasQueued() throws Exception {
        System.out.printf("hostile cases took %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(startedRoutes).as("the first test of the class ran").isNotNull();
        for (String id : startedRoutes) {
            assertThat(camel.getRouteController().getRouteStatus(id)).as("route " + id + " after all cases").isEqualTo(ServiceStatus.Started);
        }
        List<String> failed = new ArrayList<>();
        for (String channel : CHANNELS) {
            HostileCases.Index index = HostileCases.load(channel);
            try {
                run(index.probe, index);
            } catch (AssertionError | Exception e) {
                failed.add(channel + ": " + e.getMessage());
            }
        }
        assertThat(failed).as("channels that no longer take a good complaint").isEmpty();
        for (HostileCase c : replies) {
            acknowledgementReachesOnly(c);
        }
        GreenMailUser victim = mail.getUserManager().getUser(VICTIM);
        assertThat(victim == null ? 0 : mail.getManagers().getImapHostManager().getInbox(victim).getMessageCount())
                .as("replies that reached an address a case smuggled into a header").isZero();
        takeStrays();
        assertThat(strays).as("complaints or quarantined messages no case expected (by the case before them)").isEmpty();
        assertThat(queuedComplaints).as("complaints queued, all cases and probes").isEqualTo(expectedComplaints);
        assertThat(quarantined).as("messages quarantined, all cases").isEqualTo(expectedQuarantined);
        assertThat(depthOfAllComplaintQueues() - depth("complaints.events")).as("nothing left on the desk, department and quarantine queues").isZero();
    }

    /** The case's acknowledgement went to its customer alone, with a subject on one line and no smuggled header. */
    private void acknowledgementReachesOnly(HostileCase c) throws Exception {
        List<MimeMessage> acks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            acks.clear();
            for (MimeMessage m : mail.getReceivedMessages()) {
                Address[] to = m.getAllRecipients();
                if (to != null && Arrays.stream(to).anyMatch(a -> a.toString().contains(c.reply))) {
                    acks.add(m);
                }
            }
            return !acks.isEmpty();
        });
        for (MimeMessage m : acks) {
            String what = c.displayName() + ": the acknowledgement to " + c.reply;
            assertThat(Arrays.stream(m.getAllRecipients()).map(a -> ((InternetAddress) a).getAddress()))
                    .as(what + ": its recipients").containsExactly(c.reply);
            assertThat(m.getHeader("Bcc")).as(what + ": Bcc").isNull();
            assertThat(m.getSubject()).as(what + ": its subject").doesNotContainPattern("[\\r\\n]");
        }
    }

    private static URI source(HostileCase c) {
        return c.file != null ? c.folder.resolve(c.file).toUri() : c.folder.resolve("cases.yaml").toUri();
    }

    private void run(HostileCase c, HostileCases.Index index) throws Exception {
        takeStrays();
        lastCase = c.displayName();
        switch (c.channel) {
            case "email" -> mail(c);
            case "hotline" -> hotline(c);
            default -> http(c, index);
        }
    }

    /** Anything on the queues before a case starts was queued by the one before it, which expected nothing more. */
    private void takeStrays() throws Exception {
        Queued left = queued();
        if (left.complaints() > 0 || !left.quarantined().isEmpty()) {
            strays.add(lastCase + ": " + left.complaints() + " complaint(s) and " + left.quarantined().size()
                    + " quarantined message(s) after it was checked " + left.quarantined());
            queuedComplaints += left.complaints();
            quarantined += left.quarantined().size();
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private void http(HostileCase c, HostileCases.Index index) throws Exception {
        String platform = index.platform != null ? index.platform : c.channel;
        boolean webform = c.channel.startsWith("webform");
        String method = c.method == null ? "POST" : c.method;
        byte[] body = payload(c);
        String contentType = c.contentType;
        if (c.form != null || c.files != null) {
            if (Boolean.TRUE.equals(c.urlencoded)) {
                body = urlencoded(c.form);
                contentType = contentType == null ? "application/x-www-form-urlencoded" : contentType;
            } else {
                Multipart m = multipart(c);
                body = m.body();
                contentType = contentType == null ? m.contentType() : contentType;
            }
        }
        if (contentType == null) {
            contentType = switch (platform) {
                case "wechat" -> "text/xml";
                case "sms" -> "application/x-www-form-urlencoded";
                case "webform-form" -> "multipart/form-data";
                default -> "application/json";
            };
        }
        String query = c.query == null ? "" : c.query;
        List<String[]> headers = new ArrayList<>();
        c.headers.forEach((k, v) -> headers.add(new String[] {k, repeated(v)}));
        if (!webform) {
            PlatformRequests.Signed s = PlatformRequests.sign(platform, c.sign, c.mode, body, method.equals("GET"));
            body = s.body();
            query = join(query, s.query());
            headers.addAll(s.headers());
            serveMedia(c);
        }
        String path = c.path != null ? c.path : switch (platform) {
            case "webform-api" -> "/api/complaints";
            case "webform-form" -> "/complaints";
            default -> "/webhooks/" + platform;
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30));
        if (!method.equals("GET")) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(h -> b.header(h[0], h[1]));
        b.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpRequest request = b.build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int defaultStatus = webform ? 202 : 200;
        checkAnswer(c, answer, c.status != null ? c.status : defaultStatus);
        if (c.replay != null) {
            HttpResponse<String> again = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(again.statusCode()).as(c.displayName() + ": the replay's status; answer " + again.body())
                    .isEqualTo(c.replay.status == null ? answer.statusCode() : c.replay.status);
            if (c.replay.reason != null) {
                assertThat(again.body()).as(c.displayName() + ": the replay's answer").contains(c.replay.reason);
            }
        }
        outcome(c);
    }

    private void checkAnswer(HostileCase c, HttpResponse<String> answer, int status) {
        String what = c.displayName() + ": answered " + answer.statusCode() + " " + answer.body();
        assertThat(answer.statusCode()).as(what + " (never 5xx)").isLessThan(500);
        assertThat(answer.statusCode()).as(what).isEqualTo(status);
        if (c.expect == HostileCase.Expect.reject) {
            assertThat(answer.statusCode()).as(what + " (a rejection is a 4xx)").isBetween(400, 499);
            assertThat(answer.body()).as(what + " (says what was wrong)").contains(c.reason);
        }
        assertThat(answer.body()).as(what + " (no stack trace, no internals)").doesNotContainPattern(STACK_TRACE);
    }

    /** {{<text>*<n>}} in a header value: the text n times (a header too long for a case file). */
    private static String repeated(String value) {
        java.util.regex.Matcher m = Pattern.compile("\\{\\{(.+?)\\*(\\d+)}}").matcher(value);
        return m.find() ? value.substring(0, m.start()) + m.group(1).repeat(Integer.parseInt(m.group(2)))
                + value.substring(m.end()) : value;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "&" + b;
    }

    private byte[] payload(HostileCase c) {
        byte[] body = c.generate != null ? Generators.generate(c.generate, c) : c.file != null ? HostileCases.read(c, c.file) : new byte[0];
        return media(body);
    }

    /** {{media}} in a payload: the local stand-in for the platforms' media hosts (a host the hub fetches from). */
    private static byte[] media(byte[] body) {
        String marker = "{{media}}";
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.contains(marker) ? text.replace(marker, MEDIA.base()).getBytes(StandardCharsets.ISO_8859_1) : body;
    }

    private void serveMedia(HostileCase c) {
        if (c.media == null) {
            return;
        }
        c.media.forEach((path, spec) -> {
            byte[] content = spec.containsKey("generate") ? Generators.generate(spec.get("generate"), c)
                    : spec.containsKey("file") ? HostileCases.read(c, spec.get("file").asText())
                    : media(spec.getOrDefault("text", TextNode.valueOf("")).asText()
                            .getBytes(StandardCharsets.UTF_8));
            MEDIA.serve(path, spec.containsKey("contentType") ? spec.get("contentType").asText() : "application/octet-stream", content);
        });
    }

    private Multipart multipart(HostileCase c) {
        Multipart m = new Multipart();
        if (c.form != null) {
            c.form.forEach((name, value) -> {
                if (value.isArray()) {
                    value.forEach(v -> m.field(name, v.asText()));
                } else {
                    m.field(name, value.asText());
                }
            });
        }
        for (Map<String, JsonNode> f : c.files == null ? List.<Map<String, JsonNode>>of() : c.files) {
            byte[] content = f.containsKey("generate") ? Generators.generate(f.get("generate"), c)
                    : f.containsKey("file") ? HostileCases.read(c, f.get("file").asText())
                    : f.getOrDefault("text", TextNode.valueOf("")).asText().getBytes(StandardCharsets.UTF_8);
            m.file(f.containsKey("field") ? f.get("field").asText() : "attachments", f.get("filename").asText(),
                    f.containsKey("contentType") ? f.get("contentType").asText() : "application/octet-stream", content);
        }
        return m;
    }

    private static byte[] urlencoded(Map<String, JsonNode> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((name, value) -> {
            for (JsonNode v : value.isArray() ? value : List.of(value)) {
                pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v.asText(), StandardCharsets.UTF_8));
            }
        });
        return String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ email

    private void mail(HostileCase c) throws Exception {
        byte[] raw = payload(c);
        if (!Boolean.TRUE.equals(c.asIs)) {
            raw = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        int before = folderCount("ComplaintHub.Processed") + folderCount("ComplaintHub.Quarantine");
        mailbox().deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> inbox().getMessageCount() == 0
                && folderCount("ComplaintHub.Processed") + folderCount("ComplaintHub.Quarantine") > before);
        outcome(c);
    }

    private GreenMailUser mailbox() {
        GreenMailUser user = mail.getUserManager().getUser("complaints@shop.example");
        return user != null ? user : mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
    }

    private MailFolder inbox() throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(mailbox());
    }

    private int folderCount(String folder) throws Exception {
        MailFolder f = mail.getManagers().getImapHostManager().getFolder(mailbox(), folder);
        return f == null ? 0 : f.getMessageCount();
    }

    // ------------------------------------------------------------------------------------------------ hotline

    private void hotline(HostileCase c) throws Exception {
        byte[] content = payload(c);
        Path folder = c.format == null ? dropFolder : dropFolder.resolve(c.format);
        Files.createDirectories(folder);
        String name = c.file != null ? Path.of(c.file).getFileName().toString() : c.name + ".csv";
        Path part = folder.resolve(name + ".part");
        Files.write(part, content);
        int logged = HOTLINE_LOG.list.size();
        Files.move(part, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> movedTo(folder, "done", name) || movedTo(folder, "error", name));
        boolean error = movedTo(folder, "error", name);
        if (c.expect == HostileCase.Expect.reject) {
            assertThat(error).as(c.displayName() + ": the file is moved to error/").isTrue();
            List<String> lines = HOTLINE_LOG.list.subList(logged, HOTLINE_LOG.list.size()).stream()
                    .map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains("moved to error/")).toList();
            assertThat(lines).as(c.displayName() + ": the reason it went to error/").anySatisfy(l -> assertThat(l).contains(c.reason));
        } else {
            assertThat(error).as(c.displayName() + ": the file is moved to done/, not error/").isFalse();
        }
        outcome(c);
        if (c.rows != null) {
            reportIsNeutralised(c, name);
        }
    }

    /** The file's quarantine report (for whoever fixes the export, in a spreadsheet): no cell a spreadsheet runs. */
    private static void reportIsNeutralised(HostileCase c, String name) throws IOException {
        List<Path> reports;
        try (Stream<Path> files = Files.list(hotlineReports)) {
            // <time>-<file>.quarantined.csv, the file's folder in its name (freeswitch_<file>) for a format's sub-folder
            reports = files.filter(p -> p.getFileName().toString().endsWith(name + ".quarantined.csv")).toList();
        }
        assertThat(reports).as(c.displayName() + ": the file's quarantine report").hasSize(1);
        try (CSVParser parser = CSVParser.parse(reports.get(0), StandardCharsets.UTF_8,
                CSVFormat.RFC4180.builder().setHeader().get())) {
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).as(c.displayName() + ": rows in the report").hasSize(c.rows.size());
            for (CSVRecord r : records) {
                for (String cell : r) {
                    assertThat(cell).as(c.displayName() + ": a report cell a spreadsheet would run").doesNotMatch("(?s)^[=+\\-@\\t\\r].*");
                }
            }
        }
    }

    private static boolean movedTo(Path folder, String outcome, String name) throws IOException {
        Path dir = dropFolder.resolve(outcome);
        Path sub = folder.resolve(outcome);
        for (Path d : List.of(dir, sub)) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    if (files.anyMatch(p -> p.getFileName().toString().endsWith("-" + name))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    record Quarantined(String reason, String channel, String lineNumber) {
    }

    record Queued(int complaints, List<JsonNode> records, List<Quarantined> quarantined) {
    }

    /** What the case queued: the desk's copies (one per complaint), the department queues' count, the quarantine. */
    private Queued queued() throws Exception {
        List<JsonNode> records = drain("complaints.desk");
        int onDepartments = 0;
        for (String q : DESK_QUEUES) {
            if (!q.equals("complaints.desk")) {
                onDepartments += drain(q).size();
            }
        }
        assertThat(onDepartments).as("one copy on a department queue per complaint on the desk").isEqualTo(records.size());
        List<Quarantined> quarantine = new ArrayList<>();
        while (depth("complaints.quarantine") > 0) {
            Message m = jms.receive("complaints.quarantine");
            if (m != null) { // (a large body cannot be read once the template closed the session: only properties)
                quarantine.add(new Quarantined(m.getStringProperty("reason"), m.getStringProperty("channel"),
                        m.getStringProperty("lineNumber")));
            }
        }
        drain("complaints.escalations");
        return new Queued(records.size(), records, quarantine);
    }

    private void outcome(HostileCase c) throws Exception {
        int complaints = c.expectedComplaints();
        int rows = c.rows == null ? 0 : c.rows.size();
        int quarantine = c.expect == HostileCase.Expect.quarantine ? (c.rows != null ? rows : 1) : 0;
        expectedComplaints += complaints;
        expectedQuarantined += quarantine;
        if (complaints > 0 || quarantine > 0) {
            // a durable send precedes every answer and every move; the desk's copy comes by the broker's divert
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> depth("complaints.desk") >= complaints && depth("complaints.quarantine") >= quarantine);
        }
        Queued q = queued();
        queuedComplaints += q.complaints();
        quarantined += q.quarantined().size();
        assertThat(q.complaints()).as(c.displayName() + ": complaints queued " + q.records()).isEqualTo(complaints);
        assertThat(q.quarantined()).as(c.displayName() + ": messages quarantined").hasSize(quarantine);
        if (c.reply != null) {
            replies.add(c);
        }
        for (JsonNode record : q.records()) {
            assertThat(recordSchema.problems(record.toString())).as(c.displayName() + ": the record against the schema").isEmpty();
            c.hold.forEach((pointer, expected) -> hold(c, record, pointer, expected));
        }
        if (c.expect == HostileCase.Expect.quarantine) {
            if (c.rows != null) {
                Map<String, String> byLine = new LinkedHashMap<>();
                q.quarantined().forEach(m -> byLine.put(m.lineNumber(), m.reason()));
                assertThat(byLine.keySet()).as(c.displayName() + ": the quarantined rows' line numbers").containsExactlyInAnyOrderElementsOf(c.rows.keySet());
                c.rows.forEach((line, reason) -> assertThat(byLine.get(line)).as(c.displayName() + ": reason of line " + line).contains(reason));
            } else {
                Quarantined m = q.quarantined().get(0);
                assertThat(m.reason()).as(c.displayName() + ": the quarantine's reason").isNotBlank().contains(c.reason);
                assertThat(m.channel()).as(c.displayName() + ": the quarantine's channel").isNotBlank();
            }
        }
    }

    private static void hold(HostileCase c, JsonNode record, String pointer, JsonNode expected) {
        JsonNode at = record.at(pointer);
        String what = c.displayName() + ": " + pointer + " of " + record;
        if (!expected.isObject()) {
            assertThat(at.isMissingNode()).as(what + " is present").isFalse();
            assertThat(at.isValueNode() ? at.asText() : at.toString()).as(what).isEqualTo(expected.asText());
            return;
        }
        String text = at.isMissingNode() ? null : at.isValueNode() ? at.asText() : at.toString();
        expected.fields().forEachRemaining(e -> {
            String v = e.getValue().asText();
            switch (e.getKey()) {
                case "equals" -> assertThat(text).as(what).isEqualTo(v);
                case "contains" -> assertThat(text).as(what).isNotNull().contains(v);
                case "notContains" -> assertThat(text).as(what).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).doesNotContain(v));
                case "matches" -> assertThat(text).as(what).isNotNull().matches(Pattern.compile(v, Pattern.DOTALL));
                case "notMatches" -> assertThat(text).as(what).satisfiesAnyOf(t -> assertThat(t).isNull(),
                        t -> assertThat(Pattern.compile(v, Pattern.DOTALL).matcher(t).find()).isFalse());
                case "absent" -> assertThat(at.isMissingNode() || at.isNull()).as(what + " is absent").isEqualTo(e.getValue().asBoolean());
                case "present" -> assertThat(!at.isMissingNode() && !at.isNull()).as(what + " is present").isEqualTo(e.getValue().asBoolean());
                case "maxLength" -> assertThat(text).as(what).isNotNull().hasSizeLessThanOrEqualTo(e.getValue().asInt());
                default -> fail(c.displayName() + ": unknown condition " + e.getKey() + " on " + pointer);
            }
        });
    }
}
