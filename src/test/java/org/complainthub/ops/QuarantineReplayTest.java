package org.complainthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.Folders;
import org.complainthub.support.HubProcess;
import org.complainthub.tools.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The quarantine replay on the real hub (a process of its own, its embedded broker and H2 on a data directory), three
 * channels at once: a mail over IMAP (GreenMail), a call-log file in the drop folder, Telegram webhooks. The hub first
 * runs with a fault in each channel's mapping (the description read from a field that does not exist), so everything
 * it is given is quarantined; it is stopped, the mapping files are fixed (as IT would), and it is started again on the
 * same data directory. Then, as an operator would, through /actuator/quarantine and the jar's quarantine command: the
 * quarantine is listed by channel with its reasons (no personal data in clear), one channel is replayed while the
 * others stay, a mail is replayed into one complaint, a message whose source was taken meanwhile (the platform sent it
 * again) gives no second complaint, nor does a replay repeated, and a row that fails again stays with its new reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarantineReplayTest {

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withPerMethodLifecycle(false); // one mailbox for the class: the hub keeps polling it between tests

    static final String TELEGRAM_SECRET = "replay-test-secret-token";
    static final String CUSTOMER_EMAIL = "li.lei@example.com";
    static final String CALLER = "13800138000";
    static final long CHAT_1 = 88801234;
    static final long CHAT_2 = 88805678;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path root;
    private Path dataDir;
    private HubProcess hub;
    private String token;
    /** The JMS ids of the first listing, per channel. */
    private final Map<String, List<String>> firstIds = new java.util.HashMap<>();

    @BeforeAll
    void quarantineEverythingThenFixTheMappings() throws Exception {
        root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data").toAbsolutePath()), "replay-");
        dataDir = root.resolve("data");
        Path mappings = root.resolve("mappings");
        Folders.copy(Path.of("mappings"), mappings);
        // the faults: each channel's mapping reads the description from a field its payload does not have
        replace(mappings.resolve("hotline-generic.jsonata"), "\"description\": notes,", "\"description\": note,");
        replace(mappings.resolve("webhook-message.jsonata"), "\"description\": text,", "\"description\": body,");
        replace(mappings.resolve("email.jsonata"), "\"description\": $contains(text, /[\\p{L}\\p{N}\\p{P}\\p{S}]/) ? text : subject,",
                "\"description\": body,");
        mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");

        hub = start();
        deliverMail();
        Files.createDirectories(dataDir.resolve("hotline"));
        Path part = dataDir.resolve("hotline/calls.csv.part");
        Files.writeString(part, "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\r\n"
                + CALLER + ",王芳,坐席7,2026-11-20 09:10:00,120,Answered,,洗衣机用了三天就坏了，要求换货。,,DD4411,CALL-1\r\n"
                + "13900139000,张伟,坐席8,2026-11-20 09:20:00,95,Answered,,快递三天都没送到，电话也打不通。,,DD4412,CALL-2\r\n"
                // a description over hub.max-description-chars: refused again once the mapping is fixed
                + "13700137000,赵敏,坐席9,2026-11-20 09:30:00,300,Answered,," + "冰箱不制冷".repeat(80) + ",,DD4413,CALL-3\r\n",
                StandardCharsets.UTF_8);
        Files.move(part, dataDir.resolve("hotline/calls.csv"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(telegram(CHAT_1, 1, "The kettle I bought leaks").statusCode()).isEqualTo(200);
        assertThat(telegram(CHAT_2, 1, "My refund never came").statusCode()).isEqualTo(200);
        // the platform sends the first one again (it did not see our answer): a second copy in the quarantine
        assertThat(telegram(CHAT_1, 1, "The kettle I bought leaks").statusCode()).isEqualTo(200);
        token = Files.readString(ManagementToken.file(dataDir)).strip();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> listing(null).path("total").asInt() == 7);
        assertThat(hub.receive("complaints.desk", 0, Duration.ofMillis(500))).as("no complaint from the faulty mappings").isEmpty();
        hub.close();

        for (String fixed : List.of("hotline-generic.jsonata", "webhook-message.jsonata", "email.jsonata")) {
            Files.copy(Path.of("mappings", fixed), mappings.resolve(fixed), StandardCopyOption.REPLACE_EXISTING);
        }
        hub = start();
    }

    @AfterAll
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void theQuarantineIsListedByChannelWithReasonsAndNoPersonalDataOnlyForTheTokenHolder() throws Exception {
        JsonNode all = listing(null);
        assertThat(all.path("total").asInt()).isEqualTo(7);
        assertThat(all.at("/channels/email/count").asInt()).isEqualTo(1);
        assertThat(all.at("/channels/hotline/count").asInt()).isEqualTo(3);
        assertThat(all.at("/channels/telegram/count").asInt()).isEqualTo(3);
        assertThat(all.at("/channels/hotline/reasons").fieldNames()).toIterable()
                .allSatisfy(reason -> assertThat(reason).contains("description").contains("required"));
        for (JsonNode m : all.path("messages")) {
            assertThat(m.path("messageId").asText()).startsWith("ID:");
            assertThat(m.path("sourceId").asText()).as("a fingerprint, not the source id").matches("sha256:[0-9a-f]{16}");
            assertThat(m.path("replayable").asBoolean()).isTrue();
            assertThat(m.path("quarantinedAt").asText()).isNotBlank();
            firstIds.computeIfAbsent(m.path("channel").asText(), c -> new ArrayList<>()).add(m.path("messageId").asText());
        }
        assertThat(listing("telegram").path("messages")).hasSize(3);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Tools.run(new String[] {"quarantine", "list", "--url", hub.managementUrl(), "--data-dir", dataDir.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8), Map.of());
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("complaints.quarantine: 7 message(s)", "email: 1", "hotline: 3", "telegram: 3")
                .contains(firstIds.get("email").get(0));
        for (String personal : List.of(CUSTOMER_EMAIL, "Li Lei", CALLER, "王芳", String.valueOf(CHAT_1), "Mei", "kettle", "洗衣机")) {
            assertThat(out + all).as("personal data in the listing").doesNotContain(personal);
        }

        assertThat(get("/actuator/quarantine", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/quarantine", "not-the-token").statusCode()).isEqualTo(401);
        assertThat(post("{\"channel\":\"hotline\"}", "not-the-token").statusCode()).isEqualTo(401);
        assertThat(listing(null).path("total").asInt()).as("nothing replayed without the token").isEqualTo(7);
    }

    @Test
    @Order(2)
    void replayingOneChannelTakesItsMessagesAndLeavesTheOtherChannelsAlone() throws Exception {
        JsonNode answer = replay("{\"channel\":\"hotline\"}");
        assertThat(answer.path("replayed").asInt()).isEqualTo(3);
        assertThat(answer.at("/outcomes/complaint").asInt()).isEqualTo(2);
        assertThat(answer.at("/outcomes/quarantined-again").asInt()).isEqualTo(1);

        List<JsonNode> desk = desk(2);
        assertThat(desk).extracting(c -> c.path("channel").asText()).containsOnly("hotline");
        assertThat(desk).extracting(c -> c.path("sourceId").asText()).containsExactlyInAnyOrder("CALL-1", "CALL-2");
        assertThat(desk).extracting(c -> c.path("description").asText()).allMatch(d -> !d.isBlank());

        JsonNode left = listing(null);
        assertThat(left.path("total").asInt()).isEqualTo(5);
        assertThat(ids(listing("email"))).as("the other channels' messages, untouched").isEqualTo(firstIds.get("email"));
        assertThat(ids(listing("telegram"))).isEqualTo(firstIds.get("telegram"));
        JsonNode again = single(listing("hotline").path("messages"));
        assertThat(firstIds.get("hotline")).doesNotContain(again.path("messageId").asText());
        assertThat(again.path("reason").asText()).as("the new reason").contains("too_long").doesNotContain("required");
        assertThat(again.path("replays").asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aReplayedMailIsOneComplaintAndReplayingItAgainNone() throws Exception {
        String id = firstIds.get("email").get(0);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Tools.run(new String[] {"quarantine", "replay", id, "--url", hub.managementUrl(), "--data-dir", dataDir.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8), Map.of());
        assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(id, "complaint");
        JsonNode c = single(desk(1));
        assertThat(c.path("channel").asText()).isEqualTo("email");
        assertThat(c.path("sourceId").asText()).startsWith("<replay-1@mail.example.com> ");
        assertThat(c.at("/customer/email").asText()).isEqualTo(CUSTOMER_EMAIL);
        assertThat(c.path("description").asText()).contains("two weeks late");
        assertThat(listing("email").path("total").asInt()).as("the mail left the quarantine").isZero();

        printed.reset();
        exit = Tools.run(new String[] {"quarantine", "replay", id, "--url", hub.managementUrl(), "--data-dir", dataDir.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8), Map.of());
        assertThat(exit).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("not-found");
        assertThat(hub.receive("complaints.desk", 0, Duration.ofSeconds(1))).as("no second complaint").isEmpty();
    }

    @Test
    @Order(4)
    void aMessageWhoseSourceWasTakenMeanwhileGivesNoSecondComplaint() throws Exception {
        // the platform delivers the first message once more, now that the mapping is fixed: a complaint at once
        assertThat(telegram(CHAT_1, 1, "The kettle I bought leaks").statusCode()).isEqualTo(200);
        JsonNode live = single(desk(1));
        assertThat(live.path("sourceId").asText()).isEqualTo(CHAT_1 + ":1");
        assertThat(listing("telegram").path("messages")).filteredOn(m -> m.has("alreadyComplaint"))
                .as("the listing says which copies are complaints already").hasSize(2)
                .allSatisfy(m -> assertThat(m.path("alreadyComplaint").asText()).isEqualTo(live.path("id").asText()));

        JsonNode answer = replay("{\"channel\":\"telegram\"}");
        assertThat(answer.at("/outcomes/duplicate").asInt()).as("both copies of the first message").isEqualTo(2);
        assertThat(answer.at("/outcomes/complaint").asInt()).isEqualTo(1);
        assertThat(answer.path("results")).filteredOn(r -> r.path("outcome").asText().equals("duplicate"))
                .allSatisfy(r -> assertThat(r.path("complaintId").asText()).isEqualTo(live.path("id").asText()));
        JsonNode second = single(desk(1));
        assertThat(second.path("sourceId").asText()).isEqualTo(CHAT_2 + ":1");
        assertThat(hub.receive("complaints.desk", 0, Duration.ofSeconds(1))).as("nothing more").isEmpty();
        assertThat(listing("telegram").path("total").asInt()).isZero();
    }

    @Test
    @Order(5)
    void aRowThatFailsAgainStaysQuarantinedWithItsReasonAndCount() throws Exception {
        JsonNode before = single(listing(null).path("messages"));
        assertThat(before.path("channel").asText()).isEqualTo("hotline");
        JsonNode answer = replay("{\"ids\":\"" + before.path("messageId").asText() + "\"}");
        JsonNode result = single(answer.path("results"));
        assertThat(result.path("outcome").asText()).isEqualTo("quarantined-again");
        assertThat(result.path("note").asText()).contains("too_long");
        JsonNode after = single(listing(null).path("messages"));
        assertThat(after.path("replays").asInt()).isEqualTo(2);
        assertThat(after.path("firstQuarantinedAt").asText()).isEqualTo(before.path("firstQuarantinedAt").asText());
        assertThat(hub.receive("complaints.desk", 0, Duration.ofSeconds(1))).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private HubProcess start() throws Exception {
        return HubProcess.start(dataDir, "384m", List.of("-XX:TieredStopAtLevel=1"), List.of(
                "hub.mappings-dir=" + root.resolve("mappings"),
                "hub.max-description-chars=300",
                "hub.hotline.poll-interval-ms=200",
                "hub.hotline.read-lock-check-ms=200",
                "hub.email.enabled=true",
                "hub.email.host=127.0.0.1",
                "hub.email.port=" + mail.getImap().getPort(),
                "hub.email.username=complaints@shop.example",
                "hub.email.password=secret",
                "hub.email.poll-interval-ms=200",
                "hub.webhooks.telegram.enabled=true",
                "hub.webhooks.telegram.secret-token=" + TELEGRAM_SECRET,
                "hub.webhooks.telegram.bot-token=123:ABC",
                "hub.webhooks.telegram.api-base-url=http://127.0.0.1:9",
                "logging.level.root=WARN"));
    }

    private void deliverMail() throws Exception {
        String raw = "From: Li Lei <" + CUSTOMER_EMAIL + ">\r\nTo: complaints@shop.example\r\nSubject: Parcel SO-5512 late\r\n"
                + "Message-ID: <replay-1@mail.example.com>\r\nDate: Mon, 23 Nov 2026 09:12:00 +0800\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "My parcel SO-5512 is two weeks late and nobody answers.\r\n";
        GreenMailUser box = mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
        box.deliver(new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
    }

    private HttpResponse<String> telegram(long chat, int messageId, String text) throws Exception {
        String update = "{\"update_id\":" + (chat + messageId) + ",\"message\":{\"message_id\":" + messageId
                + ",\"from\":{\"id\":" + chat + ",\"is_bot\":false,\"first_name\":\"Mei\"},\"chat\":{\"id\":" + chat
                + ",\"type\":\"private\"},\"date\":1718000500,\"text\":\"" + text + "\"}}";
        return http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/webhooks/telegram"))
                .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(update, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode listing(String channel) throws Exception {
        HttpResponse<String> r = get("/actuator/quarantine" + (channel == null ? "" : "?channel=" + channel), token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RecordJson.MAPPER.readTree(r.body());
    }

    private JsonNode replay(String json) throws Exception {
        HttpResponse<String> r = post(json, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RecordJson.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.managementUrl() + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String json, String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub.managementUrl() + "/actuator/quarantine"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The complaints on the desk queue now: {@code expected} of them, taken off it. */
    private List<JsonNode> desk(int expected) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String text : hub.receive("complaints.desk", expected, Duration.ofMillis(500))) {
            out.add(RecordJson.MAPPER.readTree(text));
        }
        assertThat(out).as("complaints on the desk queue").hasSize(expected);
        return out;
    }

    private static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.path("messages").forEach(m -> ids.add(m.path("messageId").asText()));
        return ids;
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array).hasSize(1);
        return array.get(0);
    }

    private static JsonNode single(List<JsonNode> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }


    private static void replace(Path file, String what, String with) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).as(file + " holds what the test breaks").contains(what);
        Files.writeString(file, text.replace(what, with), StandardCharsets.UTF_8);
    }
}
