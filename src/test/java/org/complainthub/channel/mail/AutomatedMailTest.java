package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.complainthub.channel.mail.AutomatedMail.Kind;
import org.complainthub.channel.mail.AutomatedMail.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which incoming mail is machine-made (CHANNEL_FORMATS.md C4, C5, C7 E1-E5), fixture by fixture, and hostile mail. */
class AutomatedMailTest {

    private final AutomatedMail automated = new AutomatedMail("complaint-hub.example.com");

    @ParameterizedTest(name = "{0}: {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            autoreply-oof.eml                 | AUTO_REPLY | Auto-Submitted: auto-replied
            auto-submitted-auto-generated.eml | AUTO_REPLY | Auto-Submitted: auto-generated
            outlook-oof.eml                   | AUTO_REPLY | X-Autoreply: yes
            x-autorespond.eml                 | AUTO_REPLY | X-Autorespond
            precedence-auto-reply.eml         | AUTO_REPLY | Precedence: auto_reply
            mdn-read-receipt.eml              | AUTO_REPLY | Content-Type: multipart/report; report-type=disposition-notification
            list-bulk.eml                     | AUTO_REPLY | Auto-Submitted: auto-generated
            precedence-bulk.eml               | LIST       | Precedence: bulk
            precedence-junk.eml               | LIST       | Precedence: junk
            precedence-list.eml               | LIST       | Precedence: list
            list-id.eml                       | LIST       | List-Id
            list-unsubscribe.eml              | LIST       | List-Unsubscribe
            dsn-bounce-of-ack.eml             | BOUNCE     | Content-Type: multipart/report; report-type=delivery-status
            dsn-message-rfc822.eml            | BOUNCE     | Content-Type: multipart/report; report-type=delivery-status
            dsn-delayed.eml                   | BOUNCE     | Content-Type: multipart/report; report-type=delivery-status
            x-failed-recipients.eml           | BOUNCE     | X-Failed-Recipients
            mailer-daemon-plain.eml           | BOUNCE     | From: mailer-daemon
            postmaster-sender.eml             | BOUNCE     | From: postmaster
            null-return-path.eml              | BOUNCE     | Return-Path: <>
            """)
    void machineMadeMailIsRecognisedAndTheReasonSaysWhatDecided(String fixture, Kind kind, String reason) {
        assertThat(automated.classify(Eml.fixture(fixture))).contains(new Verdict(kind, reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer-complaint.eml", "customer-reply-to-ack.eml", "auto-submitted-no.eml",
            "suppress-auto-response.eml"})
    void mailAPersonWroteIsNotFlagged(String fixture) {
        assertThat(automated.classify(Eml.fixture(fixture))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"suppress-auto-response.eml, true", "outlook-oof.eml, true", "autoreply-oof.eml, true",
            "customer-complaint.eml, false", "auto-submitted-no.eml, false"})
    void xAutoResponseSuppressAsksForNoAcknowledgement(String fixture, boolean suppressed) {
        assertThat(automated.suppressesAutoResponse(Eml.fixture(fixture))).isEqualTo(suppressed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DR, OOF, AutoReply | true
            All                | true
            -1                 | true
            32                 | true
            48                 | true
            DR, NDR            | false
            16                 | false
            None               | false
            0                  | false
            """)
    void suppressionValuesAndBitmask(String value, boolean suppressed) {
        assertThat(automated.suppressesAutoResponse(mail("X-Auto-Response-Suppress: " + value))).isEqualTo(suppressed);
    }

    @Test
    void ourOwnMailComingBackIsAnAutoReplyByItsLoopMarker() {
        assertThat(automated.classify(mail("X-Loop: Complaint-Hub.example.com")))
                .contains(new Verdict(Kind.AUTO_REPLY, "X-Loop: own marker"));
        assertThat(automated.classify(mail("X-Loop: other.example"))).isEmpty();
        assertThat(new AutomatedMail().classify(mail("X-Loop: complaint-hub.example.com"))).isEmpty();
    }

    @Test
    void aBounceMarkedAutoRepliedIsStillABounce() {
        // Postfix and Exim put Auto-Submitted: auto-replied on their bounces; the bounce must reach Bounces
        assertThat(automated.classify(Eml.fixture("dsn-bounce-of-ack.eml"))).map(Verdict::kind).contains(Kind.BOUNCE);
        assertThat(automated.classify(Eml.fixture("x-failed-recipients.eml"))).map(Verdict::kind).contains(Kind.BOUNCE);
    }

