package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.TableFaults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The desk's loop (issue 18), end to end on the real hub (embedded Artemis, H2, GreenMail for the customer's mail):
 * a REASSIGNED event moves a complaint and its next follow-up; a score of 1 reopens it one grade higher with a copy
 * for management, a REOPENED event and a message to the customer, and RESOLVED thanks them a second time; a progress
 * note is kept, shown on the status page and sent; a resolved complaint without a score gets one CALLBACK_DUE on the
 * next working day; hostile status events are quarantined with the reason; every event is one complaint_event row
 * however often it is handled.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000", "hub.outbound.max-per-recipient-per-hour=100",
        "hub.outbound.overdue.check-period-ms=300", "hub.followup.callback-check-period-ms=300",
        "hub.outbound.email.envelope-sender=complaints@shop.example",
        "hub.outbound.email.from=Shop Service <service@shop.example>"})
@Import({SharedTestClock.class, DeskLoopTest.Setup.class})
class DeskLoopTest extends HubIntegrationTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("hub.outbound.email.host", () -> "127.0.0.1");
        registry.add("hub.outbound.email.port", () -> mail.getSmtp().getPort());
    }

    @TestConfiguration
    static class Setup {
        /** The core entry as a social channel's route uses it, after its mapping: a record for that channel. */
        @Bean
        RouteBuilder deskLoopSocialRecord() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:test-desk-social-record").routeId("test-desk-social-record")
                            .bean("intakeSteps", "run(${body}, ${header.channel})")
                            .to("direct:complaint-dispatch");
                }
            };
        }
    }

    @Autowired
    ContactLedger ledger;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    DataSource dataSource;
    @Autowired
    MessageTemplates templates;
    @Autowired
    org.complainthub.complaint.SubmissionSchemas schemas;

    JdbcTemplate db;

    @BeforeEach
    void daytime() {
        SharedTestClock.CLOCK.set(ZonedDateTime.now(SHANGHAI).withHour(10).withMinute(0).toInstant());
        db = new JdbcTemplate(dataSource);
    }

    // ---- reassignment ----

    @Test
    void aReassignedComplaintMovesWithItsLedgerAndItsNextFollowUp() throws Exception {
        String handle = "tg-reassign-" + System.nanoTime();
        String id = social("telegram", handle, "The courier threw my parcel over the fence and the vase inside broke.", null);
        String from = await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id), java.util.Optional::isPresent)
                .orElseThrow().department();
        Received original = takeFor("complaints." + from, id);
        takeFor("complaints.desk", id);
        String to = from.equals("billing") ? "quality" : "billing";

        status("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\", \"department\": \"" + to
                + "\", \"reason\": \"a damaged item: quality decides\", \"agent\": \"desk-7\"}");

        Received moved = takeFor("complaints." + to, id);
        assertThat(moved.record().get("department").asText()).isEqualTo(to);
        assertThat(moved.record().get("reassignedFrom").asText()).isEqualTo(from);
        assertThat(moved.record().get("description").asText()).isEqualTo(original.record().get("description").asText());
        assertThat(moved.property("reassignedFrom")).isEqualTo(from);
        assertThat(moved.property("department")).isEqualTo(to);
        assertThat(moved.property("complaintId")).isEqualTo(id);
        assertThat(moved.property("grade")).isEqualTo(original.property("grade"));
        assertThat(moved.property("type")).isEqualTo(original.property("type"));
        assertThat(moved.property("channel")).isEqualTo("telegram");
        Received desk = takeFor("complaints.desk", id);
        assertThat(desk.record().get("reassignedFrom").asText()).as("the desk sees the move").isEqualTo(from);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().department().equals(to));

        List<Map<String, Object>> rows = rows(id, "REASSIGNED");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("DEPARTMENT")).isEqualTo(to);
        assertThat(rows.get(0).get("AGENT")).isEqualTo("desk-7");
        JsonNode detail = json((String) rows.get(0).get("DETAIL"));
        assertThat(detail.get("from").asText()).isEqualTo(from);
        assertThat(detail.get("to").asText()).isEqualTo(to);
        assertThat(detail.get("reason").asText()).isEqualTo("a damaged item: quality decides");

        // the account's next message (within its follow-up window) follows the complaint to its new department
        social("telegram", handle, "Any news about my broken vase?", null);
        Received followUp = await().atMost(Duration.ofSeconds(10)).until(
                () -> receive("complaints." + to, "threadOf-of-" + id), Objects::nonNull);
        assertThat(followUp.record().get("threadOf").asText()).isEqualTo(id);
        assertThat(followUp.record().get("department").asText()).isEqualTo(to);
        // and so does one its channel marked as a follow-up (an email answering the hub's message: threadOf)
        social("telegram", "tg-other-" + System.nanoTime(), "About my vase again", id);
        Received marked = await().atMost(Duration.ofSeconds(10)).until(
                () -> receive("complaints." + to, "threadOf-of-" + id), Objects::nonNull);
        assertThat(marked.record().get("department").asText()).isEqualTo(to);

        // the same event again (redelivered, or handled by another node after the first): nothing more
        status("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\", \"department\": \"" + to
                + "\", \"reason\": \"a damaged item: quality decides\", \"agent\": \"desk-7\"}");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> quick().receiveSelected("complaints." + to, "complaintId = '" + id + "'") == null);
        assertThat(rows(id, "REASSIGNED")).hasSize(1);
    }

    @Test
    void aReassignmentWhoseMarkFailsIsQueuedOnceAndKeptOnce() throws Exception {
        String id = submit("{\"customer\": {\"email\": \"mark-fails@example.com\"}, "
                + "\"description\": \"The invoice charges me twice for the same order.\"}");
        String from = await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id), java.util.Optional::isPresent)
                .orElseThrow().department();
        String to = from.equals("legal") ? "quality" : "legal";
        try (TableFaults faults = new TableFaults(dataSource, "complaint_contact")) {
            faults.failUpdates(true);
            status("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\", \"department\": \"" + to + "\"}");
            takeFor("complaints." + to, id);
            Thread.sleep(2500); // the mark fails and is tried again meanwhile (1 s, 2 s ...)
            assertThat(ledger.find(id).orElseThrow().department()).isEqualTo(from);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).orElseThrow().department().equals(to));
        assertThat(jms.receiveSelected("complaints." + to, "complaintId = '" + id + "'")).as("queued once").isNull();
        assertThat(rows(id, "REASSIGNED")).hasSize(1);
        assertThat(jms.receiveSelected("complaints.quarantine", "reason LIKE '%" + id + "%'")).as("a fault of the hub's own").isNull();
    }

    // ---- reopening ----

    @Test
    void aScoreOfOneReopensOneGradeHigherAndASecondResolutionThanksAgain() throws Exception {
        String id = submit("""
                {"customer": {"name": "周杰", "email": "reopen@example.com"},
                 "description": "门店店员态度恶劣，当众辱骂我。"}""");
        mailTo("reopen@example.com", id, 1);
        String department = ledger.find(id).orElseThrow().department();
        Received dispatched = takeFor("complaints." + department, id);
        String grade = dispatched.property("grade");
        String raised = grade.equals("A") ? "A" : String.valueOf((char) (grade.charAt(0) - 1));
        // late in the first round: an OVERDUE event and an interim message (mail 2)
        overdue(id);
        mailTo("reopen@example.com", id, 2);

        status("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"已约谈店员并道歉\", \"agent\": \"王经理\"}");
        String satisfaction = link(text(mailTo("reopen@example.com", id, 3)), "/satisfaction/");
        assertThat(post(satisfaction, "score=1&comment=" + java.net.URLEncoder.encode("道歉不够诚恳", "UTF-8")).statusCode())
                .isEqualTo(200);

        Message reopenedEvent = await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected("complaints.events",
                "complaintId = '" + id + "' AND event = 'REOPENED'"), Objects::nonNull);
        JsonNode event = json(text(reopenedEvent));
        hubEvent(event);
        assertThat(event.get("round").asInt()).isEqualTo(1);
        assertThat(event.get("score").asInt()).isEqualTo(1);
        assertThat(event.get("grade").asText()).isEqualTo(raised);
        assertThat(event.get("department").asText()).isEqualTo(department);

        Received again = takeFor("complaints." + department, id);
        assertThat(again.property("reopened")).isEqualTo("1");
        assertThat(again.property("grade")).isEqualTo(raised);
        assertThat(again.record().get("grade").asText()).isEqualTo(raised);
        assertThat(again.record().get("reopened").asInt()).isEqualTo(1);
        OffsetDateTime due = OffsetDateTime.parse(again.record().get("dueAt").asText());
        assertThat(due).isAfter(OffsetDateTime.now(SharedTestClock.CLOCK));
        Received escalated = takeFor("complaints.escalations", id);
        assertThat(escalated.record().get("grade").asText()).isEqualTo(raised);

        Contact c = await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow(),
                x -> x.status().equals(Contact.REOPENED));
        assertThat(c.grade()).isEqualTo(raised);
        assertThat(c.dueAt().toInstant()).isEqualTo(due.toInstant());
        assertThat(c.satisfactionScore()).as("the score that reopened it, until the next resolution").isEqualTo(1);

        MimeMessage told = mailTo("reopen@example.com", id, 4);
        assertThat(told.getSubject()).contains("重新处理");
        assertThat(text(told)).contains("周杰", templates.text("zh", "departments." + department));

        // the overdue check applies again: late in the second round too (its own event and interim message, mail 5)
        overdue(id);
        mailTo("reopen@example.com", id, 5);
        assertThat(rows(id, "OVERDUE")).hasSize(2);

        status("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"店长亲自上门致歉并补偿\", \"agent\": \"李店长\"}");
        MimeMessage second = mailTo("reopen@example.com", id, 6);
        assertThat(text(second)).contains("李店长", "/satisfaction/");
        assertThat(ledger.find(id).orElseThrow().satisfactionScore()).as("asked again").isNull();
        assertThat(post(link(text(second), "/satisfaction/"), "score=4").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(4).equals(ledger.find(id).orElseThrow().satisfactionScore()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> messagesTo("reopen@example.com", id).size() == 6);

        assertThat(rows(id, "RESOLVED")).hasSize(2);
        assertThat(rows(id, "REOPENED")).hasSize(1);
        List<Map<String, Object>> scores = rows(id, "SATISFACTION");
        assertThat(scores).hasSize(2);
        assertThat(json((String) scores.get(0).get("DETAIL")).get("comment").asText()).isEqualTo("道歉不够诚恳");
        assertThat(json((String) scores.get(1).get("DETAIL")).get("score").asInt()).isEqualTo(4);
        assertThat(rows(id, "REOPENED").get(0).get("GRADE")).isEqualTo(raised);
    }

    @Test
    void aGoodScoreReopensNothing() throws Exception {
        String id = submit("{\"customer\": {\"email\": \"happy@example.com\"}, \"description\": \"The store was closed at noon.\"}");
        mailTo("happy@example.com", id, 1);
        status("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\"}");
        assertThat(post(link(text(mailTo("happy@example.com", id, 2)), "/satisfaction/"), "score=3").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().satisfactionScore() != null);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> rows(id, "REOPENED").isEmpty());
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(Contact.RESOLVED);
    }

    @Test
    void aLowScoreOrAnUnsatisfiedReplyOnTheCustomersChannelReopens() throws Exception {
        String scoredHandle = "tg-score-" + System.nanoTime();
        String repliedHandle = "tg-reply-" + System.nanoTime();
        String scored = social("telegram", scoredHandle, "My new phone's screen cracked on its own after two days.", null);
        String replied = social("telegram", repliedHandle, "The shop refused to take back the faulty kettle.", null);
        for (String id : List.of(scored, replied)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).isPresent());
            takeFor("complaints." + ledger.find(id).orElseThrow().department(), id); // as dispatched
            // what the outbound path does when the desk resolves it and the thank-you goes out on Telegram
            status("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"Refunded\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().resolved());
            ledger.recordSent(id, "THANKS", "telegram", "hash-" + id, OffsetDateTime.now(SharedTestClock.CLOCK));
        }

        socialReply(scoredHandle, "tg-1-" + System.nanoTime(), "1");
        String words = "还是没有解决，我很不满意！";
        String replySource = "tg-2-" + System.nanoTime();
        socialReply(repliedHandle, replySource, words);
        socialReply(repliedHandle, replySource, words); // the platform's retry: a duplicate

        for (String id : List.of(scored, replied)) {
            Message e = await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected("complaints.events",
                    "complaintId = '" + id + "' AND event = 'REOPENED'"), Objects::nonNull);
            JsonNode event = json(text(e));
            if (id.equals(scored)) {
                assertThat(event.get("score").asInt()).isEqualTo(1);
            } else {
                assertThat(event.get("reason").asText()).contains(words);
                assertThat(event.get("source").asText()).isEqualTo("reply");
            }
            Received again = takeFor("complaints." + ledger.find(id).orElseThrow().department(), id);
            assertThat(again.property("reopened")).isEqualTo("1");
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().status().equals(Contact.REOPENED));
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> quick().receiveSelected(
                "complaints.events", "complaintId = '" + replied + "' AND event = 'REOPENED'") == null);
        assertThat(rows(replied, "REOPENED")).hasSize(1);
        assertThat(rows(scored, "SATISFACTION")).hasSize(1);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM complaint_history WHERE record LIKE ?", Integer.class,
                "%" + words + "%")).as("the reply became no complaint").isZero();
    }

    // ---- progress ----

    @Test
    void aProgressNoteIsKeptShownOnTheStatusPageAndSentWhenAsked() throws Exception {
        String id = submit("{\"customer\": {\"name\": \"Ann Lee\", \"email\": \"progress@example.com\"}, "
                + "\"description\": \"My washing machine leaks after the repair.\"}");
        String statusPage = link(text(mailTo("progress@example.com", id, 1)), "/status/");

        status("{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\", \"note\": \"Quiet note <b>only</b> on the page\", "
                + "\"handler\": \"Jo Chen\", \"notify\": false}");
        String note = "A technician visits you on Friday; spare parts are ordered.";
        String event = "{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\", \"note\": \"" + note
                + "\", \"handler\": \"Jo Chen\", \"supervisor\": \"Pat Wu\", \"notify\": true}";
        status(event);
        status(event); // the same event twice (a redelivery): one row, one message

        MimeMessage sent = mailTo("progress@example.com", id, 2);
        assertThat(sent.getSubject()).contains("Progress");
        assertThat(text(sent)).contains("Ann Lee", note, "Jo Chen", "Pat Wu", "/status/");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> messagesTo("progress@example.com", id).size() == 2);
        assertThat(rows(id, "IN_PROGRESS")).hasSize(2);

        HttpResponse<String> page = get(statusPage);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"progress\"", note, "Jo Chen", "Pat Wu",
                "Quiet note &lt;b&gt;only&lt;/b&gt; on the page").doesNotContain("<b>only</b>");
        assertThat(page.body().indexOf(note)).as("newest first").isLessThan(page.body().indexOf("Quiet note"));
        assertThat(get(statusPage + "?lang=zh").body()).contains("处理进展", "经办人", "主管");
    }

    // ---- call-backs ----

    @Test
    void aResolvedComplaintWithoutAScoreIsCalledBackOnceOnTheNextWorkingDay() throws Exception {
        ZonedDateTime friday = ZonedDateTime.now(SHANGHAI).with(TemporalAdjusters.next(DayOfWeek.FRIDAY))
                .withHour(17).withMinute(0).withSecond(0).withNano(0);
        SharedTestClock.CLOCK.set(friday.toInstant());
        String unscored = submit("{\"customer\": {\"name\": \"Callback Kim\", \"email\": \"callback@example.com\", "
                + "\"phone\": \"13800138077\"}, \"description\": \"The delivery man was rude to my mother.\"}");
        String scored = submit("{\"customer\": {\"email\": \"scored@example.com\"}, \"description\": \"The delivery man was late.\"}");
        mailTo("callback@example.com", unscored, 1);
        mailTo("scored@example.com", scored, 1);
        status("{\"id\": \"" + unscored + "\", \"status\": \"RESOLVED\", \"resolution\": \"We apologised and retrained him.\"}");
        status("{\"id\": \"" + scored + "\", \"status\": \"RESOLVED\"}");
        mailTo("callback@example.com", unscored, 2);
        post(link(text(mailTo("scored@example.com", scored, 2)), "/satisfaction/"), "score=5");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(scored).orElseThrow().satisfactionScore() != null);

        // a day later is Saturday: the call-back waits for Monday 09:00
        SharedTestClock.CLOCK.set(friday.plusDays(1).plusMinutes(30).toInstant());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> callbacks(unscored).isEmpty());
        SharedTestClock.CLOCK.set(friday.plusDays(3).withHour(8).withMinute(59).toInstant());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> callbacks(unscored).isEmpty());

        SharedTestClock.CLOCK.set(friday.plusDays(3).withHour(9).withMinute(1).toInstant());
        Message due = await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected("complaints.events",
                "complaintId = '" + unscored + "' AND event = 'CALLBACK_DUE'"), Objects::nonNull);
        JsonNode event = json(text(due));
        hubEvent(event);
        assertThat(event.get("id").asText()).isEqualTo(unscored);
        assertThat(event.get("name").asText()).isEqualTo("Callback Kim");
        assertThat(event.get("phone").asText()).isEqualTo("+8613800138077");
        assertThat(event.get("resolution").asText()).isEqualTo("We apologised and retrained him.");
        assertThat(event.get("department").asText()).isEqualTo(ledger.find(unscored).orElseThrow().department());
        SharedTestClock.CLOCK.advance(Duration.ofHours(2));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> callbacks(unscored).isEmpty());
        assertThat(callbacks(scored)).as("a scored complaint is not called back").isEmpty();
        assertThat(rows(unscored, "CALLBACK_DUE")).hasSize(1);
        assertThat(rows(unscored, "CALLBACK_DUE").get(0).get("DETAIL").toString()).doesNotContain("Kim", "138");
    }

    @Test
    void workingHoursMoveACallBackToTheNextWorkingPeriod() {
        var days = java.util.EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        java.time.LocalTime nine = java.time.LocalTime.of(9, 0);
        java.time.LocalTime six = java.time.LocalTime.of(18, 0);
        ZonedDateTime wednesday = ZonedDateTime.of(2026, 12, 2, 10, 30, 0, 0, SHANGHAI);
        assertThat(Callbacks.intoWorkingHours(wednesday, nine, six, days)).isEqualTo(wednesday);
        assertThat(Callbacks.intoWorkingHours(wednesday.withHour(7), nine, six, days)).isEqualTo(wednesday.withHour(9).withMinute(0));
        assertThat(Callbacks.intoWorkingHours(wednesday.withHour(18), nine, six, days))
                .isEqualTo(wednesday.plusDays(1).withHour(9).withMinute(0));
        assertThat(Callbacks.intoWorkingHours(wednesday.plusDays(2).withHour(19), nine, six, days)).as("Friday evening")
                .isEqualTo(wednesday.plusDays(5).withHour(9).withMinute(0));
    }

    // ---- what the hub cannot use ----

    @Test
    void hostileStatusEventsAreQuarantinedWithTheReason() throws Exception {
        String id = submit("{\"customer\": {\"email\": \"hostile@example.com\"}, \"description\": \"The parcel never came.\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).isPresent());
        drain("complaints.quarantine");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"id\": \"C-20260101-999998\", \"status\": \"IN_PROGRESS\", \"note\": \"x\"}", "unknown complaint");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\", \"department\": \"nowhere\"}", "unknown department nowhere");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\"}", "department");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\", \"note\": \"" + "长".repeat(2001) + "\"}", "note");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\"}", "note");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"REOPENED\"}", "not resolved");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\", \"department\": \"../../etc\"}", "department");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\", \"note\": \"x\", \"notify\": \"yes\"}", "notify");
        cases.put("[1, 2]", "");
        cases.put("null", "");
        cases.put("{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\", \"note\": \"x\"", "not JSON");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            status(c.getKey());
            Message q = jms.receive("complaints.quarantine");
            assertThat(q).as("quarantined: " + c.getKey()).isNotNull();
            assertThat(q.getStringProperty("reason")).as(c.getKey()).startsWith("status event refused").contains(c.getValue());
            assertThat(text(q)).isEqualTo(c.getKey());
        }
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(Contact.OPEN);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM complaint_event WHERE complaint_id = ?", Integer.class, id)).isZero();
    }

    // ---- helpers ----

    private String social(String channel, String handle, String text, String threadOf) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("sourceId", channel + "-msg-" + handle + "-" + System.nanoTime());
        record.put("customer", Map.of("handle", handle, "language", "en"));
        record.put("description", text);
        if (threadOf != null) {
            record.put("threadOf", threadOf);
        }
        return producer.requestBodyAndHeader("direct:test-desk-social-record",
                RecordJson.MAPPER.convertValue(record, Complaint.class), "channel", channel, Complaint.class).getId();
    }

    /** Receives without waiting long (a condition polled for a while must answer at once). */
    private org.springframework.jms.core.JmsTemplate quick() {
        org.springframework.jms.core.JmsTemplate t = new org.springframework.jms.core.JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(200);
        return t;
    }

    /** A customer's message on Telegram as the platform's mapping gives it, taken as the webhook route takes it. */
    private void socialReply(String handle, String sourceId, String text) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(producer.getCamelContext());
        exchange.setProperty(org.complainthub.HubExchange.WEBHOOK_PLATFORM, "telegram");
        exchange.getMessage().setBody(new LinkedHashMap<>(Map.of("channel", "telegram", "handle", handle, "sourceId", sourceId,
                "text", text)));
        org.apache.camel.Exchange done = producer.send("direct:social-take", exchange);
        assertThat(done.getException()).isNull();
    }

    private void status(String json) {
        jms.send("complaints.status", s -> s.createTextMessage(json));
    }

    /** The next message of this complaint on a queue (its record checked against the schema). */
    private Received takeFor(String queue, String id) throws Exception {
        Message m = await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected(queue, "complaintId = '" + id + "'"),
                Objects::nonNull);
        String body = text(m);
        assertThat(recordSchema.problems(body)).as("schema problems of the record on " + queue).isEmpty();
        return new Received(m, json(body));
    }

    /** A follow-up of the complaint (threadOf) on the queue, or null. */
    private Received receive(String queue, String selectorHint) throws Exception {
        String id = selectorHint.substring("threadOf-of-".length());
        for (Message m; (m = jms.receiveSelected(queue, "complaintId <> '" + id + "'")) != null; ) {
            JsonNode record = json(text(m));
            if (id.equals(record.path("threadOf").asText(null))) {
                assertThat(recordSchema.problems(text(m))).isEmpty();
                return new Received(m, record);
            }
        }
        return null;
    }

    /** Moves the clock past the complaint's due time and waits for its OVERDUE event. */
    private void overdue(String id) {
        OffsetDateTime due = ledger.find(id).orElseThrow().dueAt();
        SharedTestClock.CLOCK.set(due.toInstant().plus(Duration.ofMinutes(1)));
        Message m = await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected("complaints.events",
                "complaintId = '" + id + "' AND event = 'OVERDUE'"), Objects::nonNull);
        assertThat(m).isNotNull();
    }

    /** The event as the hub's event schema (hub-event.schema.json) allows it. */
    private void hubEvent(JsonNode event) {
        schemas.check(event, "classpath:schema/hub-event.schema.json");
    }

    private List<Map<String, Object>> callbacks(String id) throws Exception {
        Message m = quick().receiveSelected("complaints.events", "complaintId = '" + id + "' AND event = 'CALLBACK_DUE'");
        return m == null ? List.of() : List.of(Map.of("event", text(m)));
    }

    private List<Map<String, Object>> rows(String id, String type) {
        return db.queryForList("SELECT * FROM complaint_event WHERE complaint_id = ? AND type = ? ORDER BY event_id", id, type);
    }

    private static String text(Message m) throws Exception {
        return ((TextMessage) m).getText();
    }

    private String submit(String json) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body()).get("id").asText();
    }

    /** The n-th mail to the address about the complaint (waiting for it). */
    private MimeMessage mailTo(String address, String id, int n) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> messagesTo(address, id), l -> l.size() >= n).get(n - 1);
    }

    private List<MimeMessage> messagesTo(String address, String id) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address) && m.getSubject().contains(id);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String text(MimeMessage m) throws Exception {
        return (String) m.getContent();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String link(String body, String path) {
        Matcher m = Pattern.compile("https?://[^\\s<>\"]+" + Pattern.quote(path) + "[A-Za-z0-9_.\\-]+").matcher(body);
        assertThat(m.find()).as("a " + path + " link in\n" + body).isTrue();
        return m.group();
    }
}
