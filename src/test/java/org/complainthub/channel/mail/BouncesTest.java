package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a bounce says (CHANNEL_FORMATS.md C5, C7 E3, E8): who failed, and which of our mails bounced. */
class BouncesTest {

    static final String ACK_ID = "<C-20261123-000417.ack.1a2b3c4d@complaint-hub.example.com>";
    static final String HUB_DOMAIN = "complaint-hub.example.com";

    private final Bounces bounces = new Bounces();

    @Test
    void aDeliveryStatusReportOfOurAcknowledgement() {
        BounceReport report = bounces.parse(Eml.fixture("dsn-bounce-of-ack.eml"));
        assertThat(report.failedRecipients()).containsExactly("wang.fang@example.cn");
        assertThat(report.originalMessageId()).contains(ACK_ID);
        assertThat(report.aboutMailFrom(HUB_DOMAIN)).isTrue();
        assertThat(report.aboutMailFrom("Complaint-Hub.Example.com ")).isTrue();
        assertThat(report.aboutMailFrom("example.com")).isFalse();
    }

    @Test
    void theOriginalRecipientIsTheAddressWeSentToDecodedFromXtext() {
        // forwarded to wf1988@mail.example.net, which failed; we wrote to wang.fang+shop@example.cn
        BounceReport report = bounces.parse(Eml.fixture("dsn-message-rfc822.eml"));
        assertThat(report.failedRecipients()).containsExactly("wang.fang+shop@example.cn");
        assertThat(report.originalMessageId()).contains(ACK_ID);
    }

    @Test
    void aDelayIsNoFailure() {
        BounceReport report = bounces.parse(Eml.fixture("dsn-delayed.eml"));
        assertThat(report.failedRecipients()).isEmpty();
        assertThat(report.originalMessageId()).contains(ACK_ID);
    }

    @Test
    void xFailedRecipientsWhenThereIsNoReportAndTheMessageIdFromTheCopyInTheText() {
        BounceReport report = bounces.parse(Eml.fixture("x-failed-recipients.eml"));
        assertThat(report.failedRecipients()).containsExactly("wang.fang@example.cn", "Zhao.Min@Example.NET");
        assertThat(report.originalMessageId()).contains(ACK_ID);
        assertThat(report.aboutMailFrom(HUB_DOMAIN)).isTrue();
    }

    @Test
    void aPlainBounceFromMailerDaemonIsTiedByInReplyTo() {
        BounceReport report = bounces.parse(Eml.fixture("mailer-daemon-plain.eml"));
        assertThat(report.failedRecipients()).isEmpty();
        assertThat(report.originalMessageId()).contains(ACK_ID);
    }

    @Test
    void aPostmasterNoticeWithTheOriginalAttached() {
        BounceReport report = bounces.parse(Eml.fixture("postmaster-sender.eml"));
        assertThat(report.failedRecipients()).isEmpty();
        assertThat(report.originalMessageId()).contains(ACK_ID);
    }

