package org.complainthub.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.complainthub.outbound.Contact;
import org.complainthub.outbound.ContactLedger;
import org.complainthub.support.EmbeddedPostgres;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The desk's loop's SQL on PostgreSQL, as production runs it (the full behaviour is DeskLoopTest's, on H2): the
 * complaint history at dispatch, every status event's row once (an event handled twice: PostgreSQL aborts a
 * transaction at a duplicate key), the reassignment, the reopening, the overdue check of a reopened complaint and the
 * call-back query.
 */
@TestPropertySource(properties = {"hub.outbound.overdue.check-period-ms=300", "hub.followup.callback-check-period-ms=300"})
@Import({DeskLoopOnPostgresTest.PostgresLifetime.class, SharedTestClock.class})
class DeskLoopOnPostgresTest extends HubIntegrationTest {

    static EmbeddedPostgres postgres;

    @DynamicPropertySource
    static void onPostgres(DynamicPropertyRegistry r) throws Exception {
        postgres = EmbeddedPostgres.start();
        for (String s : postgres.hubSettings("postgres")) {
            String[] kv = s.split("=", 2);
            r.add(kv[0], () -> kv[1]);
        }
    }

    /** The database outlives the hub (as in MigrationsOnPostgresTest). */
    @TestConfiguration
    static class PostgresLifetime {
        @Bean(destroyMethod = "close")
        EmbeddedPostgres embeddedPostgres() {
            return postgres;
        }

        @Bean
        static BeanFactoryPostProcessor dataSourceNeedsPostgres() {
            return factory -> {
                BeanDefinition dataSource = factory.getBeanDefinition("dataSource");
                List<String> dependsOn = new ArrayList<>(dataSource.getDependsOn() == null ? List.of() : List.of(dataSource.getDependsOn()));
                dependsOn.add("embeddedPostgres");
                dataSource.setDependsOn(dependsOn.toArray(String[]::new));
            };
        }
    }

    @Autowired
    ContactLedger ledger;

    @Test
    void theDesksLoopKeepsItsHistoryOnPostgres() throws Exception {
        SharedTestClock.CLOCK.set(ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).withHour(10).withMinute(0).toInstant());
        JdbcTemplate db = new JdbcTemplate(postgres.dataSource("postgres"));
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"name": "Li Lei", "phone": "13800138000"},
                 "description": "My parcel for order 5511 is a week late and the courier does not answer.",
                 "target": {"order": "5511"}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).isPresent());
        assertThat(db.queryForObject("SELECT order_no FROM complaint_history WHERE complaint_id = ?", String.class, id))
                .isEqualTo("5511");
        String from = ledger.find(id).orElseThrow().department();
        String to = from.equals("billing") ? "quality" : "billing";

        String progress = "{\"id\": \"" + id + "\", \"status\": \"IN_PROGRESS\", \"note\": \"Asked the courier\"}";
        status(progress);
        status(progress);
        status("{\"id\": \"" + id + "\", \"status\": \"REASSIGNED\", \"department\": \"" + to + "\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().department().equals(to));
        assertThat(jms.receiveSelected("complaints." + to, "complaintId = '" + id + "'").getStringProperty("reassignedFrom"))
                .isEqualTo(from);

        status("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"Found and delivered\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().resolved());
        status("{\"id\": \"" + id + "\", \"status\": \"REOPENED\", \"reason\": \"the customer called: box crushed\", \"source\": \"desk\"}");
        Contact reopened = await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow(),
                c -> c.status().equals(Contact.REOPENED));
        assertThat(jms.receiveSelected("complaints.escalations", "complaintId = '" + id + "'")).isNotNull();

        // a reopened complaint is checked for its due time again
        SharedTestClock.CLOCK.set(reopened.dueAt().toInstant().plusSeconds(60));
        Message overdue = await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected("complaints.events",
                "complaintId = '" + id + "' AND event = 'OVERDUE'"), Objects::nonNull);
        assertThat(((TextMessage) overdue).getText()).contains(id);

        status("{\"id\": \"" + id + "\", \"status\": \"RESOLVED\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).orElseThrow().resolved());
        SharedTestClock.CLOCK.advance(Duration.ofDays(4)); // past the next working day's morning, whatever today is
        await().atMost(Duration.ofSeconds(10)).until(() -> jms.receiveSelected("complaints.events",
                "complaintId = '" + id + "' AND event = 'CALLBACK_DUE'"), Objects::nonNull);

        await().atMost(Duration.ofSeconds(10)).until(() -> types(db, id).contains("CALLBACK_DUE"));
        assertThat(types(db, id)).containsExactly("IN_PROGRESS", "REASSIGNED", "RESOLVED", "REOPENED", "OVERDUE", "RESOLVED",
                "CALLBACK_DUE");
        assertThat(db.queryForObject("SELECT department FROM complaint_event WHERE complaint_id = ? AND type = 'REOPENED'",
                String.class, id)).isEqualTo(to);
    }

    private static List<String> types(JdbcTemplate db, String id) {
        return db.queryForList("SELECT type FROM complaint_event WHERE complaint_id = ? ORDER BY event_id", String.class, id);
    }

    private void status(String json) {
        jms.send("complaints.status", s -> s.createTextMessage(json));
    }
}