    @Test
    void anAutoReplyWithANullReversePathIsAnAutoReplyNotABounce() {
        assertThat(automated.classify(Eml.fixture("autoreply-oof.eml"))).map(Verdict::kind).contains(Kind.AUTO_REPLY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            auto-replied (vacation); owner-email="wang.fang@example.cn" | Auto-Submitted: auto-replied
            AUTO-NOTIFIED                                               | Auto-Submitted: auto-notified
            wang.fang@example.cn                                        | Auto-Submitted: other
            =?UTF-8?Q?auto-replied?=                                    | Auto-Submitted: other
            """)
    void theReasonComesFromAFixedVocabularyAndNeverHoldsAnAddress(String value, String reason) {
        Optional<Verdict> verdict = automated.classify(mail("Auto-Submitted: " + value));
        assertThat(verdict).contains(new Verdict(Kind.AUTO_REPLY, reason));
        assertThat(verdict.get().reason()).doesNotContain("@");
    }

    @Test
    void anyAutoSubmittedOtherThanNoCounts() {
        // a second header cannot be cancelled by a first "no"
        assertThat(automated.classify(mail("Auto-Submitted: no\nAuto-Submitted: auto-replied")))
                .contains(new Verdict(Kind.AUTO_REPLY, "Auto-Submitted: auto-replied"));
        assertThat(automated.classify(mail("Auto-Submitted: no (a person wrote this)"))).isEmpty();
    }

    @Test
    void headerTextSmuggledIntoAnotherHeaderOrTheBodyDecidesNothing() {
        // an encoded CR LF in the subject decodes to a line break, but it is still the subject
        assertThat(automated.classify(mail("Subject: =?UTF-8?Q?x=0D=0AAuto-Submitted:_auto-replied=0D=0APrecedence:_bulk?="))).isEmpty();
        // a folded continuation line belongs to the header above it
        assertThat(automated.classify(mail("X-Note: hello\n Auto-Submitted: auto-replied\n List-Id: <x.example>"))).isEmpty();
        // a complaint quoting a bounce in its body
        assertThat(automated.classify(Eml.text("""
                From: Wang Fang <wang.fang@example.cn>
                To: complaints@example.com
                Subject: your mail bounced
                Content-Type: text/plain

                Auto-Submitted: auto-replied
                X-Failed-Recipients: wang.fang@example.cn
                Content-Type: multipart/report; report-type=delivery-status
                """))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"MAILER-DAEMON@mx.example\" <wang.fang@example.cn>", "=?UTF-8?Q?postmaster?= <wang.fang@example.cn>",
            "postmaster.wang <wang.fang@example.cn>", "<mailer-daemon.fan@example.cn>", "<<<>>>@@@", ""})
    void aDaemonInTheDisplayNameOrAMalformedFromIsNoBounce(String from) {
        assertThat(automated.classify(mail("From: " + from))).isEmpty();
    }

    @Test
    void aReturnPathLowerDownCameWithTheMailAndDoesNotCount() {
        assertThat(automated.classify(Eml.text("""
                Return-Path: <wang.fang@example.cn>
                Return-Path: <>
                From: Wang Fang <wang.fang@example.cn>
                Subject: complaint

                text
                """))).isEmpty();
    }

    @Test
    void aHugeHeaderIsReadQuickly() {
        String huge = "a".repeat(2_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(automated.classify(mail("Subject: " + huge))).isEmpty();
            assertThat(automated.classify(mail("Auto-Submitted: " + huge)))
                    .contains(new Verdict(Kind.AUTO_REPLY, "Auto-Submitted: other"));
            assertThat(automated.classify(mail("From: " + "(".repeat(500_000) + "<x@example.cn>"))).isEmpty();
            // cut to 4096 characters the quoted value is unterminated: no report, and no exception
            assertThat(automated.classify(mail("Content-Type: multipart/report; report-type=\"" + huge + "\""))).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type: multipart/report; report-type", "Content-Type: ;;;", "Content-Type: multipart/",
            "Content-Type: multipart/report; boundary=\"unterminated"})
    void aMalformedContentTypeDoesNotThrow(String header) {
        assertThat(automated.classify(mail(header))).isNotNull();
    }

    @Test
    void everyFixtureIsOnTheWireWithCrlfLineEnds() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(getClass().getResource("/email/automated").toURI());
        try (var files = java.nio.file.Files.list(dir)) {
            List<java.nio.file.Path> emls = files.filter(f -> f.toString().endsWith(".eml")).toList();
            assertThat(emls).hasSizeGreaterThanOrEqualTo(23);
            for (java.nio.file.Path f : emls) {
                String text = java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(text.replace("\r\n", "")).as(f.getFileName().toString()).doesNotContain("\n").doesNotContain("\r");
            }
        }
    }

    /** A minimal mail from a person with the given extra header lines. */
    private static jakarta.mail.internet.MimeMessage mail(String headers) {
        return Eml.text(headers + "\nFrom: Wang Fang <wang.fang@example.cn>\nTo: complaints@example.com\n"
                + "Subject: complaint\nMessage-ID: <m1@example.cn>\n\nThe washing machine broke.\n");
    }
}