    @Test
    void aBounceWithOnlyANullReversePathAndTheOriginalHeadersInItsText() {
        BounceReport report = bounces.parse(Eml.fixture("null-return-path.eml"));
        assertThat(report.failedRecipients()).isEmpty();
        assertThat(report.originalMessageId()).contains(ACK_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer-complaint.eml", "list-bulk.eml", "auto-submitted-auto-generated.eml", "mdn-read-receipt.eml"})
    void mailThatIsNoBounceSaysNothing(String fixture) {
        assertThat(bounces.parse(Eml.fixture(fixture)).failedRecipients()).isEmpty();
    }

    @Test
    void aBounceAboutSomebodyElsesMailIsNotOurs() {
        BounceReport report = bounces.parse(dsn("rfc822; li.lei@example.org", "failed", "<x-1@other.example>"));
        assertThat(report.failedRecipients()).containsExactly("li.lei@example.org");
        assertThat(report.aboutMailFrom(HUB_DOMAIN)).isFalse();
    }

    @Test
    void recipientFieldsThatAreNoAddressAreSkipped() {
        for (String field : List.of("rfc822; not an address", "rfc822;", "x400; C=CN;ADMD=x;", "wang.fang@example.cn",
                "rfc822; wang.fang@example.cn\u0000Bcc: attacker@evil.example", "rfc822; <>",
                "rfc822; " + "a".repeat(100) + "@example.cn", "rfc822; a@b@example.cn")) {
            assertThat(bounces.parse(dsn(field, "failed", ACK_ID)).failedRecipients()).as(field).isEmpty();
        }
    }

    @Test
    void aFoldedLineInTheReportIsPartOfItsFieldNotANewOne() {
        // "Action: failed" on a continuation line of Diagnostic-Code must not turn a delayed recipient into a failed one
        BounceReport report = bounces.parse(dsn("rfc822; wang.fang@example.cn", "delayed\nDiagnostic-Code: smtp; 450 try later\n Action: failed", ACK_ID));
        assertThat(report.failedRecipients()).isEmpty();
    }

    @Test
    void xFailedRecipientsWithInjectedTextKeepsOnlyAddresses() {
        MimeMessage m = Eml.text("""
                Return-Path: <>
                From: Mail Delivery System <Mailer-Daemon@mx.example.net>
                X-Failed-Recipients: not an address, <>, <wang.fang@example.cn>, =?UTF-8?Q?x=0D=0ABcc:_attacker@evil.example?=
                Subject: Mail delivery failed

                text
                """);
        assertThat(bounces.parse(m).failedRecipients()).containsExactly("wang.fang@example.cn");
    }

    @Test
    void aMalformedMessageIdInTheReturnedHeadersFallsBackToInReplyTo() {
        MimeMessage m = Eml.text("""
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.com
                In-Reply-To: garbage %s trailing
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/rfc822-headers

                Message-ID: no-brackets@complaint-hub.example.com
                --B--
                """.formatted(ACK_ID));
        assertThat(bounces.parse(m).originalMessageId()).contains(ACK_ID);
    }

    @Test
    void theLastReferenceWhenThereIsNoInReplyTo() {
        MimeMessage m = Eml.text("""
                From: MAILER-DAEMON@mx.example.com
                References: <orig-4411@mail.example.cn>
                 %s
                Subject: failure notice

                text
                """.formatted(ACK_ID));
        assertThat(bounces.parse(m).originalMessageId()).contains(ACK_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // only the human-readable part
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nfailed\n--B--\n",
            // no closing boundary
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n",
            // no boundary parameter
            "Content-Type: multipart/report; report-type=delivery-status\n\nFinal-Recipient: rfc822; wang.fang@example.cn\nAction: failed\n",
            // the boundary never appears
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"nowhere\"\n\njust text\n",
            // base64 with characters base64 does not have
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!%%%***\n--B--\n",
            // an unknown transfer encoding
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: text/rfc822-headers\nContent-Transfer-Encoding: x-unknown\n\nMessage-ID: <a@b>\n--B--\n",
            // an unparsable Content-Type
            "Content-Type: multipart/report; ;;; boundary\n\n--B\n",
            // nothing at all
            "\n"})
    void aMalformedReportGivesAnEmptyReportAndNoException(String mail) {
        BounceReport report = bounces.parse(Eml.text("Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.com\n" + mail));
        assertThat(report.failedRecipients()).isEmpty();
        assertThat(report.originalMessageId()).isEmpty();
    }

    @Test
    void aBase64DeliveryStatusIsDecoded() {
        String status = java.util.Base64.getMimeEncoder().encodeToString(
                "Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; wang.fang@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n".getBytes());
        MimeMessage m = Eml.text("""
                From: MAILER-DAEMON@mx.example.com
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: message/delivery-status
                Content-Transfer-Encoding: base64

                %s
                --B--
                """.formatted(status));
        assertThat(bounces.parse(m).failedRecipients()).containsExactly("wang.fang@example.cn");
    }

    @Test
    void aHugeOrDeepReportIsReadWithinBounds() {
        StringBuilder status = new StringBuilder("Reporting-MTA: dns; x\n");
        for (int i = 0; i < 20_000; i++) {
            status.append("\nFinal-Recipient: rfc822; user").append(i).append("@example.cn\nAction: failed\n");
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            deep.append("Content-Type: multipart/mixed; boundary=\"L").append(i).append("\"\n\n--L").append(i).append("\n");
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            BounceReport many = bounces.parse(dsn("rfc822; wang.fang@example.cn", "failed\n" + status, ACK_ID));
            assertThat(many.failedRecipients()).hasSize(Bounces.MAX_RECIPIENTS).startsWith("wang.fang@example.cn");
            assertThat(bounces.parse(Eml.text("From: MAILER-DAEMON@x.example\n" + deep + "\ntext\n"))).isNotNull();
            assertThat(bounces.parse(Eml.text("From: MAILER-DAEMON@x.example\nX-Failed-Recipients: "
                    + "wang.fang@example.cn, ".repeat(200_000) + "\n\ntext\n")).failedRecipients()).containsExactly("wang.fang@example.cn");
        });
    }

    @Test
    void aReportWithOnlyAMessageIdIsNotEmpty() {
        assertThat(BounceReport.empty().isEmpty()).isTrue();
        assertThat(new BounceReport(List.of(), Optional.of(ACK_ID)).isEmpty()).isFalse();
    }

    /** A DSN with one recipient block: the given Final-Recipient field and Action (raw lines may follow it). */
    private static MimeMessage dsn(String finalRecipient, String action, String originalMessageId) {
        return Eml.text("""
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.com
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.com

                Final-Recipient: %s
                Action: %s

                --B
                Content-Type: text/rfc822-headers

                Message-ID: %s
                From: Customer Service <service@example.com>

                --B--
                """.formatted(finalRecipient, action, originalMessageId));
    }
}
