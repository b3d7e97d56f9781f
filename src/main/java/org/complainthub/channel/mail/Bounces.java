package org.complainthub.channel.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a bounce (CHANNEL_FORMATS.md C5): which addresses failed and which of our mails it is about, so the hub can
 * mark a customer's address undeliverable instead of writing to it again.
 *
 * <p>Failed recipients come from the RFC 3464 {@code message/delivery-status} part (per-recipient blocks with
 * {@code Action: failed}; the {@code Original-Recipient}, which is the address as we sent it, before the
 * {@code Final-Recipient}, which may be an address it was forwarded to), else from {@code X-Failed-Recipients}.
 * The original Message-ID comes from the returned headers ({@code text/rfc822-headers} or {@code message/rfc822}),
 * else {@code In-Reply-To}, else the last of {@code References}, else a {@code Message-ID:} line in the text of a
 * non-standard bounce.
 *
 * <p>Call it only for mail {@link AutomatedMail} called a bounce: on a customer's reply to an acknowledgement it
 * would find that acknowledgement's Message-ID. A bounce is easy to forge: before marking an address, check that the
 * Message-ID is one the hub sent, to that address.
 *
 * <p>Never throws: a part that cannot be read is skipped, and a report with nothing readable is empty. Reading is
 * bounded (parts, nesting, bytes per part, recipients), so a hostile bounce costs little.
 */
public final class Bounces {

