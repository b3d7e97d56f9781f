package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.complainthub.support.Dovecot;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The email channel against a real Dovecot (Maildir, hierarchy separator "."), started by the test (support/Dovecot):
 * the hub makes its folders with the server's separator (ComplaintHub.Processed; "ComplaintHub/Processed" is refused
 * by Dovecot), moves each mail out of INBOX once it is dispatched or quarantined, never fetches a processed mail again,
 * and quarantines an unreadable mail once, also when it is read again because its move failed. Skipped where Dovecot
 * is not installed (apt-get install -y dovecot-imapd), except under CI=true, where that is a failure.
 */
@TestPropertySource(properties = {"hub.email.enabled=true", "hub.email.poll-interval-ms=200", "hub.email.max-bytes=20000",
        "hub.email.username=" + EmailDovecotTest.USER, "hub.email.password=" + EmailDovecotTest.PASSWORD,
        "hub.outbound.overdue.check-period-ms=3600000", "camel.main.shutdown-timeout=5"})
class EmailDovecotTest extends HubIntegrationTest {

    static final String USER = "complaints@shop.example";
    static final String PASSWORD = "secret-dovecot";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SEVERAL_POLLS = Duration.ofMillis(2000);

    static Dovecot imap;

    @BeforeAll
    static void startDovecot() throws Exception {
        Dovecot.assumeInstalled();
        imap = Dovecot.start(USER, PASSWORD);
    }

    @AfterAll
    static void stopDovecot() {
        if (imap != null) {
            imap.close();
        }
    }

    @DynamicPropertySource
    static void imapServer(DynamicPropertyRegistry registry) {
        registry.add("hub.email.host", () -> "127.0.0.1");
        registry.add("hub.email.port", () -> imap.port()); // read when the hub starts: after @BeforeAll
    }

    @Autowired
    MeterRegistry meters;

    private Store client;

    @BeforeEach
    void connect() throws MessagingException {
        client = Session.getInstance(new Properties()).getStore("imap");
        client.connect("127.0.0.1", imap.port(), USER, PASSWORD);
    }

    @AfterEach
    void disconnect() throws MessagingException {
        client.close();
    }

    @Test
    void theHubWorksADovecotMaildirMailboxWithTheServersSeparatorAndQuarantinesOnce() throws Exception {
        // the folders, made at the hub's first connect with the server's separator
        assertThat(client.getDefaultFolder().getSeparator()).isEqualTo('.');
        await().atMost(WAIT).until(() -> exists("ComplaintHub.Processed") && exists("ComplaintHub.Quarantine"));
        assertThat(Files.isDirectory(imap.maildir().resolve(".ComplaintHub.Processed"))).as("a Maildir++ folder").isTrue();
        assertThat(Files.isDirectory(imap.maildir().resolve(".ComplaintHub.Quarantine"))).isTrue();

        // two complaints and one mail over hub.email.max-bytes (quarantined unread)
        append(mail("parcel-1", "My parcel 1 is two weeks late."), mail("parcel-2", "My parcel 2 never arrived."),
                mail("huge-1", "x".repeat(30_000)));
        await().atMost(WAIT).until(() -> count("INBOX") == 0 && count("ComplaintHub.Processed") == 2
                && count("ComplaintHub.Quarantine") == 1);
        assertThat(depth("complaints.logistics")).isEqualTo(2);
        assertThat(depth("complaints.quarantine")).isEqualTo(1);
        // later polls find nothing to do: no processed mail is fetched again, nothing more is quarantined
        await().during(SEVERAL_POLLS).atMost(SEVERAL_POLLS.plusSeconds(5)).until(() -> count("INBOX") == 0
                && depth("complaints.quarantine") == 1 && depth("complaints.logistics") == 2);
        assertThat(counter("accepted")).isEqualTo(2);
        assertThat(counter("duplicate")).as("processed mail fetched again").isZero();

        // the quarantine folder goes away (an operator deleted it): the next unreadable mail is put on
        // complaints.quarantine, its move fails, and it is read again at the next polls; it is queued once all the same
        client.getFolder("ComplaintHub.Quarantine").delete(true);
        append(mail("huge-2", "y".repeat(30_000)));
        await().atMost(WAIT).until(() -> count("INBOX") == 0 && exists("ComplaintHub.Quarantine")
                && count("ComplaintHub.Quarantine") == 1);
        await().during(SEVERAL_POLLS).atMost(SEVERAL_POLLS.plusSeconds(5))
                .until(() -> depth("complaints.quarantine") == 2 && count("INBOX") == 0);
        assertThat(depth("complaints.logistics")).isEqualTo(2);
    }

    private boolean exists(String folder) throws MessagingException {
        return client.getFolder(folder).exists();
    }

    private int count(String folder) throws MessagingException {
        Folder f = client.getFolder(folder);
        return f.exists() ? f.getMessageCount() : -1;
    }

    private double counter(String outcome) {
        Counter c = meters.find("hub.intake").tag("channel", "email").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private void append(MimeMessage... mails) throws MessagingException {
        client.getFolder("INBOX").appendMessages(mails);
    }

    private static MimeMessage mail(String tag, String text) throws MessagingException {
        String raw = "From: " + tag + "@example.com\r\nTo: " + USER + "\r\nSubject: late parcel " + tag + "\r\n"
                + "Message-ID: <" + tag + "@example.com>\r\nDate: Thu, 3 Dec 2026 08:00:00 +0800\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n";
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }
}
