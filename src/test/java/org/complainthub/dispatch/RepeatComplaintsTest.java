package org.complainthub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.jms.TextMessage;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.complainthub.complaint.Grade;
import org.complainthub.outbound.ContactLedger;
import org.complainthub.support.MailHubTest;
import org.complainthub.support.SmsGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Repeat complaints (二次投诉) across channels: a customer writes through the web form's API (phone, email and order
 * given together) or mails (phone and order stated on lines of their own, as a form would), then calls the hotline (a call-log file dropped into the hub's folder). The second complaint is a
 * repeat when the customer is known and the matter the same; it goes where the first is handled, one grade higher, with
 * repeatOf, repeat=true, a copy on complaints.escalations, a REPEAT event, and an acknowledgement naming the first.
 */
@TestPropertySource(properties = {"hub.repeat.enabled=true", "hub.email.enabled=true", "hub.email.poll-interval-ms=200",
        "hub.email.username=complaints@shop.example", "hub.email.password=secret", "hub.hotline.read-lock-check-ms=200",
        "hub.hotline.poll-interval-ms=200", "hub.outbound.sms.token=gateway-token-demo", "hub.outbound.sms.sender=SHOP",
        "hub.outbound.max-per-recipient-per-hour=100", "hub.outbound.sms.quiet-from=00:00", "hub.outbound.sms.quiet-until=00:00"})
class RepeatComplaintsTest extends MailHubTest {

    private static final String HEADER = "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\n";

    static SmsGateway gateway;
    static Path dropFolder;

    @DynamicPropertySource
    static void hotline(DynamicPropertyRegistry registry) throws IOException {
        gateway = new SmsGateway();
        dropFolder = Files.createTempDirectory("repeat-drop-");
        registry.add("hub.outbound.sms.url", gateway::url);
        registry.add("hub.hotline.folder", dropFolder::toString);
        registry.add("hub.hotline.reports-folder", () -> dropFolder.resolve("reports").toString());
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Autowired
    ContactLedger ledger;

    @Autowired
    DataSource dataSource;

    JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void aCallAboutTheSameOrderAfterAFormComplaintIsARepeat() throws Exception {
        JsonNode first = formComplaint("13911110001", "wang.fang@example.com", "DD20261120771",
                "快递三天都没送到，物流信息一直不更新，客服电话也打不通。");
        JsonNode firstRecord = onDesk(first.get("id").asText());
        assertThat(firstRecord.has("repeatOf")).isFalse();
        assertThat(depth("complaints.escalations")).isZero();

        call("first-call.csv", "13911110001", "DD20261120771", "洗衣机用了三天就坏了，要求退货。", "CALL-R-0001");
        JsonNode repeat = nextOnDesk();
        assertThat(repeat.get("channel").asText()).isEqualTo("hotline");
        assertThat(repeat.get("repeatOf").asText()).isEqualTo(first.get("id").asText());
        assertThat(repeat.get("department").asText()).isEqualTo(firstRecord.get("department").asText());
        Grade firstGrade = Grade.valueOf(firstRecord.get("grade").asText());
        assertThat(Grade.valueOf(repeat.get("grade").asText()))
                .isEqualTo(firstGrade == Grade.A ? Grade.A : Grade.values()[firstGrade.ordinal() - 1].atLeast(
                        Grade.valueOf(repeat.get("grade").asText())));
        assertThat(Grade.valueOf(repeat.get("grade").asText()).ordinal()).isLessThan(Math.max(1, firstGrade.ordinal()));
        assertThat(repeat.get("signals").toString()).contains("\"repeat\"");

        Received onDepartment = take("complaints." + repeat.get("department").asText());
        assertThat(onDepartment.record().get("id").asText()).isEqualTo(first.get("id").asText());
        onDepartment = take("complaints." + repeat.get("department").asText());
        assertThat(onDepartment.record().get("id")).isEqualTo(repeat.get("id"));
        assertThat(onDepartment.property("repeat")).isEqualTo("true");

        Received escalated = take("complaints.escalations");
        assertThat(escalated.record().get("id")).isEqualTo(repeat.get("id"));
        assertThat(escalated.property("repeat")).isEqualTo("true");

        TextMessage event = (TextMessage) jms.receive("complaints.events");
        assertThat(event).isNotNull();
        assertThat(event.getStringProperty("event")).isEqualTo("REPEAT");
        JsonNode e = json(event.getText());
        assertThat(e.get("type").asText()).isEqualTo("REPEAT");
        assertThat(e.get("id")).isEqualTo(repeat.get("id"));
        assertThat(e.get("first")).isEqualTo(first.get("id"));
        assertThat(e.get("channel").asText()).isEqualTo("hotline");
        assertThat(e.get("firstChannel").asText()).isEqualTo("webform");
        assertThat(e.get("department")).isEqualTo(repeat.get("department"));
        assertThat(e.get("grade")).isEqualTo(repeat.get("grade"));

        // the acknowledgement (an SMS to the caller) names the earlier reference
        String id = repeat.get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(id).isPresent());
        assertThat(ledger.find(id).orElseThrow().repeatOf()).isEqualTo(first.get("id").asText());
        SmsGateway.Request sms = await().atMost(Duration.ofSeconds(30)).until(
                () -> gateway.received().stream().filter(r -> r.body().contains(id)).findFirst(),
                java.util.Optional::isPresent).get();
        assertThat(sms.body()).contains(first.get("id").asText());
        drainAll();
    }

    @Test
    void aCallFromThePhoneStatedInAMailIsARepeatOfTheMail() throws Exception {
        mailbox().deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(("""
                From: =?UTF-8?B?5ZGo5pWP?= <zhou.min@example.com>\r
                To: complaints@shop.example\r
                Subject: =?UTF-8?B?5Yaw566x5LiN5Yi25Ya3?=\r
                Message-ID: <fridge-5521@mail.example.com>\r
                Date: %s\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=UTF-8\r
                \r
                您好，我上周买的冰箱完全不制冷，食物都坏了，请尽快处理。\r
                \r
                订单号：DD20261120776\r
                手机：139 1111 0006\r
                \r
                周敏\r
                """.formatted(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))).getBytes(StandardCharsets.UTF_8))));
        JsonNode mailed = nextOnDesk();
        assertThat(mailed.get("channel").asText()).isEqualTo("email");
        assertThat(mailed.at("/customer/phone").asText()).isEqualTo("+8613911110006");
        assertThat(mailed.at("/target/order").asText()).isEqualTo("DD20261120776");

        // the same phone calls about the same order: the call repeats the mail
        call("after-mail.csv", "13911110006", "DD20261120776", "冰箱还是不制冷，要求退货退款。", "CALL-R-0006");
        JsonNode repeat = nextOnDesk();
        assertThat(repeat.get("channel").asText()).isEqualTo("hotline");
        assertThat(repeat.get("repeatOf").asText()).isEqualTo(mailed.get("id").asText());
        assertThat(repeat.get("department")).isEqualTo(mailed.get("department"));
        assertThat(Grade.valueOf(repeat.get("grade").asText()).ordinal()) // above the mail's, whatever the call's own
                .isLessThan(Math.max(1, Grade.valueOf(mailed.get("grade").asText()).ordinal()));
        JsonNode e = json(((TextMessage) jms.receive("complaints.events")).getText());
        assertThat(e.get("type").asText()).isEqualTo("REPEAT");
        assertThat(e.get("firstChannel").asText()).isEqualTo("email");
        String id = repeat.get("id").asText();
        SmsGateway.Request sms = await().atMost(Duration.ofSeconds(30)).until(
                () -> gateway.received().stream().filter(r -> r.body().contains(id)).findFirst(),
                java.util.Optional::isPresent).get();
        assertThat(sms.body()).contains(mailed.get("id").asText());
        drainAll();
    }

    @Test
    void aContactUsedAgainIsKeptLongerAndANewOneJoinsTheCustomer() throws Exception {
        JsonNode first = formComplaint("13911110009", null, null, "电视机屏幕出现竖线。");
        onDesk(first.get("id").asText());
        String customer = jdbc.queryForObject("SELECT customer_id FROM customer_complaint WHERE complaint_id = ?", String.class,
                first.get("id").asText());
        OffsetDateTime longAgo = OffsetDateTime.now().minusDays(60);
        jdbc.update("UPDATE customer_contact SET last_seen_at = ? WHERE customer_id = ?", longAgo, customer);

        JsonNode second = formComplaint("13911110009", "he.yun@example.com", null, "洗碗机漏水，地板都泡坏了。");
        onDesk(second.get("id").asText());
        List<OffsetDateTime> lastSeen = jdbc.queryForList("SELECT last_seen_at FROM customer_contact WHERE customer_id = ?",
                OffsetDateTime.class, customer);
        assertThat(lastSeen).as("the phone's link, and the email now given with it").hasSize(2)
                .allSatisfy(t -> assertThat(t).isAfter(OffsetDateTime.now().minusDays(1)));
        drainAll();
    }

    @Test
    void theSameCustomerAboutAnotherMatterIsNoRepeat() throws Exception {
        JsonNode first = formComplaint("13911110002", "li.na@example.com", "DD20261120772",
                "快递三天都没送到，物流信息一直不更新。");
        onDesk(first.get("id").asText());
        call("other-matter.csv", "13911110002", "DD20261120999", "上门安装的师傅态度恶劣，还多收了安装费。", "CALL-R-0002");
        JsonNode second = nextOnDesk();
        assertThat(second.get("channel").asText()).isEqualTo("hotline");
        assertThat(second.has("repeatOf")).isFalse();
        assertThat(depth("complaints.escalations")).isZero();
        drainAll();
    }

    @Test
    void anotherCustomerAboutTheSameOrderIsNoRepeat() throws Exception {
        JsonNode first = formComplaint("13911110003", "zhao.lei@example.com", "DD20261120773",
                "快递三天都没送到，物流信息一直不更新。");
        onDesk(first.get("id").asText());
        call("other-customer.csv", "13911110004", "DD20261120773", "快递三天都没送到，物流信息一直不更新。", "CALL-R-0003");
        JsonNode second = nextOnDesk();
        assertThat(second.has("repeatOf")).isFalse();
        assertThat(depth("complaints.escalations")).isZero();
        drainAll();
    }

    @Test
    void aRepeatAfterTheFirstWasResolvedIsARepeat() throws Exception {
        JsonNode first = formComplaint(null, "chen.jie@example.com", null,
                "The washing machine broke after three days and nobody came to repair it.");
        String firstId = first.get("id").asText();
        onDesk(firstId);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(firstId).isPresent());
        jms.send("complaints.status", s -> s.createTextMessage(
                "{\"id\": \"" + firstId + "\", \"status\": \"RESOLVED\", \"resolution\": \"repaired\", \"agent\": \"Liu\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(firstId).orElseThrow().resolved());

        JsonNode second = formComplaint(null, "Chen.Jie@Example.com", null,
                "My washing machine broke after 3 days, again, and still nobody came to repair it!");
        JsonNode record = onDesk(second.get("id").asText());
        assertThat(record.get("repeatOf").asText()).isEqualTo(firstId);
        assertThat(take("complaints.escalations").record().get("id")).isEqualTo(second.get("id"));
        drainAll();
    }

    @Test
    void aThirdComplaintNamesTheOriginalEvenWhenOnlyTheSecondIsInTheWindow() throws Exception {
        // the customer's history as the hub keeps it: the original 40 days ago (outside the 30-day window), its repeat 10
        // days ago; both about one order, from one phone
        JsonNode seed = formComplaint("13911110005", "sun.li@example.com", "DD20261120775", "冰箱不制冷，第一次投诉。");
        onDesk(seed.get("id").asText());
        OffsetDateTime now = OffsetDateTime.now();
        String customer = jdbc.queryForObject("SELECT customer_id FROM customer_complaint WHERE complaint_id = ?", String.class,
                seed.get("id").asText());
        jdbc.update("DELETE FROM customer_complaint WHERE complaint_id = ?", seed.get("id").asText());
        jdbc.update("INSERT INTO customer_complaint (complaint_id, customer_id, channel, department, grade, received_at, order_no) "
                + "VALUES ('C-20261024-900001', ?, 'email', 'logistics', 'C', ?, 'DD20261120775')", customer, now.minusDays(40));
        jdbc.update("INSERT INTO customer_complaint (complaint_id, customer_id, channel, department, grade, received_at, order_no, "
                + "repeat_of) VALUES ('C-20261123-900002', ?, 'hotline', 'logistics', 'B', ?, 'DD20261120775', "
                + "'C-20261024-900001')", customer, now.minusDays(10));

        JsonNode third = formComplaint("13911110005", null, "DD20261120775", "冰箱还是不制冷，已经第三次了！");
        JsonNode record = onDesk(third.get("id").asText());
        assertThat(record.get("repeatOf").asText()).isEqualTo("C-20261024-900001");
        assertThat(record.get("department").asText()).isEqualTo("logistics");
        assertThat(record.get("grade").asText()).isEqualTo("A"); // one above the closer one's B
        TextMessage event = (TextMessage) jms.receive("complaints.events");
        JsonNode e = json(event.getText());
        assertThat(e.get("first").asText()).isEqualTo("C-20261024-900001");
        assertThat(e.get("firstChannel").asText()).isEqualTo("email");
        drainAll();
    }

    private GreenMailUser mailbox() {
        return mail.getUserManager().getUser("complaints@shop.example") != null
                ? mail.getUserManager().getUser("complaints@shop.example")
                : mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
    }

    private JsonNode formComplaint(String phone, String email, String order, String text) throws Exception {
        StringBuilder customer = new StringBuilder("{\"name\": \"Test\"");
        if (phone != null) {
            customer.append(", \"phone\": \"").append(phone).append('"');
        }
        if (email != null) {
            customer.append(", \"email\": \"").append(email).append('"');
        }
        customer.append('}');
        String target = order == null ? "" : ", \"target\": {\"order\": \"" + order + "\"}";
        HttpResponse<String> r = postJson("/api/complaints", "{\"customer\": " + customer + ", \"description\": \""
                + text + "\"" + target + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body());
    }

    private void call(String file, String caller, String order, String notes, String callId) throws Exception {
        String start = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).minusMinutes(5)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String csv = HEADER + caller + ",张伟,王敏," + start + ",120,Answered,," + notes + ",退款," + order + "," + callId + "\n";
        Path tmp = dropFolder.resolve(file + ".part");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        Files.move(tmp, dropFolder.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> depth("complaints.desk") > 0);
    }

    private JsonNode onDesk(String id) throws Exception {
        JsonNode r = nextOnDesk();
        assertThat(r.get("id").asText()).isEqualTo(id);
        return r;
    }

    private JsonNode nextOnDesk() throws Exception {
        return take("complaints.desk").record();
    }

    private void drainAll() throws Exception {
        List<String> queues = List.of("complaints.escalations", "complaints.events", "complaints.quality",
                "complaints.logistics", "complaints.customer-service", "complaints.billing", "complaints.after-sales",
                "complaints.legal", "complaints.triage", "complaints.desk");
        for (String q : queues) {
            drain(q);
        }
    }
}
