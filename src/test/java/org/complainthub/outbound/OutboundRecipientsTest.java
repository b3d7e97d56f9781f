package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.SmsGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Messages to addresses nobody verified: SMS only to the configured regions and number types (by default mainland
 * China mobiles); an SMS carries a short name of letters and nothing else the submitter typed; a mail's headers carry
 * nothing the submitter typed; past a transport's hourly budget (all recipients together) messages wait on the broker.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000", "hub.outbound.max-per-recipient-per-hour=100",
        "hub.outbound.sms.max-per-hour=6"})
@Import(SharedTestClock.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundRecipientsTest extends HubIntegrationTest {

    static SmsGateway gateway;

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void transports(DynamicPropertyRegistry registry) throws Exception {
        gateway = new SmsGateway();
        registry.add("hub.outbound.sms.url", gateway::url);
        registry.add("hub.outbound.email.host", () -> "127.0.0.1");
        registry.add("hub.outbound.email.port", () -> mail.getSmtp().getPort());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Autowired
    ContactLedger ledger;

    @BeforeEach
    void daytime() {
        SharedTestClock.CLOCK.set(ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).withHour(10).withMinute(0).toInstant());
    }

    @Test
    @Order(1)
    void smsGoesOnlyToMobilesOfTheConfiguredRegions() throws Exception {
        String british = submit("{\"customer\": {\"phone\": \"+44 7911 123456\"}, \"description\": \"The parcel was soaked.\"}");
        String landline = submit("{\"customer\": {\"phone\": \"010 6234 5678\"}, \"description\": \"快递员态度很差。\"}");
        String mobile = submit("{\"customer\": {\"phone\": \"13600136000\"}, \"description\": \"快递员把包裹扔在门口。\"}");
        smsFor(mobile);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                gateway.received().stream().noneMatch(r -> r.body().contains(british) || r.body().contains(landline)));
        assertThat(depth("complaints.outbound.dead")).isZero();
    }

    @Test
    @Order(2)
    void anSmsCarriesAShortNameOfLettersAndNeverTheSubject() throws Exception {
        String linked = submit("{\"customer\": {\"name\": \"Alice http://evil.example/pay 4008001234 Smith\", \"phone\": \"13600136001\"}, "
                + "\"subject\": \"Refund ready: visit www.evil.example now\", \"description\": \"The heater stopped working.\"}");
        String longName = submit("{\"customer\": {\"name\": \"欧阳诸葛司马上官慕容皇甫先生\", \"phone\": \"13600136002\"}, "
                + "\"subject\": \"热水器坏了\", \"description\": \"热水器用了三天就坏了。\"}");
        String text = json(smsFor(linked).body()).get("text").asText();
        assertThat(text).contains("Alice Smit").doesNotContain("Alice Smith").doesNotContain("evil", "4008001234", "Refund ready");
        String zh = json(smsFor(longName).body()).get("text").asText();
        assertThat(zh).contains("欧阳诸葛司马上官慕容").doesNotContain("欧阳诸葛司马上官慕容皇", "热水器坏了");
    }

    @Test
    @Order(3)
    void aMailsHeadersCarryNothingTheSubmitterTyped() throws Exception {
        // line breaks in the name are refused at intake (400); a Unicode line separator and header-like text are not
        String id = submit("{\"customer\": {\"name\": \"Eve\\u2028Bcc: victim@example.org\", \"email\": \"eve@example.com\"}, "
                + "\"subject\": \"Hello\\u0085Bcc: victim2@example.org\", \"description\": \"The cashier was rude to me.\"}");
        MimeMessage ack = await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo("eve@example.com"), l -> !l.isEmpty()).get(0);
        assertThat(ack.getAllRecipients()).hasSize(1);
        assertThat(ack.getHeader("Bcc")).isNull();
        assertThat(ack.getSubject()).contains(id).doesNotContain("Eve", "Hello", "victim");
        HttpResponse<String> two = postJson("/api/complaints", "{\"customer\": {\"email\": \"mary@example.com, eve2@example.com\"}, "
                + "\"description\": \"The cashier was rude to me again.\"}");
        if (two.statusCode() == 202) {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> mailsTo("eve2@example.com").isEmpty() && mailsTo("mary@example.com").isEmpty());
        } else {
            assertThat(two.statusCode()).isEqualTo(400);
        }
        assertThat(mail.getReceivedMessages()).allSatisfy(m -> assertThat(m.getAllRecipients()).hasSize(1));
    }

    @Test
    @Order(4)
    void pastTheHourlySmsBudgetMessagesWaitOnTheBroker() throws Exception {
        int sentThisHour = ledger.sentBy("sms", OffsetDateTime.now(SharedTestClock.CLOCK).minusHours(1)).count();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6 - sentThisHour + 2; i++) {
            ids.add(submit("{\"customer\": {\"phone\": \"1360013602" + i + "\"}, \"description\": \"门店排队太久了，第" + i + "次。\"}"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.sentBy("sms", OffsetDateTime.now(SharedTestClock.CLOCK)
                .minusHours(1)).count() == 6);
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduled("complaints.outbound.send") >= 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> ids.stream()
                .filter(id -> gateway.received().stream().anyMatch(r -> r.body().contains(id))).count() == ids.size() - 2);
        assertThat(depth("complaints.outbound.dead")).as("waiting, not dead").isZero();
    }

    private String submit(String json) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body()).get("id").asText();
    }

    private SmsGateway.Request smsFor(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> gateway.received().stream().filter(r -> r.body().contains(id)).findFirst(),
                java.util.Optional::isPresent).get();
    }

    private List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private long scheduled(String queue) {
        return broker.getActiveMQServer().locateQueue(queue).getScheduledCount();
    }
}
