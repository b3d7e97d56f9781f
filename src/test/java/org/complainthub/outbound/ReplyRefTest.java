package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The customer's own thread is the record's replyRef (set by the email mapping to the mail's Message-ID), kept in the
 * contact ledger: the email translator reads it and no longer takes the email channel's sourceId apart.
 */
class ReplyRefTest {

    @Test
    void theReplyRefIsTheThreadAndTheSourceIdIsNotReadAnyMore() {
        assertThat(EmailTranslator.customersMessageId(contact("email", "<a1@mail.example.com> 0f3c", "<a1@mail.example.com>")))
                .isEqualTo("<a1@mail.example.com>");
        // another channel whose record carries a Message-ID (a second mailbox, say) threads as well
        assertThat(EmailTranslator.customersMessageId(contact("email-support", "x", "<b2@mail.example.com>")))
                .isEqualTo("<b2@mail.example.com>");
        // an email's sourceId alone (no replyRef) threads nothing: the format is the channel's own
        assertThat(EmailTranslator.customersMessageId(contact("email", "<c3@mail.example.com> 9d1e", null))).isNull();
        // it goes into headers: a line break, a second id or no angle brackets is not written
        assertThat(EmailTranslator.customersMessageId(contact("email", null, "<d4@example.com>\r\nBcc: x@example.com"))).isNull();
        assertThat(EmailTranslator.customersMessageId(contact("email", null, "<d4@example.com> <e5@example.com>"))).isNull();
        assertThat(EmailTranslator.customersMessageId(contact("email", null, "d4@example.com"))).isNull();
    }

    /** V11 gives the email complaints already in the ledger their replyRef, read once from their sourceId. */
    @Test
    void complaintsRecordedBeforeV11KeepTheirThread() {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:reply-ref-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("10").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        OffsetDateTime at = OffsetDateTime.parse("2026-11-20T10:00:00+08:00");
        String insert = "INSERT INTO complaint_contact (complaint_id, channel, language, grade, department, received_at, "
                + "due_at, status, source_id) VALUES (?, ?, 'zh', 'C', 'logistics', ?, ?, 'OPEN', ?)";
        jdbc.update(insert, "C-20261120-000001", "email", at, at, "<first-4411@mail.example.com> 3f2a9c");
        jdbc.update(insert, "C-20261120-000002", "telegram", at, at, "<not-a-mail> 17");
        jdbc.update(insert, "C-20261120-000003", "email", at, at, null);

        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

        Map<String, String> refs = new java.util.TreeMap<>();
        jdbc.query("SELECT complaint_id, reply_ref FROM complaint_contact",
                rs -> { refs.put(rs.getString(1), String.valueOf(rs.getString(2))); });
        assertThat(refs).containsExactly(Map.entry("C-20261120-000001", "<first-4411@mail.example.com>"),
                Map.entry("C-20261120-000002", "null"), Map.entry("C-20261120-000003", "null"));
        assertThat(new ContactLedger(db).find("C-20261120-000001").orElseThrow().replyRef())
                .isEqualTo("<first-4411@mail.example.com>");
    }

    private static Contact contact(String channel, String sourceId, String replyRef) {
        OffsetDateTime at = OffsetDateTime.parse("2026-11-20T10:00:00+08:00");
        return new Contact("C-20261120-000417", channel, null, "li@example.net", null, null, "zh", "subject", "C",
                "logistics", at, at, Contact.OPEN, null, null, null, null, null, null, sourceId, at, replyRef, null);
    }
}