    static final int MAX_DEPTH = 4;
    static final int MAX_PARTS = 64;
    static final int MAX_PART_BYTES = 256 * 1024;
    static final int MAX_RECIPIENTS = 50;

    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s@\"]{1,250}@[^<>\\s@\"]{1,250}>");
    private static final Pattern MSG_ID_LINE = Pattern.compile("(?im)^[ \\t]*message-id:[ \\t]*(<[^<>\\s@\"]{1,250}@[^<>\\s@\"]{1,250}>)");
    private static final Pattern ADDRESS = Pattern.compile(
            "[^\\s@<>()\\[\\],;:\\\\\"]{1,64}@[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?)+");
    private static final Pattern XTEXT = Pattern.compile("\\+([0-9A-F]{2})");

    public BounceReport parse(Part bounce) {
        try {
            Found found = new Found();
            walk(bounce, 0, found);
            List<String> failed = found.deliveryStatus == null ? List.of() : failedRecipients(found.deliveryStatus);
            if (failed.isEmpty()) {
                failed = xFailedRecipients(bounce);
            }
            return new BounceReport(failed, originalMessageId(bounce, found));
        } catch (RuntimeException e) {
            // a malformed bounce is not worth an exception: the route treats it as one that says nothing
            return BounceReport.empty();
        }
    }

    /** The parts worth reading, gathered in one bounded walk; message/rfc822 parts are not entered. */
    private static final class Found {
        String deliveryStatus;
        String returnedHeadersMessageId;
        final List<String> texts = new ArrayList<>();
        int parts;
    }

    private void walk(Part part, int depth, Found found) {
        if (depth > MAX_DEPTH || found.parts++ > MAX_PARTS) {
            return;
        }
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            try {
                MimeMultipart multipart = new MimeMultipart(part.getDataHandler().getDataSource());
                for (int i = 0; i < multipart.getCount() && found.parts <= MAX_PARTS; i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child, depth + 1, found);
                }
            } catch (MessagingException | RuntimeException e) {
                // a multipart that does not parse: whatever was found so far stands
            }
            return;
        }
        switch (type) {
            case "message/delivery-status", "message/global-delivery-status" -> {
                if (found.deliveryStatus == null) {
                    found.deliveryStatus = read(part);
                }
            }
            case "text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers" -> {
                if (found.returnedHeadersMessageId == null) {
                    found.returnedHeadersMessageId = returnedMessageId(part);
                }
            }
            case "text/plain" -> {
                if (depth > 0 && found.texts.size() < 4) {
                    found.texts.add(read(part));
                }
            }
            default -> {
            }
        }
    }

    private List<String> failedRecipients(String deliveryStatus) {
        Set<String> failed = new LinkedHashSet<>();
        for (Map<String, String> block : blocks(deliveryStatus)) {
            if (failed.size() >= MAX_RECIPIENTS) {
                break;
            }
            if (!MailHeaders.token(block.getOrDefault("action", "")).equals("failed")) {
                continue;
            }
            Optional<String> original = address(block.get("original-recipient")).map(Bounces::decodeXtext)
                    .filter(a -> ADDRESS.matcher(a).matches());
            original.or(() -> address(block.get("final-recipient"))).ifPresent(failed::add);
        }
        return List.copyOf(failed);
    }

    /**
     * The blocks of a delivery-status part (per-message fields, then one block per recipient), each a map of
     * lower-cased field name to its first value. Continuation lines are joined.
     */
    static List<Map<String, String>> blocks(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> block = new LinkedHashMap<>();
        String lastName = null;
        for (String line : text.split("\\r?\\n|\\r", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    blocks.add(block);
                }
                block = new LinkedHashMap<>();
                lastName = null;
            } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
                block.computeIfPresent(lastName, (k, v) -> v.length() < MailHeaders.MAX_VALUE ? v + " " + line.trim() : v);
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    lastName = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    block.putIfAbsent(lastName, MailHeaders.unfold(line.substring(colon + 1)).trim());
                } else {
                    lastName = null;
                }
            }
        }
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        return blocks;
    }

    /** The address of a DSN recipient field {@code rfc822; a@b} (or {@code utf-8;}), if it is one. */
    private static Optional<String> address(String field) {
        if (field == null) {
            return Optional.empty();
        }
        int semicolon = field.indexOf(';');
        if (semicolon < 0) {
            return Optional.empty();
        }
        String type = field.substring(0, semicolon).trim().toLowerCase(Locale.ROOT);
        if (!type.equals("rfc822") && !type.equals("utf-8")) {
            return Optional.empty();
        }
        String a = MailHeaders.stripComments(field.substring(semicolon + 1)).trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).trim();
        }
        return ADDRESS.matcher(a).matches() ? Optional.of(a) : Optional.empty();
    }

    /** ORCPT travels xtext-encoded (RFC 3461): {@code +2B} is a '+'. */
    private static String decodeXtext(String address) {
        Matcher m = XTEXT.matcher(address);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> xFailedRecipients(Part bounce) {
        Set<String> failed = new LinkedHashSet<>();
        for (String value : MailHeaders.all(bounce, "X-Failed-Recipients")) {
            for (String item : value.split(",")) {
                String a = item.trim();
                if (a.startsWith("<") && a.endsWith(">")) {
                    a = a.substring(1, a.length() - 1).trim();
                }
                if (ADDRESS.matcher(a).matches() && failed.size() < MAX_RECIPIENTS) {
                    failed.add(a);
                }
            }
        }
        return List.copyOf(failed);
    }

    private static Optional<String> originalMessageId(Part bounce, Found found) {
        if (found.returnedHeadersMessageId != null) {
            return Optional.of(found.returnedHeadersMessageId);
        }
        Optional<String> inReplyTo = MailHeaders.all(bounce, "In-Reply-To").stream().flatMap(v -> MSG_ID.matcher(v).results())
                .map(r -> r.group()).findFirst();
        if (inReplyTo.isPresent()) {
            return inReplyTo;
        }
        List<String> references = MailHeaders.all(bounce, "References").stream().flatMap(v -> MSG_ID.matcher(v).results())
                .map(r -> r.group()).toList();
        if (!references.isEmpty()) {
            return Optional.of(references.get(references.size() - 1));
        }
        if (baseType(bounce).equals("text/plain")) {
            found.texts.add(read(bounce));
        }
        for (String text : found.texts) {
            Matcher m = MSG_ID_LINE.matcher(text);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** The Message-ID in returned headers (a headers-only part or a whole message: the headers come first either way). */
    private static String returnedMessageId(Part part) {
        try {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(bytes(part)));
            String[] values = headers.getHeader("Message-ID");
            if (values != null) {
                for (String v : values) {
                    Matcher m = MSG_ID.matcher(MailHeaders.unfold(v));
                    if (m.find()) {
                        return m.group();
                    }
                }
            }
        } catch (MessagingException | RuntimeException e) {
            // unreadable returned headers: fall back to In-Reply-To
        }
        return null;
    }

    private static String read(Part part) {
        return new String(bytes(part), StandardCharsets.UTF_8);
    }

    /** The decoded content, at most {@link #MAX_PART_BYTES}; nothing when it cannot be read. */
    private static byte[] bytes(Part part) {
        try (InputStream in = decodedStream(part)) {
            return in.readNBytes(MAX_PART_BYTES);
        } catch (IOException | MessagingException | RuntimeException e) {
            return new byte[0];
        }
    }

    /**
     * Jakarta Mail leaves a message/* part undecoded unless the session allows encoded messages (RFC 2046 forbids
     * them), but some MTAs base64-encode their delivery-status part anyway: decode it here whatever the session says.
     */
    private static InputStream decodedStream(Part part) throws IOException, MessagingException {
        if (part instanceof MimeBodyPart body && baseType(part).startsWith("message/")) {
            String encoding = body.getEncoding();
            if (encoding != null && (encoding.equalsIgnoreCase("base64") || encoding.equalsIgnoreCase("quoted-printable"))) {
                return MimeUtility.decode(body.getRawInputStream(), encoding.toLowerCase(Locale.ROOT));
            }
        }
        return part.getInputStream();
    }

    private static String baseType(Part part) {
        List<String> values = MailHeaders.all(part, "Content-Type");
        if (values.isEmpty()) {
            return "text/plain";
        }
        try {
            return new ContentType(values.get(0)).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }
}
