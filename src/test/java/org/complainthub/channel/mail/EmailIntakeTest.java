package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.complainthub.outbound.ContactLedger;
import org.complainthub.support.MailHubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The email channel against a real IMAP and SMTP server (GreenMail): a mail becomes one complaint, leaves the inbox
 * for the processed folder only once it is queued, is acknowledged in the customer's thread; the same mail twice is
 * one complaint; automated mail is left alone; a reply to the acknowledgement is a follow-up; an oversized mail is
 * quarantined with the reason.
 */
@TestPropertySource(properties = {"hub.email.enabled=true", "hub.email.poll-interval-ms=200",
        "hub.email.username=complaints@shop.example", "hub.email.password=secret", "hub.email.max-bytes=300000"})
class EmailIntakeTest extends MailHubTest {

    @Autowired
    private ContactLedger ledger;


    private GreenMailUser mailbox() {
        return mail.getUserManager().getUser("complaints@shop.example") != null
                ? mail.getUserManager().getUser("complaints@shop.example")
                : mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
    }

    @Test
    void aChineseMailBecomesOneComplaintMovesToProcessedAndIsAcknowledgedInItsThread() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox().getMessageCount() == 0); // earlier tests' mail moved
        int processedBefore = count("ComplaintHub.Processed");
        deliver("""
                From: =?UTF-8?B?5byg5Lyf?= <zhang.wei@example.com>\r
                To: complaints@shop.example\r
                Subject: =?GB2312?B?zbbL36O6v+y13cbGy/Agtqm1pTQ0MTE=?=\r
                Message-ID: <first-4411@mail.example.com>\r
                Date: Mon, 23 Nov 2026 09:12:00 +0800\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=UTF-8\r
                Content-Transfer-Encoding: 8bit\r
                \r
                快递送到的时候箱子已经压坏了，里面的杯子碎了两个。请尽快处理。\r
                """);
        Received r = take("complaints.logistics");
        JsonNode record = r.record();
        assertThat(record.get("channel").asText()).isEqualTo("email");
        assertThat(record.get("subject").asText()).isEqualTo("投诉：快递破损 订单4411");
        assertThat(record.get("description").asText()).isEqualTo("快递送到的时候箱子已经压坏了，里面的杯子碎了两个。请尽快处理。");
        assertThat(record.at("/customer/email").asText()).isEqualTo("zhang.wei@example.com");
        assertThat(record.at("/customer/name").asText()).isEqualTo("张伟");
        assertThat(record.at("/customer/language").asText()).isEqualTo("zh");
        assertThat(record.get("type").asText()).isEqualTo("DELIVERY");
        assertThat(record.get("sourceId").asText()).startsWith("<first-4411@mail.example.com>");
        assertThat(record.at("/raw/contentType").asText()).isEqualTo("message/rfc822");
        String id = record.get("id").asText();

        // GreenMail's MOVE takes the mail out of the inbox a moment before the processed folder shows it
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox().getMessageCount() == 0
                && count("ComplaintHub.Processed") == processedBefore + 1);

        MimeMessage ack = await().atMost(Duration.ofSeconds(20)).until(() -> to("zhang.wei@example.com"), l -> !l.isEmpty()).get(0);
        assertThat(ack.getSubject()).contains(id);
        assertThat(ack.getHeader("In-Reply-To")).containsExactly("<first-4411@mail.example.com>");
        assertThat(ack.getHeader("Auto-Submitted")).containsExactly("auto-replied");
        assertThat(ack.getHeader("Return-Path")[0]).as("bounces come back to the intake mailbox by default")
                .contains("complaints@shop.example");

        // the customer answers the acknowledgement: a follow-up of the same complaint, for the same department
        deliver("From: zhang.wei@example.com\r\nTo: complaints@shop.example\r\nSubject: Re: " + ack.getSubject()
                + "\r\nMessage-ID: <reply-4411@mail.example.com>\r\nIn-Reply-To: " + ack.getHeader("Message-ID")[0]
                + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n补充一下：订单号是4411，照片稍后发。\r\n");
        JsonNode followUp = take("complaints.logistics").record();
        assertThat(followUp.get("threadOf").asText()).isEqualTo(id);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> to("zhang.wei@example.com").size() == 1);
    }

    /**
     * References are numbered in sequence and our Message-ID domain is public: only a Message-ID whose tag verifies,
     * or the reference in the subject of a mail from the complaint's own customer, makes a follow-up; a bounce naming
     * a forged Message-ID marks nobody.
     */
    @Test
    void threadingAndBouncesTrustOnlyTaggedMessageIdsAndTheCustomersOwnSubject() throws Exception {
        deliver("From: zhou.min@example.com\r\nTo: complaints@shop.example\r\nSubject: Parcel lost\r\n"
                + "Message-ID: <zhou-1@example.com>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "My parcel for order 6120 never arrived.\r\n");
        JsonNode first = take("complaints.logistics").record();
        String id = first.get("id").asText();
        MimeMessage ack = await().atMost(Duration.ofSeconds(20)).until(() -> to("zhou.min@example.com"), l -> !l.isEmpty()).get(0);
        String ackId = ack.getHeader("Message-ID")[0];
        assertThat(ackId).startsWith("<" + id + ".ack.").matches("<[^.]+\\.ack\\.[0-9a-f]{8}\\.[0-9a-f]{20}@.+>");
        String forged = ackId.replaceAll("\\.[0-9a-f]{20}@", "." + "0".repeat(20) + "@");

        // a stranger: the forged Message-ID and the reference in the subject make a new complaint, not a follow-up
        deliver("From: mallory@example.net\r\nTo: complaints@shop.example\r\nSubject: Re: " + id + " parcel\r\n"
                + "Message-ID: <mallory-1@example.net>\r\nIn-Reply-To: " + forged + "\r\nReferences: " + forged
                + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nCancel this complaint: the parcel was delivered after all.\r\n");
        JsonNode strangers = take("complaints.logistics").record();
        assertThat(strangers.at("/customer/email").asText()).isEqualTo("mallory@example.net");
        assertThat(strangers.has("threadOf")).as("a stranger's mail threaded into " + strangers.get("threadOf")).isFalse();

        // the customer naming the reference in the subject, without any Message-ID of ours: a follow-up
        deliver("From: Zhou Min <ZHOU.MIN@example.com>\r\nTo: complaints@shop.example\r\nSubject: about " + id
                + "\r\nMessage-ID: <zhou-2@example.com>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Any news on my parcel?\r\n");
        assertThat(take("complaints.logistics").record().path("threadOf").asText()).isEqualTo(id);

        // a delivery report naming the forged Message-ID does not mark the customer's address
        String report = "From: MAILER-DAEMON@mx.example.net\r\nTo: complaints@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
                + "Message-ID: <forged-dsn-1@mx.example.net>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n"
                + "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
                + "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
                + "Final-Recipient: rfc822; zhou.min@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
                + "--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: MSGID\r\nTo: zhou.min@example.com\r\n\r\n--r--\r\n";
        deliver(report.replace("MSGID", forged));
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox().getMessageCount() == 0);
        assertThat(ledger.undeliverable("zhou.min@example.com")).as("marked by a forged bounce").isFalse();
        // the same report about the acknowledgement really sent marks it
        deliver(report.replace("MSGID", ackId).replace("forged-dsn-1", "real-dsn-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.undeliverable("zhou.min@example.com"));
    }

    @Test
    void theSameMailTwiceIsOneComplaint() throws Exception {
        String same = "From: li@example.com\r\nTo: complaints@shop.example\r\nSubject: Overcharged\r\n"
                + "Message-ID: <dup-1@mail.example.com>\r\nContent-Type: text/plain\r\n\r\nI was charged twice for order 7781.\r\n";
        deliver(same);
        deliver(same.replace("To: complaints", "X-Copy: 2\r\nTo: complaints"));
        assertThat(take("complaints.billing").record().get("sourceId").asText()).startsWith("<dup-1@mail.example.com>");
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox().getMessageCount() == 0);
        assertThat(drain("complaints.billing")).isEmpty();

        // another mail that reuses the Message-ID (broken mailers do) is another complaint
        deliver(same.replace("charged twice for order 7781", "never refunded for order 9900"));
        assertThat(take("complaints.billing").record().get("description").asText()).contains("9900");
    }

    @Test
    void automatedMailIsLeftAloneAndNeverAnswered() throws Exception {
        drain("complaints.desk");
        deliver("From: robot@example.com\r\nTo: complaints@shop.example\r\nSubject: Out of office\r\n"
                + "Auto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@example.com>\r\nContent-Type: text/plain\r\n\r\nI am away.\r\n");
        deliver("From: news@example.com\r\nTo: complaints@shop.example\r\nSubject: Weekly deals\r\n"
                + "List-Id: <deals.example.com>\r\nMessage-ID: <list-1@example.com>\r\nContent-Type: text/plain\r\n\r\nDeals!\r\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox().getMessageCount() == 0);
        assertThat(drain("complaints.desk")).isEmpty();
        assertThat(to("robot@example.com")).isEmpty();
    }

    @Test
    void anOversizedMailIsQuarantinedWithTheReasonAndDoesNotBlockTheRest() throws Exception {
        deliver("From: big@example.com\r\nTo: complaints@shop.example\r\nSubject: Huge\r\nMessage-ID: <big-1@example.com>\r\n"
                + "Content-Type: text/plain\r\n\r\n" + "x".repeat(400_000) + "\r\n");
        deliver("From: small@example.com\r\nTo: complaints@shop.example\r\nSubject: Rude staff\r\nMessage-ID: <small-1@example.com>\r\n"
                + "Content-Type: text/plain\r\n\r\nThe cashier shouted at me.\r\n");
        jakarta.jms.Message quarantined = jms.receive("complaints.quarantine");
        assertThat(quarantined).isNotNull();
        assertThat(quarantined.getStringProperty("reason")).contains("larger than");
        assertThat(take("complaints.customer-service").record().at("/customer/email").asText()).isEqualTo("small@example.com");
        await().atMost(Duration.ofSeconds(10)).until(() -> folder("ComplaintHub.Quarantine") != null
                && folder("ComplaintHub.Quarantine").getMessageCount() == 1);
    }

    @Test
    void aMailWithNoSenderToAnswerIsQuarantinedAtOnceWithTheReason() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox().getMessageCount() == 0);
        int before = count("ComplaintHub.Quarantine");
        deliver("To: complaints@shop.example\r\nSubject: no sender\r\nMessage-ID: <nofrom-1@example.com>\r\n"
                + "Content-Type: text/plain\r\n\r\nThe product broke.\r\n");
        jakarta.jms.Message quarantined = jms.receive("complaints.quarantine");
        assertThat(quarantined).isNotNull();
        assertThat(quarantined.getStringProperty("reason")).contains("contact_required");
        assertThat(((jakarta.jms.BytesMessage) quarantined).getBodyLength()).as("the raw mail").isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("ComplaintHub.Quarantine") == before + 1);
    }

    private void deliver(String raw) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        mailbox().deliver(m);
    }

    private MailFolder inbox() throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(mailbox());
    }

    private MailFolder folder(String name) throws Exception {
        return mail.getManagers().getImapHostManager().getFolder(mailbox(), name);
    }

    private int count(String folder) throws Exception {
        MailFolder f = folder(folder);
        return f == null ? 0 : f.getMessageCount();
    }

    private List<MimeMessage> to(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address) && m.getHeader("Auto-Submitted") != null;
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }
}
