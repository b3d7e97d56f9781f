package org.complainthub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Claims and complaints' matters past hub.dedup.retention are forgotten, in chunks; newer ones stay; a forgotten message is
 * new again.
 */
@TestPropertySource(properties = {"hub.dedup.retention=30d", "hub.intake.max-per-minute-per-client=1000"})
class ExpiredClaimsTest extends HubIntegrationTest {

    @Autowired
    ExpiredClaims expired;
    @Autowired
    DataSource dataSource;
    @Autowired
    Clock clock;

    @Test
    void claimsOlderThanTheRetentionAreRemovedNewerOnesStayAndAForgottenMessageIsNewAgain() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String key = "expiry-" + System.nanoTime();
        String first = idOf(post(key));
        assertThat(idOf(post(key))).as("remembered").isEqualTo(first);

        Instant now = clock.instant();
        Timestamp old = Timestamp.from(now.minus(Duration.ofDays(31)));
        Timestamp recent = Timestamp.from(now.minus(Duration.ofDays(29)));
        // the API's claim, received 31 days ago, and its batch's mark (dispatched then too)
        jdbc.update("UPDATE source_message SET received_at = ? WHERE channel = 'webform'", old);
        jdbc.update("UPDATE dispatched_batch SET dispatched_at = ?", Timestamp.from(now.minus(Duration.ofDays(32))));
        // more than two chunks of old claims, and some recent ones
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * ExpiredClaims.CHUNK + 17; i++) {
            rows.add(new Object[] {"hotline:old-" + i, "hotline", "C-20200101-" + (100000 + i), old, now.minus(Duration.ofDays(31))});
        }
        for (int i = 0; i < 50; i++) {
            rows.add(new Object[] {"hotline:recent-" + i, "hotline", "C-20200102-" + (100000 + i), recent, now});
        }
        jdbc.batchUpdate("INSERT INTO source_message (source_key, channel, complaint_id, received_at, dispatched_at) VALUES (?,?,?,?,?)",
                rows.stream().map(r -> new Object[] {r[0], r[1], r[2], r[3], Timestamp.from((Instant) r[4])}).toList());

        // the matters kept for repeat detection: the old ones go with the claims
        for (int i = 0; i < 3; i++) {
            jdbc.update("INSERT INTO customer_complaint (complaint_id, customer_id, channel, department, grade, received_at, text_sketch) "
                    + "VALUES (?, 'cust-expiry', 'webform', 'quality', 'C', ?, 'kettleleaks')", "C-20200103-10000" + i, i < 2 ? old : recent);
        }

        // contact links: one not seen for the retention goes, one linked long ago but seen lately stays
        jdbc.update("INSERT INTO customer_contact (contact_key, customer_id, linked_at, last_seen_at) VALUES ('key-unseen', "
                + "'cust-expiry', ?, ?)", old, old);
        jdbc.update("INSERT INTO customer_contact (contact_key, customer_id, linked_at, last_seen_at) VALUES ('key-seen', "
                + "'cust-expiry', ?, ?)", Timestamp.from(now.minus(Duration.ofDays(400))), recent);

        assertThat(expired.remove()).isEqualTo(2 * ExpiredClaims.CHUNK + 17 + 1);
        assertThat(jdbc.queryForList("SELECT complaint_id FROM customer_complaint WHERE customer_id = 'cust-expiry'", String.class))
                .as("only the recent matter stays").containsExactly("C-20200103-100002");
        assertThat(jdbc.queryForList("SELECT contact_key FROM customer_contact WHERE customer_id = 'cust-expiry'", String.class))
                .as("the link seen within the retention stays").containsExactly("key-seen");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_message WHERE source_key LIKE 'hotline:old-%'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_message WHERE source_key LIKE 'hotline:recent-%'", Integer.class)).isEqualTo(50);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_message WHERE channel = 'webform'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dispatched_batch WHERE dispatched_at < ?", Integer.class,
                Timestamp.from(now.minus(Duration.ofDays(31))))).as("the old batch's mark went with its claims").isZero();

        String again = idOf(post(key));
        assertThat(again).as("forgotten: a new complaint").isNotEqualTo(first);
        assertThat(expired.remove()).as("nothing more to remove").isZero();
        assertThat(idOf(post(key))).as("and remembered from now on").isEqualTo(again);
    }

    private HttpResponse<String> post(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"customer": {"email": "expiry@example.com"}, "description": "The kettle leaks."}""", StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String idOf(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body()).get("id").asText();
    }
}
