package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import org.complainthub.support.BrokerFaults;
import org.complainthub.support.DatabaseFaults;
import org.complainthub.support.MailHubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Faults of the hub's own infrastructure never count against a mail (hub.email.max-attempts is 3 here): the database
 * failing (connection lost, or a timeout) at each of its calls in turn while a mail is worked on, and the broker
 * refusing each of its steps (the complaint's send, the acknowledgement request's send), the data directory refusing
 * the evidence store's writes, each for many more polls than three. The mail stays in the inbox, nothing reaches complaints.quarantine or the quarantine folder, and once the
 * fault is gone each mail becomes exactly one complaint.
 */
@TestPropertySource(properties = {"hub.email.enabled=true", "hub.email.poll-interval-ms=200", "hub.email.max-attempts=3",
        "hub.email.username=complaints@shop.example", "hub.email.password=secret",
        "hub.outbound.overdue.check-period-ms=3600000",
        // GreenMail stops before the hub: do not wait 45 s for acknowledgements still retrying
        "camel.main.shutdown-timeout=5"})
@Import(DatabaseFaults.class)
class EmailHubFaultsTest extends MailHubTest {

    /** Long enough for several polls (every 200 ms) past hub.email.max-attempts. */
    private static final Duration FAULT_LASTS = Duration.ofMillis(2500);

    @Autowired
    DatabaseFaults database;
    @Autowired
    MeterRegistry meters;
    @Value("${hub.data-dir}")
    Path dataDir;

    @AfterEach
    void healed() {
        database.heal();
    }

    @Test
    void theDatabaseFailingAtAnyStepNeverCountsAgainstTheMail() throws Exception {
        int mails = 0;
        for (int step = 0; ; step++) {
            assertThat(step).as("steps: a mail's path makes a bounded number of database calls").isLessThan(40);
            database.failFrom(step, step % 2 == 0 ? DatabaseFaults.Fault.CONNECTION_LOST : DatabaseFaults.Fault.TIMEOUT);
            deliver("db-" + step);
            mails++;
            await().atMost(Duration.ofSeconds(20)).until(() -> database.refused() > 0 || inbox() == 0);
            if (database.refused() == 0) { // the step is past the mail's last database call: every step was failed
                database.heal();
                break;
            }
            await().during(FAULT_LASTS).atMost(FAULT_LASTS.plusSeconds(5)).until(this::nothingQuarantined);
            database.heal();
            await().atMost(Duration.ofSeconds(20)).until(() -> inbox() == 0);
        }
        assertThat(mails).as("the database was failed at several steps").isGreaterThan(3);
        assertEachMailOneComplaint(mails);
    }

    @Test
    void theBrokerFailingAtAnyStepNeverCountsAgainstTheMail() throws Exception {
        BrokerFaults faults = new BrokerFaults();
        broker.getActiveMQServer().registerBrokerPlugin(faults);
        try {
            List<String> steps = List.of("complaints.logistics", "complaints.outbound.send");
            for (String address : steps) {
                faults.failSendsTo(address);
                deliver("broker-" + address);
                await().atMost(Duration.ofSeconds(20)).until(() -> faults.refused() > 0);
                await().during(FAULT_LASTS).atMost(FAULT_LASTS.plusSeconds(5))
                        .until(() -> nothingQuarantined() && inbox() == 1);
                assertThat(faults.refused()).as("polls that met the fault").isGreaterThan(3);
                faults.heal();
                await().atMost(Duration.ofSeconds(20)).until(() -> inbox() == 0);
            }
            assertEachMailOneComplaint(steps.size());
        } finally {
            broker.getActiveMQServer().unRegisterBrokerPlugin(faults);
        }
    }

    @Test
    void theDataDirectoryFailingNeverCountsAgainstTheMail() throws Exception {
        // the evidence store cannot write (here: a file where its folder should be; in life a full or read-only disk)
        Path evidence = dataDir.resolve("evidence");
        Path away = dataDir.resolve("evidence.away");
        if (Files.isDirectory(evidence)) {
            Files.move(evidence, away);
        }
        Files.writeString(evidence, "not a folder");
        double before = attempts();
        try {
            deliver("disk-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts() > before);
            await().during(FAULT_LASTS).atMost(FAULT_LASTS.plusSeconds(5)).until(() -> nothingQuarantined() && inbox() == 1);
            assertThat(attempts() - before).as("polls that met the fault").isGreaterThan(3);
        } finally {
            Files.delete(evidence);
            if (Files.isDirectory(away)) {
                Files.move(away, evidence);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox() == 0);
        assertEachMailOneComplaint(1);
    }

    /** Attempts that failed, counted against the mail ("failed") or not ("hub-fault"). */
    private double attempts() {
        double n = 0;
        for (String outcome : List.of("failed", "hub-fault")) {
            Counter c = meters.find("hub.intake").tag("channel", "email").tag("outcome", outcome).counter();
            n += c == null ? 0 : c.count();
        }
        return n;
    }

    private boolean nothingQuarantined() throws Exception {
        MailFolder quarantine = mail.getManagers().getImapHostManager().getFolder(mailbox(), "ComplaintHub.Quarantine");
        return depth("complaints.quarantine") == 0 && (quarantine == null || quarantine.getMessageCount() == 0);
    }

    private void assertEachMailOneComplaint(int mails) throws Exception {
        assertThat(depth("complaints.quarantine")).isZero();
        List<JsonNode> queued = drain("complaints.logistics");
        HashSet<String> sources = new HashSet<>();
        queued.forEach(r -> sources.add(r.get("customer").get("email").asText()));
        assertThat(queued).as("one complaint per mail").hasSize(mails);
        assertThat(sources).hasSize(mails);
        assertThat(drain("complaints.desk")).hasSize(mails);
    }

    private void deliver(String tag) throws Exception {
        String raw = "From: " + tag + "@example.com\r\nTo: complaints@shop.example\r\nSubject: late parcel, see C-20000101-000001\r\n"
                + "Message-ID: <" + tag + "@example.com>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "My parcel " + tag + " is two weeks late and nobody answers.\r\n";
        mailbox().deliver(new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
    }

    private GreenMailUser mailbox() {
        GreenMailUser user = mail.getUserManager().getUser("complaints@shop.example");
        return user != null ? user : mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
    }

    private int inbox() throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(mailbox()).getMessageCount();
    }
}
