package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.support.Browser;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbound path by email, end to end from the web form API to a real SMTP server (GreenMail): the acknowledgement
 * in Chinese and English, the status page, the thank-you after a RESOLVED event, the satisfaction page in a browser,
 * the interim message when the due time passes, opt-out and the per-recipient rate limit.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000", "hub.outbound.max-per-recipient-per-hour=3",
        "hub.outbound.overdue.check-period-ms=300", "hub.outbound.email.envelope-sender=complaints@shop.example",
        "hub.outbound.email.from=Shop Service <service@shop.example>"})
@Import(SharedTestClock.class)
class EmailOutboundTest extends HubIntegrationTest {

    static final TestClock CLOCK = SharedTestClock.CLOCK;


    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("hub.outbound.email.host", () -> "127.0.0.1");
        registry.add("hub.outbound.email.port", () -> mail.getSmtp().getPort());
    }

    @Autowired
    MessageTemplates templates;
    @Autowired
    ContactLedger ledger;
    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void chineseAcknowledgementGreetsByNameWithReferenceDepartmentAndDueTime() throws Exception {
        String id = submit("""
                {"customer": {"name": "王芳", "email": "wang.fang@example.com"},
                 "description": "买的电饭煲用了一周就不加热了，质量太差。"}""");
        MimeMessage ack = mailTo("wang.fang@example.com", id);
        String body = text(ack);
        JsonNode record = take("complaints.quality").record();
        String due = OffsetDateTime.parse(record.get("dueAt").asText()).atZoneSameInstant(ZoneId.of("Asia/Shanghai"))
                .format(DateTimeFormatter.ofPattern(templates.text("zh", "dueAtFormat"), templates.locale("zh")));

        assertThat(ack.getSubject()).contains(id);
        assertThat(body).contains("王芳", id, templates.text("zh", "departments.quality"), due, "/status/", "/optout/");
        assertThat(ack.getHeader("Auto-Submitted")).containsExactly("auto-replied");
        assertThat(ack.getHeader("X-Auto-Response-Suppress")).containsExactly("All");
        assertThat(ack.getHeader("Precedence")).containsExactly("auto_reply");
        assertThat(ack.getHeader("X-Loop")).isNotEmpty();
        assertThat(ack.getHeader("Message-ID")[0]).contains(id);
        assertThat(ack.getHeader("Return-Path")[0]).contains("complaints@shop.example");
        assertThat(ack.getFrom()[0].toString()).contains("service@shop.example");
        assertThat(ack.getAllRecipients()).hasSize(1);

        HttpResponse<String> status = get(link(body, "/status/"));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains(id, templates.text("zh", "departments.quality"));
        assertThat(get(link(body, "/status/").replaceAll(".$", "x")).statusCode()).as("a forged token").isEqualTo(404);
    }

    @Test
    void englishAcknowledgementIsInEnglish() throws Exception {
        String id = submit("""
                {"customer": {"name": "Mary Smith", "email": "mary@example.com"},
                 "description": "My parcel arrived three days late and the box was crushed."}""");
        MimeMessage ack = mailTo("mary@example.com", id);
        String body = text(ack);
        assertThat(ack.getSubject()).contains(id);
        assertThat(body).contains("Mary Smith", id, templates.text("en", "departments.logistics"), "/optout/");
        assertThat(body).doesNotContainPattern("[\\u4e00-\\u9fff]");
    }

    @Test
    void resolvedLeadsToAThankYouAndTheSatisfactionPageRecordsTheScore() throws Exception {
        String id = submit("""
                {"customer": {"name": "李雷", "email": "li.lei@example.com"}, "description": "店员态度很差，不理人。"}""");
        mailTo("li.lei@example.com", id);
        jms.send("complaints.status", s -> s.createTextMessage(
                "{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"已对店员进行培训并致歉\", \"agent\": \"张经理\"}"));
        MimeMessage thanks = await().atMost(Duration.ofSeconds(20)).until(() -> messagesTo("li.lei@example.com", id),
                l -> l.size() == 2).get(1);
        String body = text(thanks);
        assertThat(body).contains("李雷", id, "张经理", "/satisfaction/", "/optout/");
        String satisfaction = link(body, "/satisfaction/");

        Browser.assumeInstalled();
        try (Browser browser = Browser.phone()) {
            browser.driver().get(satisfaction);
            browser.driver().findElement(By.cssSelector("label[for=score-4]")).click();
            browser.driver().findElement(By.id("comment")).sendKeys("处理得很快，谢谢");
            browser.driver().findElement(By.id("submit")).click();
            browser.await().until(visibilityOfElementLocated(By.id("thanks")));
        }
        jakarta.jms.Message event = jms.receive("complaints.events");
        assertThat(event).isNotNull();
        assertThat(event.getStringProperty("event")).isEqualTo("SATISFACTION");
        JsonNode json = json(((jakarta.jms.TextMessage) event).getText());
        assertThat(json.get("id").asText()).isEqualTo(id);
        assertThat(json.get("score").asInt()).isEqualTo(4);
        assertThat(json.get("comment").asText()).isEqualTo("处理得很快，谢谢");
        assertThat(get(satisfaction).body()).as("answered once").contains("id=\"thanks\"");
    }

    @Test
    void overdueComplaintsRaiseAnEventAndSendAnInterimMessage() throws Exception {
        String id = submit("""
                {"customer": {"email": "late@example.com"}, "description": "The invoice shows the wrong VAT number."}""");
        mailTo("late@example.com", id);
        drain("complaints.events");
        CLOCK.advance(Duration.ofHours(49));
        try {
            // every open complaint of this class is overdue now: find this one's event
            jakarta.jms.Message event = await().atMost(Duration.ofSeconds(20)).until(
                    () -> jms.receiveSelected("complaints.events", "complaintId = '" + id + "'"), java.util.Objects::nonNull);
            assertThat(event.getStringProperty("event")).isEqualTo("OVERDUE");
            JsonNode overdue = json(((jakarta.jms.TextMessage) event).getText());
            assertThat(overdue.get("id").asText()).isEqualTo(id);
            assertThat(overdue.get("grade").asText()).isEqualTo("C");
            await().atMost(Duration.ofSeconds(20)).until(() -> messagesTo("late@example.com", id).size() == 2);
        } finally {
            CLOCK.advance(Duration.ofHours(-49));
        }
    }

    /**
     * Two nodes handling copies of one request at once (the broker delivered it again after a failover while the
     * first node was still sending): the second waits while the first's claim is live, sends nothing, and sends it
     * once after the claim runs out (its sender died without recording the send).
     */
    @Test
    void aThankYouAnotherSenderHasClaimedWaitsAndIsSentOnceWhenTheClaimRunsOut() throws Exception {
        String id = submit("""
                {"customer": {"email": "claimed@example.com"}, "description": "The cashier was rude to me."}""");
        mailTo("claimed@example.com", id);
        OffsetDateTime now = OffsetDateTime.ofInstant(CLOCK.instant(), java.time.ZoneOffset.UTC);
        assertThat(ledger.claimSend(id, "THANKS", now, Duration.ofMinutes(1))).as("another node's claim").isTrue();
        assertThat(ledger.claimSend(id, "THANKS", now.plusSeconds(30), Duration.ofMinutes(1))).as("held").isFalse();

        jms.send("complaints.status", s -> s.createTextMessage("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\"}"));
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                .until(() -> messagesTo("claimed@example.com", id).size() == 1);

        // the other node died: its claim is older than the lease
        new org.springframework.jdbc.core.JdbcTemplate(dataSource).update(
                "UPDATE outbound_claim SET claimed_at = ? WHERE complaint_id = ? AND kind = 'THANKS'", now.minusMinutes(2), id);
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesTo("claimed@example.com", id).size() == 2);
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                .until(() -> messagesTo("claimed@example.com", id).size() == 2);
    }

    @Test
    void optedOutCustomersGetNoThankYou() throws Exception {
        String id = submit("""
                {"customer": {"email": "quiet@example.com"}, "description": "The cashier was rude."}""");
        String optOut = link(text(mailTo("quiet@example.com", id)), "/optout/");
        assertThat(get(optOut).body()).as("GET only asks").doesNotContain("id=\"optout-done\"");
        HttpResponse<String> confirmed = http.send(HttpRequest.newBuilder(URI.create(optOut))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).contains("optout-done");
        jms.send("complaints.status", s -> s.createTextMessage("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\"}"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> messagesTo("quiet@example.com", id).size() == 1);
    }

    @Test
    void nothingGoesToAnAddressMarkedUndeliverable() throws Exception {
        ledger.markUndeliverable("Bounced@Example.com", "bounce of an earlier acknowledgement", OffsetDateTime.now());
        String bounced = submit("{\"customer\": {\"email\": \"bounced@example.com\"}, \"description\": \"The store was closed during opening hours.\"}");
        String fine = submit("{\"customer\": {\"email\": \"fine@example.com\"}, \"description\": \"The store was closed during opening hours.\"}");
        mailTo("fine@example.com", fine);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> messagesTo("bounced@example.com", bounced).isEmpty());
    }

    @Test
    void noMoreThanTheRateLimitPerRecipientAndHour() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit("{\"customer\": {\"email\": \"busy@example.com\"}, \"description\": \"The app crashed again, try " + i + "\"}"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> all("busy@example.com").size() >= 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> all("busy@example.com").size() == 3);
    }

    @Test
    void aStatusEventTheHubCannotUseIsQuarantinedWithTheReason() throws Exception {
        jms.send("complaints.status", s -> s.createTextMessage("{\"id\": \"C-20260101-999999\", \"status\": \"RESOLVED\"}"));
        jms.send("complaints.status", s -> s.createTextMessage("not json"));
        jakarta.jms.Message first = jms.receive("complaints.quarantine");
        jakarta.jms.Message second = jms.receive("complaints.quarantine");
        assertThat(first.getStringProperty("reason")).contains("unknown complaint");
        assertThat(second.getStringProperty("reason")).contains("not JSON");
        assertThat(((jakarta.jms.TextMessage) second).getText()).isEqualTo("not json");
    }

    private String submit(String json) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body()).get("id").asText();
    }

    private MimeMessage mailTo(String address, String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> messagesTo(address, id), l -> !l.isEmpty()).get(0);
    }

    private List<MimeMessage> messagesTo(String address, String id) throws Exception {
        return all(address).stream().filter(m -> {
            try {
                return m.getSubject().contains(id);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private List<MimeMessage> all(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** The decoded text of a plain-text mail (JavaMail picks base64 or quoted-printable for UTF-8). */
    static String text(MimeMessage m) throws Exception {
        return (String) m.getContent();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String link(String body, String path) {
        Matcher m = Pattern.compile("https?://[^\\s<>\"]+" + Pattern.quote(path) + "[A-Za-z0-9_.\\-]+").matcher(body);
        assertThat(m.find()).as("a " + path + " link in\n" + body).isTrue();
        return m.group();
    }
}
