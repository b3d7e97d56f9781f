package org.complainthub.channel.mail;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What the email channel needs from one raw mail, decoded by {@link MailDecoder}.
 *
 * @param messageId            the Message-ID with angle brackets; synthesised when absent (see
 *                             {@link MailDecoder#syntheticMessageId(byte[])}), never null
 * @param messageIdSynthesised true when the mail had no usable Message-ID
 * @param inReplyTo            the first id of In-Reply-To with angle brackets, or null
 * @param references           the ids of References in order, with angle brackets; empty when absent
 * @param fromAddress          the first From address (addr-spec as written); when From has none that parses, the
 *                             first of Reply-To, Sender, Return-Path (with a warning); null when there is none
 * @param fromName             the decoded From display name, or null; an unverified claim, never an identity (C7 E12)
 * @param subject              the decoded Subject, single line, control characters turned into spaces; null if absent
 * @param date                 the Date header with its own offset, or null when absent or unparseable
 * @param text                 the body as plain text with \n line ends, trimmed; "" when there is none. Forwarded
 *                             messages (message/rfc822) follow after a "---------- Forwarded message ----------"
 *                             block
 * @param attachments          every non-body part once, in document order, inline images included
 * @param forwarded            the decoded message/rfc822 parts (nesting depth limited), e.g. to find the original
 *                             customer in a forward; each also appears in attachments as raw bytes
 * @param headers              the top-level header fields by case-insensitive name, values unfolded and not decoded,
 *                             control characters turned into spaces, for auto-reply/list/loop detection (C4)
 * @param rawSha256            lower-case hex SHA-256 of the raw mail with line ends normalised to CRLF
 * @param warnings             best-effort repairs made while decoding (bad base64, unknown charset, ...); a mail
 *                             with warnings is readable but worth keeping for inspection
 */
public record DecodedMail(
        String messageId,
        boolean messageIdSynthesised,
        String inReplyTo,
        List<String> references,
        String fromAddress,
        String fromName,
        String subject,
        OffsetDateTime date,
        String text,
        List<MailAttachment> attachments,
        List<DecodedMail> forwarded,
        Map<String, List<String>> headers,
        String rawSha256,
        List<String> warnings) {

    /** The first value of a top-level header (case-insensitive name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
