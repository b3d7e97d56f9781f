package org.complainthub.channel.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of one mail (RFC 5322 + MIME) into a {@link DecodedMail}: the rules of CHANNEL_FORMATS part C
 * (C1 encoded-words, C2 Chinese charsets, C3 structures, C6 threading ids, C7 hostile input). Plain Java on Jakarta
 * Mail's MIME parser; no Spring, no Camel, thread-safe.
 * <p>
 * Body text: in multipart/alternative the text/plain part wins over text/html, a multipart (e.g. related) over
 * text/html; in multipart/related the root (the {@code start} parameter, else the first part); in any other
 * multipart the first text part that is not an attachment. Everything else is an attachment, each part once.
 * HTML-only mail is turned into text by {@link HtmlText}. Charsets: {@link MailCharsets}.
 * <p>
 * What is refused ({@link MailDecodingException}): an empty mail, one over {@code maxBytes} (before parsing), a
 * header block over {@link Limits#maxHeaderBytes()}, no header at all, multiparts nested deeper than
 * {@link Limits#maxMultipartDepth()}, more than {@link Limits#maxParts()} parts. What is repaired and reported in
 * {@link DecodedMail#warnings()}: invalid base64 characters, unknown charsets and transfer encodings, a missing
 * closing boundary, an unparseable From, forwarded mail nested deeper than {@link Limits#maxForwardDepth()} (kept as
 * an attachment, not decoded).
 */
public final class MailDecoder {

    /**
     * @param maxHeaderBytes    size of the top-level header block (a huge header is refused before MIME parsing)
     * @param maxMultipartDepth multipart nesting within one message (the top one or each decoded forward)
     * @param maxParts          MIME parts in the whole mail, forwarded messages included
     * @param maxForwardDepth   message/rfc822 levels that are decoded; deeper ones stay opaque attachments
     */
    public record Limits(int maxHeaderBytes, int maxMultipartDepth, int maxParts, int maxForwardDepth) {
        public static final Limits DEFAULT = new Limits(256 * 1024, 20, 200, 3);
    }

    static final String SYNTHETIC_ID_DOMAIN = "no-message-id.complaint-hub";
    private static final String FORWARD_SEPARATOR = "---------- Forwarded message ----------";
    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>");
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");   // RFC 5322 ftext
    private static final Pattern ADDR_SPEC = Pattern.compile("[^<>\\s\"(),;:\\[\\]]+@[^<>\\s\"(),;:\\[\\]]+");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^<>\\s\"(),;:]+@[^<>\\s\"(),;:]+");
    private static final Pattern CHARSET_PARAM = Pattern.compile("(?i)charset\\s*=\\s*\"?([^\";\\s]+)");
    /** Where the customer's address is looked for, in order, when From has none. */
    private static final List<String> REPLY_ADDRESS_HEADERS = List.of("Reply-To", "Sender", "Return-Path");
    private static final Pattern NAME_PARAM = Pattern.compile("(?i)(?:file)?name\\*?\\s*=\\s*\"?([^\";]+)");

    private final Limits limits;
    private final Session session = Session.getInstance(new Properties());

    public MailDecoder() {
        this(Limits.DEFAULT);
    }

    public MailDecoder(Limits limits) {
        this.limits = limits;
    }

    /**
     * Decode one mail.
     *
     * @param raw      the message exactly as fetched (CRLF or LF line ends)
     * @param maxBytes the largest mail accepted; checked before anything is parsed
     * @throws MailTooLargeException when {@code raw} is longer than {@code maxBytes}
     * @throws MailDecodingException when the mail cannot be decoded at all; the message says why
     */
    public DecodedMail decode(byte[] raw, long maxBytes) throws MailDecodingException {
        if (raw == null || raw.length == 0) {
            throw new MailDecodingException("empty mail");
        }
        if (raw.length > maxBytes) {
            throw new MailTooLargeException(raw.length, maxBytes);
        }
        int headerBlock = headerBlockLength(raw);
        if (headerBlock > limits.maxHeaderBytes()) {
            throw new MailDecodingException("header block of " + headerBlock + " bytes exceeds the limit of "
                    + limits.maxHeaderBytes() + " bytes");
        }
        try {
            return decodeMessage(raw, 0, new Budget());
        } catch (MailDecodingException e) {
            throw e;
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new MailDecodingException("unreadable MIME structure: " + e, e);
        } catch (StackOverflowError e) {
            throw new MailDecodingException("MIME structure nested too deeply", e);
        }
    }

    /**
     * The id given to a mail without a Message-ID: {@code <sha256@no-message-id.complaint-hub>}, over the whole raw
     * mail (header block, blank line and body) with bare LF and bare CR line ends normalised to CRLF. The same mail
     * fetched twice (IMAP, or a file copy with LF line ends) gets the same id; any changed byte of header or body
     * gives another.
     */
    public static String syntheticMessageId(byte[] raw) {
        return "<" + sha256Hex(canonicalLineEnds(raw)) + "@" + SYNTHETIC_ID_DOMAIN + ">";
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A limit of {@link Limits} was exceeded: applies to the whole mail, forwarded messages included. */
    static final class LimitExceeded extends MailDecodingException {
        LimitExceeded(String reason) {
            super(reason);
        }
    }

    /** Parts counted over the whole decode call, forwarded messages included. */
    private static final class Budget {
        int parts;
    }

    /** What one message (top level or forwarded) collects while its parts are walked. */
    private final class Collector {
        final int forwardDepth;
        final Budget budget;
        String text;
        final List<String> extraText = new ArrayList<>();
        final List<MailAttachment> attachments = new ArrayList<>();
        final List<DecodedMail> forwarded = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        Collector(int forwardDepth, Budget budget) {
            this.forwardDepth = forwardDepth;
            this.budget = budget;
        }

        void countPart() throws MailDecodingException {
            if (++budget.parts > limits.maxParts()) {
                throw new LimitExceeded("more than " + limits.maxParts() + " MIME parts");
            }
        }
    }

    private DecodedMail decodeMessage(byte[] raw, int forwardDepth, Budget budget)
            throws MessagingException, IOException, MailDecodingException {
        MimeMessage message = new MimeMessage(session, new SharedByteArrayInputStream(raw));
        Map<String, List<String>> headers = headers(message);
        if (headers.isEmpty()) {
            throw new MailDecodingException("no header fields found: not a mail");
        }
        Collector c = new Collector(forwardDepth, budget);
        walk(message, 0, true, false, c);

        String rawSha256 = sha256Hex(canonicalLineEnds(raw));
        String messageId = firstId(header(message, "Message-ID"), true);
        boolean synthesised = messageId == null;
        if (synthesised) {
            messageId = "<" + rawSha256 + "@" + SYNTHETIC_ID_DOMAIN + ">";
        }
        String fromHeader = header(message, "From");
        String fromAddress = fromAddress(fromHeader, c);
        for (int i = 0; fromAddress == null && i < REPLY_ADDRESS_HEADERS.size(); i++) {
            // a From that does not parse: mail clients answer Reply-To, else Sender, else the envelope sender
            String name = REPLY_ADDRESS_HEADERS.get(i);
            fromAddress = fromAddress(header(message, name), new Collector(forwardDepth, new Budget()));
            if (fromAddress != null) {
                c.warnings.add("no address in From, taken from " + name);
            }
        }
        String fromName = fromName(fromHeader);
        String subjectHeader = header(message, "Subject");

        StringBuilder text = new StringBuilder(c.text == null ? "" : c.text);
        for (String extra : c.extraText) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(extra);
        }
        return new DecodedMail(messageId, synthesised, firstId(header(message, "In-Reply-To"), false),
                allIds(header(message, "References")), fromAddress, fromName,
                subjectHeader == null ? null : EncodedWords.decode(subjectHeader),
                parseDate(header(message, "Date")), text.toString(), List.copyOf(c.attachments),
                List.copyOf(c.forwarded), headers, rawSha256, List.copyOf(c.warnings));
    }

    /**
     * @param wantText     false for the parts of multipart/alternative and multipart/related that are not the body
     * @param inMultipart  whether the part sits in a multipart (a bare top-level part is the body whatever its name)
     */
    private void walk(Part part, int depth, boolean wantText, boolean inMultipart, Collector c)
            throws MessagingException, IOException, MailDecodingException {
        c.countPart();
        LenientMime.repairHeaders(part, c.warnings);
        String contentType = safeContentType(part);
        String type = baseType(contentType);
        if (type.startsWith("multipart/")) {
            walkMultipart(part, contentType, type, depth + 1, wantText, c);
            return;
        }
        if (type.equals("message/rfc822") || type.equals("message/global")) {
            forwarded(part, c);
            return;
        }
        String disposition = disposition(part);
        String fileName = fileName(part);
        boolean attachment = "attachment".equals(disposition) || inMultipart && fileName != null;
        boolean bodyType = type.equals("text/plain") || type.equals("text/html") || type.equals("text/enriched");
        if (bodyType && !attachment) {
            if (wantText && c.text == null) {
                c.text = bodyText(part, contentType, type, c);
                return;
            }
            if (!wantText) {
                return;   // another rendering of the body (the HTML of an alternative): not an attachment
            }
        }
        String contentId = contentId(part);
        boolean inline = "inline".equals(disposition) || disposition == null && contentId != null;
        c.attachments.add(new MailAttachment(fileName, type, transferDecoded(part, c), contentId, inline));
    }

    private void walkMultipart(Part part, String contentType, String type, int depth, boolean wantText, Collector c)
            throws MessagingException, IOException, MailDecodingException {
        if (depth > limits.maxMultipartDepth()) {
            throw new LimitExceeded("multiparts nested deeper than " + limits.maxMultipartDepth());
        }
        Object content;
        try {
            content = part.getContent();   // a message parses its multipart here, a body part on the first count
        } catch (jakarta.mail.internet.ParseException missingStartBoundary) {
            content = null;
        }
        if (content != null && !(content instanceof MimeMultipart)) {
            c.warnings.add(type + " without a readable structure, kept as an attachment");
            c.attachments.add(new MailAttachment(fileName(part), type, transferDecoded(part, c), contentId(part),
                    false));
            return;
        }
        MimeMultipart declared = (MimeMultipart) content;
        MimeMultipart multipart = declared != null && parsed(declared) ? declared
                : LenientMime.byTheBoundaryInTheBody(part);
        if (multipart == null) {
            // no boundary line at all: a mail client shows the body as it is, and so does the hub
            c.warnings.add(type + " has no boundary line in its body, read as text");
            if (wantText && c.text == null) {
                c.text = bodyText(part, contentType, "text/plain", c);
            }
            return;
        }
        if (multipart != declared) {
            c.warnings.add(type + " read by the boundary its parts use, not the declared one");
        }
        int count = multipart.getCount();
        if (!multipart.isComplete()) {
            c.warnings.add(type + " has no closing boundary");
        }
        if (count > limits.maxParts()) {
            throw new LimitExceeded("more than " + limits.maxParts() + " MIME parts");
        }
        List<BodyPart> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(multipart.getBodyPart(i));
        }
        int body = switch (type) {
            case "multipart/alternative" -> preferredAlternative(parts);
            case "multipart/related" -> relatedRoot(parts, contentType);
            default -> -1;   // mixed, report, signed, unknown: every part in turn, the first text is the body
        };
        for (int i = 0; i < parts.size(); i++) {
            walk(parts.get(i), depth, wantText && (body < 0 || i == body), true, c);
        }
    }

    /** Whether the multipart's declared boundary is found in its body (Jakarta parses on the first count). */
    private static boolean parsed(MimeMultipart multipart) throws MessagingException {
        try {
            multipart.getCount();
            return true;
        } catch (jakarta.mail.internet.ParseException missingStartBoundary) {
            return false;
        }
    }

    /** text/plain, else a nested multipart (which may hold text/plain), else text/html, else the last part. */
    private int preferredAlternative(List<BodyPart> parts) {
        int multipart = -1;
        int html = -1;
        for (int i = 0; i < parts.size(); i++) {
            String type = baseType(safeContentType(parts.get(i)));
            if (type.equals("text/plain")) {
                return i;
            }
            if (type.startsWith("multipart/") && multipart < 0) {
                multipart = i;
            } else if (type.equals("text/html") && html < 0) {
                html = i;
            }
        }
        return multipart >= 0 ? multipart : html >= 0 ? html : parts.size() - 1;
    }

    private int relatedRoot(List<BodyPart> parts, String contentType) {
        String start = parameter(contentType, "start");
        if (start != null) {
            String wanted = stripAngles(start);
            for (int i = 0; i < parts.size(); i++) {
                if (wanted.equals(contentId(parts.get(i)))) {
                    return i;
                }
            }
        }
        return 0;
    }

    /** A forwarded message: kept as raw bytes, decoded (up to the depth limit) and its text appended to the body. */
    private void forwarded(Part part, Collector c) throws MessagingException, IOException, MailDecodingException {
        byte[] bytes = transferDecoded(part, c);
        String name = fileName(part);
        c.attachments.add(new MailAttachment(name == null ? "forwarded.eml" : name, "message/rfc822", bytes,
                contentId(part), false));
        if (c.forwardDepth >= limits.maxForwardDepth()) {
            c.warnings.add("forwarded message nested deeper than " + limits.maxForwardDepth() + " not decoded");
            return;
        }
        DecodedMail inner;
        try {
            inner = decodeMessage(bytes, c.forwardDepth + 1, c.budget);
        } catch (LimitExceeded e) {
            throw e;   // limits apply to the whole mail
        } catch (MailDecodingException e) {
            c.warnings.add("forwarded message not decoded: " + e.getMessage());
            return;
        } catch (MessagingException | IOException | RuntimeException e) {
            c.warnings.add("forwarded message not decoded: " + e);
            return;
        }
        c.forwarded.add(inner);
        inner.warnings().forEach(w -> c.warnings.add("forwarded: " + w));
        StringBuilder block = new StringBuilder(FORWARD_SEPARATOR).append('\n');
        if (inner.fromAddress() != null) {
            block.append("From: ").append(inner.fromName() == null ? "" : inner.fromName() + " ")
                    .append('<').append(inner.fromAddress()).append(">\n");
        }
        if (inner.date() != null) {
            block.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(inner.date())).append('\n');
        }
        if (inner.subject() != null) {
            block.append("Subject: ").append(inner.subject()).append('\n');
        }
        block.append('\n').append(inner.text());
        c.extraText.add(block.toString().strip());
    }

    private String bodyText(Part part, String contentType, String type, Collector c)
            throws MessagingException, IOException {
        byte[] bytes = transferDecoded(part, c);
        String charset = parameter(contentType, "charset");
        if (!MailCharsets.isKnown(charset)) {
            c.warnings.add("unknown charset " + charset + ", decoded as UTF-8 or else GB18030");
        }
        String text = MailCharsets.decode(bytes, charset);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (type.equals("text/html")) {
            return HtmlText.toText(text);
        }
        return text.replace("\r\n", "\n").replace('\r', '\n').replace("\u0000", "").strip();
    }

    // ---- transfer encodings -------------------------------------------------------------------------------------

    private byte[] transferDecoded(Part part, Collector c) throws MessagingException, IOException {
        byte[] raw;
        try (InputStream in = rawStream(part)) {
            raw = in.readAllBytes();
        }
        String encoding;
        try {
            encoding = part instanceof MimeBodyPart b ? b.getEncoding()
                    : part instanceof MimeMessage m ? m.getEncoding() : null;
        } catch (MessagingException unparseable) {
            encoding = null;
        }
        encoding = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "7bit", "8bit", "binary", "":
                return raw;
            case "base64":
                return base64(raw, c);
            case "quoted-printable":
                return quotedPrintable(raw);
            default:
                try (InputStream in = MimeUtility.decode(new java.io.ByteArrayInputStream(raw), encoding)) {
                    return in.readAllBytes();
                } catch (MessagingException | IOException unknown) {
                    c.warnings.add("unknown transfer encoding " + encoding + ", kept as is");
                    return raw;
                }
        }
    }

    private static InputStream rawStream(Part part) throws MessagingException {
        if (part instanceof MimeBodyPart b) {
            return b.getRawInputStream();
        }
        if (part instanceof MimeMessage m) {
            return m.getRawInputStream();
        }
        throw new MessagingException("unexpected part " + part.getClass().getName());
    }

    /** Lenient base64: whitespace skipped; other invalid characters skipped with a warning; stops at padding. */
    static byte[] base64(byte[] raw, Collector c) {
        ByteArrayOutputStream clean = new ByteArrayOutputStream(raw.length);
        boolean invalid = false;
        for (byte b : raw) {
            if (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/') {
                clean.write(b);
            } else if (b == '=') {
                // padding ends a quantum; mailers concatenating base64 blocks is rare enough to ignore
                continue;
            } else if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                invalid = true;
            }
        }
        byte[] chars = clean.toByteArray();
        int usable = chars.length - (chars.length % 4 == 1 ? 1 : 0);
        if (invalid || usable != chars.length) {
            c.warnings.add("invalid base64 repaired (" + (invalid ? "characters skipped" : "truncated") + ")");
        }
        return java.util.Base64.getDecoder().decode(java.util.Arrays.copyOf(chars, usable));
    }

    /** Quoted-printable (RFC 2045 6.7), lenient: '=' not followed by two hex digits or a line end is kept. */
    static byte[] quotedPrintable(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b != '=') {
                out.write(b);
                continue;
            }
            int j = i + 1;
            while (j < raw.length && (raw[j] == ' ' || raw[j] == '\t')) {
                j++;   // "= " before the line end still is a soft break
            }
            if (j < raw.length && (raw[j] == '\r' || raw[j] == '\n')) {
                i = raw[j] == '\r' && j + 1 < raw.length && raw[j + 1] == '\n' ? j + 1 : j;
            } else if (j == raw.length) {
                i = j;
            } else if (i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return b >= '0' && b <= '9' ? b - '0' : b >= 'A' && b <= 'F' ? b - 'A' + 10 : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }

    // ---- headers ------------------------------------------------------------------------------------------------

    private static Map<String, List<String>> headers(MimeMessage message) throws MessagingException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Enumeration<Header> all = message.getAllHeaders();
        while (all.hasMoreElements()) {
            Header h = all.nextElement();
            // Jakarta keeps a line without a colon as a header without value: not a header field
            if (h.getValue() == null || !FIELD_NAME.matcher(h.getName()).matches()) {
                continue;
            }
            headers.computeIfAbsent(h.getName(), k -> new ArrayList<>())
                    .add(EncodedWords.clean(EncodedWords.unfold(eightBit(h.getValue()))));
        }
        Map<String, List<String>> frozen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(frozen);
    }

    /** The first value of a header, unfolded, raw 8-bit bytes decoded; null when absent. */
    private static String header(Part part, String name) throws MessagingException {
        String[] values = part.getHeader(name);
        return values == null || values.length == 0 ? null : EncodedWords.unfold(eightBit(values[0]));
    }

    /**
     * Jakarta Mail reads header bytes as ISO-8859-1. Raw 8-bit headers (no encoded-words; some Chinese mailers) are
     * recovered as bytes and decoded like a body without charset: strict UTF-8, else GB18030.
     */
    private static String eightBit(String value) {
        if (value == null || value.chars().allMatch(ch -> ch < 0x80) || value.chars().anyMatch(ch -> ch > 0xFF)) {
            return value;
        }
        return MailCharsets.decodeFallback(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String safeContentType(Part part) {
        try {
            String ct = part.getContentType();
            return ct == null ? "text/plain" : EncodedWords.unfold(ct);
        } catch (MessagingException e) {
            return "text/plain";
        }
    }

    /** Lower-case type/subtype; text/plain when absent or malformed (MIME's default). */
    static String baseType(String contentType) {
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (jakarta.mail.internet.ParseException | RuntimeException e) {
            String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            return base.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+") ? base : "text/plain";
        }
    }

    private static String parameter(String contentType, String name) {
        try {
            String v = new ContentType(contentType).getParameter(name);
            return v == null ? null : v.strip();
        } catch (jakarta.mail.internet.ParseException | RuntimeException e) {
            if (name.equals("charset")) {
                Matcher m = CHARSET_PARAM.matcher(contentType);
                return m.find() ? m.group(1) : null;
            }
            return null;
        }
    }

    private static String disposition(Part part) {
        try {
            String d = part.getDisposition();
            return d == null ? null : d.strip().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            try {
                String[] raw = part.getHeader("Content-Disposition");
                return raw == null ? null : raw[0].split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            } catch (MessagingException ignored) {
                return null;
            }
        }
    }

    /** RFC 2231 names through Jakarta; RFC 2047 words inside quotes (non-standard, common) decoded here. */
    private static String fileName(Part part) {
        String name;
        try {
            name = part.getFileName();
        } catch (MessagingException | RuntimeException malformedParameters) {
            name = null;
            try {
                for (String h : new String[] {"Content-Disposition", "Content-Type"}) {
                    String[] raw = part.getHeader(h);
                    Matcher m = raw == null ? null : NAME_PARAM.matcher(EncodedWords.unfold(raw[0]));
                    if (m != null && m.find()) {
                        name = m.group(1);
                        break;
                    }
                }
            } catch (MessagingException ignored) {
                return null;
            }
        }
        if (name == null) {
            return null;
        }
        name = EncodedWords.decode(eightBit(name));
        return name.isEmpty() ? null : name;
    }

    private static String contentId(Part part) {
        try {
            String[] ids = part.getHeader("Content-ID");
            if (ids == null || ids.length == 0) {
                return null;
            }
            String id = stripAngles(EncodedWords.clean(ids[0]));
            return id.isEmpty() ? null : id;
        } catch (MessagingException e) {
            return null;
        }
    }

    private static String stripAngles(String s) {
        String t = s.strip();
        if (t.startsWith("<") && t.endsWith(">") && t.length() >= 2) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    // ---- addresses, ids, dates ----------------------------------------------------------------------------------

    private static String fromAddress(String from, Collector c) {
        if (from == null || from.isBlank()) {
            return null;
        }
        try {
            InternetAddress[] parsed = InternetAddress.parseHeader(from, false);
            // Jakarta's lenient parser can return a phrase as "address" (e.g. an encoded-word holding ':' or '@')
            if (parsed.length > 0 && parsed[0].getAddress() != null
                    && ADDR_SPEC.matcher(parsed[0].getAddress()).matches()) {
                return parsed[0].getAddress();
            }
        } catch (AddressException | RuntimeException unparseable) {
            // fall through to the patterns below
        }
        Matcher m = ANGLE_ADDRESS.matcher(from);
        if (m.find()) {
            c.warnings.add("From header not RFC 5322, address taken from <...>");
            return m.group(1);
        }
        m = BARE_ADDRESS.matcher(from);
        if (m.find()) {
            c.warnings.add("From header not RFC 5322, address guessed");
            return m.group();
        }
        c.warnings.add("From header without an address");
        return null;
    }

    /** The display name before {@code <addr>}, or the comment in {@code addr (Name)}; decoded, or null. */
    private static String fromName(String from) {
        if (from == null) {
            return null;
        }
        String name = null;
        int angle = from.lastIndexOf('<');
        if (angle > 0) {
            name = from.substring(0, angle);
        } else {
            int open = from.indexOf('(');
            int close = from.lastIndexOf(')');
            if (open >= 0 && close > open) {
                name = from.substring(open + 1, close);
            }
        }
        if (name == null) {
            return null;
        }
        name = name.strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        name = EncodedWords.decode(name);
        return name.isEmpty() ? null : name;
    }

    /** The first {@code <id>}; with {@code lenient}, a bare id without brackets is wrapped. Null when none. */
    private static String firstId(String value, boolean lenient) {
        if (value == null) {
            return null;
        }
        Matcher m = MSG_ID.matcher(value);
        if (m.find()) {
            return m.group();
        }
        String bare = EncodedWords.clean(value);
        if (bare.contains("@") && !bare.contains(" ") || lenient && !bare.isEmpty() && !bare.contains(" ")) {
            return "<" + bare + ">";
        }
        return null;
    }

    private static List<String> allIds(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        Matcher m = MSG_ID.matcher(value);
        while (m.find()) {
            ids.add(m.group());
        }
        return ids.stream().distinct().toList();
    }

    static OffsetDateTime parseDate(String value) {
        if (value == null) {
            return null;
        }
        String s = value.replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").strip();
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException notStrict) {
            try {
                Date d = new MailDateFormat().parse(s);
                return d == null ? null : d.toInstant().atOffset(ZoneOffset.UTC);
            } catch (java.text.ParseException | RuntimeException unparseable) {
                return null;
            }
        }
    }

    // ---- raw bytes ----------------------------------------------------------------------------------------------

    /** Bytes up to the blank line that ends the header block (the whole mail when there is none). */
    static int headerBlockLength(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n')) {
                return i + 1;
            }
        }
        return raw.length;
    }

    static byte[] canonicalLineEnds(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 40);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
