package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fixtures in src/test/resources/email are written byte-exact by make_fixtures.py from CHANNEL_FORMATS part C;
 * each test asserts what a service-desk agent would read: subject, sender, text, attachments.
 */
class MailDecoderTest {

    private static final long MAX = 10 * 1024 * 1024;
    private final MailDecoder decoder = new MailDecoder();

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = MailDecoderTest.class.getResourceAsStream("/email/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private DecodedMail decode(String name) throws Exception {
        return decoder.decode(fixture(name), MAX);
    }

    private DecodedMail decodeText(String crlfMail) throws Exception {
        return decoder.decode(crlfMail.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), MAX);
    }

    // ---- C1 encoded-words ---------------------------------------------------------------------------------------

    @Test
    void gb2312Base64SubjectAndGb2312Body() throws Exception {
        DecodedMail m = decode("gb2312_b_subject.eml");
        assertThat(m.subject()).isEqualTo("投诉：快递破损 订单4411");
        assertThat(m.fromAddress()).isEqualTo("wang.fang@example.cn");
        assertThat(m.fromName()).isEqualTo("Wang Fang");
        assertThat(m.text()).isEqualTo("快递盒子压坏了，里面的杯子碎了。\n订单号 4411。");
        assertThat(m.messageId()).isEqualTo("<gb2312-b-4411@mail.example.cn>");
        assertThat(m.messageIdSynthesised()).isFalse();
        assertThat(m.date()).isEqualTo(OffsetDateTime.parse("2024-06-10T11:14:58+08:00"));
        assertThat(m.attachments()).isEmpty();
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void utf8QSubjectAndQuotedPrintableBodyWithSoftBreaksAndEuro() throws Exception {
        DecodedMail m = decode("utf8_q_subject_qp_body.eml");
        assertThat(m.subject()).isEqualTo("Beschwerde: Lieferung beschädigt – Bestellung 4411");
        assertThat(m.fromAddress()).isEqualTo("juergen.mueller@example.de");
        assertThat(m.fromName()).isEqualTo("Jürgen Müller");
        assertThat(m.text()).isEqualTo("""
                Sehr geehrte Damen und Herren,
                die Lieferung zur Bestellung 4411 kam beschädigt an. Der Karton war eingedrückt und die Vase \
                zerbrochen. Ich bitte um Erstattung von 49,90 € oder um Ersatz.
                Mit freundlichen Grüßen
                Jürgen Müller""");
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void big5FoldedEncodedWordsJoinWithoutSpaceAnd8bitBig5Body() throws Exception {
        DecodedMail m = decode("big5_8bit_split_encoded_words.eml");
        assertThat(m.subject()).isEqualTo("我要投訴：退款未到帳");
        assertThat(m.fromName()).isEqualTo("陳大文");
        assertThat(m.fromAddress()).isEqualTo("chan.taiman@example.hk");
        assertThat(m.text()).isEqualTo("我要投訴：退款未到帳，已經等了兩個星期。\n訂單編號 4411");
    }

    @Test
    void lowerCaseCharsetEncodingAndHeaderNames() throws Exception {
        DecodedMail m = decode("lowercase_charset_encoding.eml");
        assertThat(m.subject()).isEqualTo("réclamation commande 4411");
        assertThat(m.fromName()).isEqualTo("Claire Martin");
        assertThat(m.fromAddress()).isEqualTo("claire.martin@example.fr");
        assertThat(m.text()).isEqualTo("Le colis est arrivé abîmé.");
        assertThat(m.messageId()).isEqualTo("<lower-4411@mail.example.fr>");
        assertThat(m.date()).isEqualTo(OffsetDateTime.parse("2024-06-11T09:02:11+02:00"));
    }

    @Test
    void utf8AliasInSubjectAndBodyCharset() throws Exception {
        DecodedMail m = decode("utf8_alias.eml");
        assertThat(m.subject()).isEqualTo("投诉");
        assertThat(m.text()).isEqualTo("包裹丢了。");
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void encodedWordsSplitInsideAUtf8CharacterAreJoinedAtTheByteLevel() throws Exception {
        DecodedMail m = decode("utf8_split_character.eml");
        assertThat(m.subject()).isEqualTo("投诉").doesNotContain("\uFFFD");
        assertThat(m.text()).isEqualTo("快递员态度很差。");
    }

    @Test
    void encodedWordRules() {
        // whitespace between an encoded-word and ordinary text is kept, between two words dropped
        assertThat(EncodedWords.decode("=?UTF-8?Q?a?= b =?UTF-8?Q?c?=  =?UTF-8?Q?d?=")).isEqualTo("a b cd");
        // different charsets are decoded separately
        assertThat(EncodedWords.decode("=?GB2312?B?zbbL3w==?= =?Big5?B?p9qtbg==?=")).isEqualTo("投诉我要");
        // an undecodable word is left as it was
        assertThat(EncodedWords.decode("=?UTF-8?B?***?= ok")).isEqualTo("=?UTF-8?B?***?= ok");
        // RFC 2231 language suffix
        assertThat(EncodedWords.decode("=?UTF-8*zh?B?5oqV6K+J?=")).isEqualTo("投诉");
    }

    // ---- C2 Chinese charsets ------------------------------------------------------------------------------------

    @Test
    void gb2312LabelWithGbkOnlyCharacterIsDecodedAsGb18030() throws Exception {
        DecodedMail m = decode("gb2312_mislabelled_gbk.eml");
        assertThat(m.subject()).isEqualTo("货物破损");
        assertThat(m.text()).isEqualTo("您好，我叫朱镕，订单4411的货物破损。").contains("我叫朱镕");
    }

    @Test
    void gb18030FourByteCharacterInSubjectFromNameAndBody() throws Exception {
        DecodedMail m = decode("gb18030_4byte.eml");
        assertThat(m.subject()).isEqualTo("𠮷野家外卖投诉");
        assertThat(m.fromName()).isEqualTo("𠮷田");
        assertThat(m.fromAddress()).isEqualTo("yoshida@example.cn");
        assertThat(m.text()).isEqualTo("𠮷野家的外卖洒了一半。");
        assertThat(m.text().codePointAt(0)).isEqualTo(0x20BB7);
    }

    @Test
    void noCharsetWith8bitBytesIsStrictUtf8ElseGb18030() throws Exception {
        DecodedMail utf8 = decode("no_charset_8bit_utf8.eml");
        assertThat(utf8.text()).isEqualTo("退货申请被拒绝了。");
        DecodedMail gb = decode("no_charset_8bit_gb18030.eml");
        assertThat(gb.text()).isEqualTo("退货申请被拒绝了。");
        assertThat(gb.subject()).isEqualTo("No charset (GB18030 bytes)");
    }

    @Test
    void charsetAliasesFollowTheChineseRules() {
        for (String label : List.of("gb2312", "GBK", "x-gbk", "cp936", "EUC-CN", "\"gb2312\"", "gb18030")) {
            assertThat(MailCharsets.forLabel(label)).as(label).contains(MailCharsets.GB18030);
        }
        for (String label : List.of("big5", "Big5-HKSCS", "cp950", "x-windows-950")) {
            assertThat(MailCharsets.forLabel(label)).as(label).contains(MailCharsets.BIG5_HKSCS);
        }
        assertThat(MailCharsets.forLabel("UTF8")).contains(StandardCharsets.UTF_8);
        assertThat(MailCharsets.forLabel("us-ascii")).isEmpty();
        assertThat(MailCharsets.forLabel("x-unknown")).isEmpty();
        assertThat(MailCharsets.isKnown("x-unknown")).isFalse();
    }

    // ---- C3 structures ------------------------------------------------------------------------------------------

    @Test
    void htmlOnlyBecomesCleanTextWithoutScriptsStylesOrTrackingImages() throws Exception {
        DecodedMail m = decode("html_only.eml");
        assertThat(m.subject()).isEqualTo("Damaged parcel");
        assertThat(m.fromName()).isEqualTo("Li, Ming");
        assertThat(m.fromAddress()).isEqualTo("li.ming@example.com");
        assertThat(m.text()).isEqualTo("""
                Hello,

                my parcel (order 4411) arrived crushed.
                Photos: album <https://photos.example.com/4411>

                - box torn
                - vase broken

                click me""");
        assertThat(m.text()).doesNotContain("script", "document", "track.example.net", "javascript", "color",
                "Ignored title");
        assertThat(m.attachments()).isEmpty();
    }

    @Test
    void multipartAlternativePrefersTextPlain() throws Exception {
        DecodedMail m = decode("multipart_alternative.eml");
        assertThat(m.text()).isEqualTo("The refund for order 4411 has not arrived.");
        assertThat(m.attachments()).isEmpty();
    }

    @Test
    void multipartMixedNamesByRfc2231AndRfc2047InQuotesPreambleIgnored() throws Exception {
        DecodedMail m = decode("multipart_mixed_attachment.eml");
        assertThat(m.subject()).isEqualTo("投诉单");
        assertThat(m.text()).isEqualTo("投诉单见附件。");
        assertThat(m.attachments())
                .extracting(MailAttachment::fileName, MailAttachment::contentType, MailAttachment::sha256,
                        MailAttachment::inline, MailAttachment::contentId)
                .containsExactly(
                        tuple("投诉单-4411.pdf", "application/pdf",
                                "955af981ce82105e0eb59b8d4fab96d2381803a62cc97ea3c8309c4ce2204b88", false, null),
                        tuple("投诉单-4411.pdf", "application/pdf",
                                "4f111bd56f336be0c07717f4780d59e9e7ac6b9a2996b77c0589587a46636410", false, null));
        assertThat(m.attachments().get(0).content()).startsWith("%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void inlineImageOfMultipartRelatedKeepsItsContentIdAndIsCountedOnce() throws Exception {
        DecodedMail m = decode("inline_image_related.eml");
        assertThat(m.text()).isEqualTo("See the photo of the damaged box.");
        assertThat(m.attachments())
                .extracting(MailAttachment::fileName, MailAttachment::contentType, MailAttachment::sha256,
                        MailAttachment::inline, MailAttachment::contentId)
                .containsExactly(tuple("damage.png", "image/png",
                        "c414cd0e204de974f73753c7e28d7638e7b3691bb8b1a2bab6b25bb7fed7ce77", true,
                        "damage.4411@example.com"));
    }

    @Test
    void winmailDatStubIsKeptAsAnOpaqueAttachment() throws Exception {
        DecodedMail m = decode("tnef_winmail_stub.eml");
        assertThat(m.text()).isEqualTo("Please see the attached complaint.");
        assertThat(m.attachments())
                .extracting(MailAttachment::fileName, MailAttachment::contentType, MailAttachment::sha256,
                        MailAttachment::inline, MailAttachment::size, MailAttachment::isTnef)
                .containsExactly(tuple("winmail.dat", "application/ms-tnef",
                        "a397b0a249067c19749f79fc8f8a92dffdaa6a633e8796f10e743bdc2ec18e43", false, 6, true));
    }

    @Test
    void forwardAsAttachmentKeepsRawBytesAndAppendsTheOriginalText() throws Exception {
        DecodedMail m = decode("forward_as_attachment.eml");
        assertThat(m.fromAddress()).isEqualTo("service@shop.example");
        assertThat(m.text()).isEqualTo("""
                Forwarding a customer's complaint.

                ---------- Forwarded message ----------
                From: 张伟 <zhang.wei@example.cn>
                Date: Sun, 9 Jun 2024 20:01:00 +0800
                Subject: 订单4411少发了一件

                我买了两件，只收到一件。""");
        assertThat(m.attachments())
                .extracting(MailAttachment::fileName, MailAttachment::contentType, MailAttachment::sha256,
                        MailAttachment::inline)
                .containsExactly(tuple("forwarded.eml", "message/rfc822",
                        "4cff16ff77d40b4cf8c2e76ae12a725e3eb4467c48d09a6e3850f252fc7f68b4", false));
        assertThat(m.forwarded()).singleElement().satisfies(original -> {
            assertThat(original.messageId()).isEqualTo("<orig-4411@mail.example.cn>");
            assertThat(original.fromAddress()).isEqualTo("zhang.wei@example.cn");
            assertThat(original.fromName()).isEqualTo("张伟");
            assertThat(original.subject()).isEqualTo("订单4411少发了一件");
        });
    }

    // ---- C6 threading -------------------------------------------------------------------------------------------

    @Test
    void missingMessageIdIsSynthesisedFromTheRawBytesStably() throws Exception {
        byte[] raw = fixture("no_message_id.eml");
        DecodedMail m = decoder.decode(raw, MAX);
        String expected = "<" + MailDecoder.sha256Hex(raw) + "@no-message-id.complaint-hub>";
        assertThat(m.messageId()).isEqualTo(expected).isEqualTo(MailDecoder.syntheticMessageId(raw));
        assertThat(m.messageIdSynthesised()).isTrue();
        assertThat(m.fromAddress()).isEqualTo("li.ming@example.com");
        assertThat(m.fromName()).isNull();
        assertThat(m.text()).isEqualTo("My mailer sends no Message-ID.");
        // fetched again, or stored with LF line ends: the same id
        assertThat(decoder.decode(raw.clone(), MAX).messageId()).isEqualTo(expected);
        byte[] lf = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(decoder.decode(lf, MAX).messageId()).isEqualTo(expected);
        // any other byte: another id
        raw[raw.length - 3] = '!';
        assertThat(decoder.decode(raw, MAX).messageId()).isNotEqualTo(expected);
    }

    @Test
    void threadedReplyCarriesInReplyToAndFoldedReferences() throws Exception {
        DecodedMail m = decode("reply_threaded.eml");
        assertThat(m.subject()).isEqualTo("Re: [Ticket #4411] We have received your complaint");
        assertThat(m.inReplyTo()).isEqualTo("<ticket-4411-ack@acme.example>");
        assertThat(m.references()).containsExactly("<orig-4411@mail.example.com>", "<ticket-4411-ack@acme.example>");
        assertThat(m.text()).isEqualTo("Any news?\n\n> Your complaint has been registered.");
        assertThat(m.header("return-path")).isEqualTo("<wang.fang@example.cn>");
        assertThat(m.headers().get("REFERENCES"))
                .containsExactly("<orig-4411@mail.example.com> <ticket-4411-ack@acme.example>");
    }

    @Test
    void messageIdWithoutBracketsIsWrapped() throws Exception {
        DecodedMail m = decodeText("From: a@example.com\nMessage-ID: abc.123@example.com\nIn-Reply-To: x@example.com\n"
                + "\nhi\n");
        assertThat(m.messageId()).isEqualTo("<abc.123@example.com>");
        assertThat(m.inReplyTo()).isEqualTo("<x@example.com>");
    }

    // ---- limits and hostile input (C7) --------------------------------------------------------------------------

    @Test
    void mailOverTheSizeLimitIsRefusedBeforeParsing() throws Exception {
        byte[] raw = fixture("multipart_mixed_attachment.eml");
        assertThatThrownBy(() -> decoder.decode(raw, raw.length - 1))
                .isInstanceOf(MailTooLargeException.class)
                .hasMessage("mail of " + raw.length + " bytes exceeds the limit of " + (raw.length - 1) + " bytes");
        assertThat(decoder.decode(raw, raw.length).attachments()).hasSize(2);
        // refused by size alone: bytes that are not even a mail
        assertThatThrownBy(() -> decoder.decode(new byte[100], 99)).isInstanceOf(MailTooLargeException.class);
    }

    @Test
    void emptyOrNonMailInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> decoder.decode(new byte[0], MAX))
                .isInstanceOf(MailDecodingException.class).hasMessage("empty mail");
        assertThatThrownBy(() -> decoder.decode(null, MAX))
                .isInstanceOf(MailDecodingException.class).hasMessage("empty mail");
        byte[] garbage = new byte[4096];
        new java.util.Random(4411).nextBytes(garbage);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> decoder.decode(garbage, MAX))
                        .isInstanceOf(MailDecodingException.class)
                        .hasMessage("no header fields found: not a mail"));
        assertThatThrownBy(() -> decodeText("just some text\nwithout any header\n"))
                .isInstanceOf(MailDecodingException.class)
                .hasMessage("no header fields found: not a mail");
    }

    @Test
    void hugeHeaderIsRefused() {
        String mail = "From: a@example.com\nSubject: " + "x".repeat(300 * 1024) + "\n\nbody\n";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> decodeText(mail))
                        .isInstanceOf(MailDecodingException.class)
                        .hasMessageContaining("header block of").hasMessageContaining("exceeds the limit"));
    }

    @Test
    void pathologicalEncodedWordsWithinTheHeaderLimitDecodeQuickly() {
        String mail = "From: a@example.com\nSubject: " + "=?".repeat(60_000) + " " + "=?UTF-8?Q?a?= ".repeat(10_000)
                + "\n\nbody\n";
        DecodedMail m = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> decodeText(mail));
        assertThat(m.subject()).startsWith("=?=?").endsWith("aaaa");
    }

    @Test
    void deeplyNestedMultipartsAreRefused() {
        StringBuilder mail = new StringBuilder("From: a@example.com\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (int i = 1; i <= 50; i++) {
            mail.append("--b").append(i - 1).append("\nContent-Type: multipart/mixed; boundary=\"b").append(i)
                    .append("\"\n\n");
        }
        mail.append("--b50\nContent-Type: text/plain\n\ndeep\n");
        for (int i = 50; i >= 0; i--) {
            mail.append("--b").append(i).append("--\n");
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> decodeText(mail.toString()))
                        .isInstanceOf(MailDecodingException.class)
                        .hasMessage("multiparts nested deeper than 20"));
    }

    @Test
    void forwardsNested50DeepAreDecodedThreeLevelsAndKeptAsAttachments() throws Exception {
        String mail = "From: level50@example.com\nSubject: level 50\n\ninnermost text\n";
        for (int i = 49; i >= 0; i--) {
            mail = "From: level" + i + "@example.com\nSubject: level " + i + "\nContent-Type: message/rfc822\n\n"
                    + mail;
        }
        String top = mail;
        DecodedMail m = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> decodeText(top));
        assertThat(m.subject()).isEqualTo("level 0");
        DecodedMail level = m;
        for (int depth = 1; depth <= 3; depth++) {
            assertThat(level.attachments()).singleElement().extracting(MailAttachment::fileName)
                    .isEqualTo("forwarded.eml");
            level = level.forwarded().get(0);
            assertThat(level.subject()).isEqualTo("level " + depth);
        }
        assertThat(level.forwarded()).isEmpty();
        assertThat(level.attachments()).singleElement().extracting(MailAttachment::contentType)
                .isEqualTo("message/rfc822");
        assertThat(m.warnings()).contains("forwarded: forwarded: forwarded: forwarded message nested deeper than 3 "
                + "not decoded");
        assertThat(m.text()).contains("Subject: level 3").doesNotContain("level 4", "innermost");
    }

    @Test
    void tooManyPartsAreRefused() {
        StringBuilder mail = new StringBuilder("From: a@example.com\nContent-Type: multipart/mixed; boundary=\"b\"\n\n");
        for (int i = 0; i < 500; i++) {
            mail.append("--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"f")
                    .append(i).append(".bin\"\n\nx\n");
        }
        mail.append("--b--\n");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> decodeText(mail.toString()))
                        .isInstanceOf(MailDecodingException.class)
                        .hasMessage("more than 200 MIME parts"));
    }

    @Test
    void badBase64IsRepairedBestEffortWithAWarning() throws Exception {
        DecodedMail m = decodeText("""
                From: a@example.com
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: base64

                5oqV!!6K+J*5Y2V
                L
                """);
        assertThat(m.text()).isEqualTo("投诉单");
        assertThat(m.warnings()).containsExactly("invalid base64 repaired (characters skipped)");
    }

    @Test
    void base64LineLongerThan998CharactersDecodes() throws Exception {
        byte[] blob = new byte[30_000];
        new java.util.Random(1).nextBytes(blob);
        String b64 = java.util.Base64.getEncoder().encodeToString(blob);
        DecodedMail m = decodeText("From: a@example.com\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
                + "Content-Type: text/plain\n\nsee attachment\n--b\nContent-Type: application/octet-stream; "
                + "name=\"blob.bin\"\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n--b--\n");
        assertThat(m.attachments()).singleElement().satisfies(a -> assertThat(a.content()).isEqualTo(blob));
    }

    @Test
    void missingClosingBoundaryAndUnknownCharsetGiveBestEffortText() throws Exception {
        DecodedMail m = decodeText("""
                From: a@example.com
                Content-Type: multipart/mixed; boundary="b"

                --b
                Content-Type: text/plain; charset=x-unknown

                réclamation
                """);
        assertThat(m.text()).isEqualTo("réclamation");
        assertThat(m.warnings()).containsExactlyInAnyOrder("multipart/mixed has no closing boundary",
                "unknown charset x-unknown, decoded as UTF-8 or else GB18030");
    }

    @Test
    void malformedHeaderFieldsGiveBestEffortResults() throws Exception {
        DecodedMail m = decodeText("""
                From: "unterminated <a@example.com
                Date: yesterday, around noon
                Subject: =?UTF-8?Q?caf=C3=A9?= ok
                Content-Type: text/plain; charset="utf-8; format=flowed
                Content-Transfer-Encoding: x-weird

                café
                """);
        assertThat(m.fromAddress()).isEqualTo("a@example.com");
        assertThat(m.date()).isNull();
        assertThat(m.subject()).isEqualTo("café ok");
        assertThat(m.text()).isEqualTo("café");
        assertThat(m.warnings()).contains("unknown transfer encoding x-weird, kept as is");
    }

    @Test
    void multipartWithoutBoundaryParameterStillYieldsItsText() throws Exception {
        DecodedMail m = decodeText("""
                From: a@example.com
                Content-Type: multipart/mixed

                --xyz
                Content-Type: text/plain; charset=UTF-8

                text in a part
                --xyz--
                """);
        assertThat(m.text()).isEqualTo("text in a part");
    }

    @Test
    void decodedHeaderValuesCarryNoLineBreaks() throws Exception {
        DecodedMail m = decodeText("From: =?UTF-8?Q?Eve=0D=0ABcc:_x@evil.example?= <eve@example.com>\n"
                + "Subject: =?UTF-8?Q?x=0D=0ABcc:_attacker@evil.example?=\n\nhi\n");
        assertThat(m.subject()).isEqualTo("x Bcc: attacker@evil.example");
        assertThat(m.fromName()).isEqualTo("Eve Bcc: x@evil.example");
        assertThat(m.fromAddress()).isEqualTo("eve@example.com");
    }

    @Test
    void raw8bitHeadersAreDecodedLikeABodyWithoutCharset() throws Exception {
        byte[] head = "From: a@example.com\r\nSubject: ".getBytes(StandardCharsets.US_ASCII);
        byte[] subject = "投诉快递".getBytes(MailCharsets.GB18030);
        byte[] rest = "\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[head.length + subject.length + rest.length];
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(subject, 0, raw, head.length, subject.length);
        System.arraycopy(rest, 0, raw, head.length + subject.length, rest.length);
        assertThat(decoder.decode(raw, MAX).subject()).isEqualTo("投诉快递");
    }

    @Test
    void attachmentNamesAreSanitisedForStorageOnly() {
        byte[] none = new byte[0];
        assertThat(new MailAttachment("../../etc/passwd", "text/plain", none, null, false).safeFileName())
                .isEqualTo("passwd");
        assertThat(new MailAttachment("C:\\Windows\\evil.exe", "application/octet-stream", none, null, false)
                .safeFileName()).isEqualTo("evil.exe");
        assertThat(new MailAttachment("a\r\nb\u0000.pdf", "application/pdf", none, null, false).safeFileName())
                .isEqualTo("a__b_.pdf");
        assertThat(new MailAttachment("..", "application/pdf", none, null, false).safeFileName())
                .isEqualTo("attachment.pdf");
        assertThat(new MailAttachment(null, "message/rfc822", none, null, false).safeFileName())
                .isEqualTo("attachment.eml");
        MailAttachment evil = new MailAttachment("../x/invoice.pdf.exe", "application/pdf", none, null, false);
        assertThat(evil.safeFileName()).isEqualTo("invoice.pdf.exe");
        assertThat(evil.fileName()).isEqualTo("../x/invoice.pdf.exe");
    }
}
