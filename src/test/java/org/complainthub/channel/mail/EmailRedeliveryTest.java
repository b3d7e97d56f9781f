package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.complainthub.support.MailHubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Mail fetched and taken (a reference given) but not dispatched, because the broker went away: the mail stays in the
 * inbox; once the broker is back, each mail becomes exactly one complaint, under the reference it was first given.
 * (The same path a crash between fetching and dispatching takes on restart: the claim is in the database, the mail
 * still in the folder.)
 */
@TestPropertySource(properties = {"hub.email.enabled=true", "hub.email.poll-interval-ms=300", "hub.email.max-attempts=1000",
        "hub.email.username=complaints@shop.example", "hub.email.password=secret"})
class EmailRedeliveryTest extends MailHubTest {



    @Autowired
    JdbcTemplate jdbc;

    @Test
    void mailTakenButNotDispatchedBecomesExactlyOneComplaintUnderItsFirstReference() throws Exception {
        GreenMailUser box = mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
        broker.stop();
        try {
            for (int i = 0; i < 5; i++) {
                box.deliver(mime("From: c" + i + "@example.com\r\nTo: complaints@shop.example\r\nSubject: late parcel " + i
                        + "\r\nMessage-ID: <crash-" + i + "@example.com>\r\nContent-Type: text/plain\r\n\r\n"
                        + "My parcel " + i + " is two weeks late.\r\n"));
            }
            // every mail was fetched and given a reference, none dispatched, all still in the inbox
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM source_message WHERE channel = 'email'", Integer.class) == 5);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_message_state WHERE dispatched_at IS NOT NULL", Integer.class)).isZero();
            assertThat(mail.getManagers().getImapHostManager().getInbox(box).getMessageCount()).isEqualTo(5);
        } finally {
            broker.start();
        }
        List<String> claimed = jdbc.queryForList("SELECT complaint_id FROM source_message WHERE channel = 'email'", String.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> mail.getManagers().getImapHostManager().getInbox(box).getMessageCount() == 0);
        List<JsonNode> queued = drain("complaints.logistics");
        Set<String> ids = new HashSet<>();
        queued.forEach(r -> ids.add(r.get("id").asText()));
        assertThat(queued).hasSize(5);
        assertThat(ids).containsExactlyInAnyOrderElementsOf(claimed);
        assertThat(drain("complaints.desk")).hasSize(5);
    }

    private static MimeMessage mime(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }
}
