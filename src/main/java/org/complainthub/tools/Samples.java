package org.complainthub.tools;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.complainthub.channel.mail.AutomatedMail;
import org.complainthub.channel.mail.DecodedMail;
import org.complainthub.channel.mail.EmailIntake;
import org.complainthub.channel.mail.MailAttachment;
import org.complainthub.channel.mail.MailDecoder;
import org.complainthub.channel.mail.MailDecodingException;
import org.complainthub.channel.webhook.SafeXml;
import org.complainthub.complaint.RecordJson;
import org.complainthub.intake.ComplaintValidator;

/**
 * Sample files read as the channels read what they receive: a JSON body, WeChat's XML, a form body, a mail (.eml,
 * with the email channel's decoder), and a social platform's neutral message prepared for webhook-message.jsonata.
 * Nothing is stored: attachments and raw copies get the location {@link #NOT_STORED}.
 */
final class Samples {

    /** The location attachments and raw copies get here: a URI (as the record wants), not a stored file. */
    static final String NOT_STORED = "urn:complaint-hub:try:not-stored";
    private static final int MAX_INLINE = 60_000;

    enum Kind { JSON, XML, FORM, EML, CSV }

    /** A sample the hub would not take at all (automated mail, an undecodable one, a message without its ids). */
    static final class NotTaken extends Exception {
        NotTaken(String message) {
            super(message, null, false, false);
        }
    }

    private Samples() {
    }

    /** By the file's extension (.json .xml .form .eml .csv), else by its first character ({, [, <), else a form body. */
    static Kind kindOf(Path sample, byte[] bytes) {
        String name = sample.getFileName().toString().toLowerCase();
        for (Kind k : Kind.values()) {
            if (name.endsWith("." + k.name().toLowerCase())) {
                return k;
            }
        }
        String start = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.UTF_8).replace("\uFEFF", "").stripLeading();
        return start.startsWith("{") || start.startsWith("[") ? Kind.JSON : start.startsWith("<") ? Kind.XML : Kind.FORM;
    }

    /** A request body: JSON as a tree, XML as WeChat's flat map, a form as its fields (a field's first value). */
    static Object body(Kind kind, byte[] bytes) throws TryCommand.Usage {
        try {
            return switch (kind) {
                case XML -> SafeXml.flat(bytes);
                case FORM -> {
                    Map<String, Object> first = new LinkedHashMap<>();
                    form(bytes).forEach((k, v) -> first.put(k, v[0]));
                    yield first;
                }
                default -> RecordJson.MAPPER.readValue(bytes, Object.class);
            };
        } catch (IOException | IllegalArgumentException e) {
            throw new TryCommand.Usage("the sample is not valid " + kind.name() + ": " + e.getMessage());
        }
    }

    /** A form body (application/x-www-form-urlencoded, UTF-8) as a request's parameters: each name's values in order. */
    static Map<String, String[]> form(byte[] bytes) throws TryCommand.Usage {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        try {
            for (String pair : new String(bytes, StandardCharsets.UTF_8).strip().split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    fields.computeIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            k -> new ArrayList<>()).add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new TryCommand.Usage("the sample is not a form body (name=value&...): " + e.getMessage());
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
        return out;
    }

    /**
     * The email channel's payload of a mail, as EmailIntake makes it: automated mail is left alone and an undecodable
     * one quarantined (NotTaken). A reply is shown as a new complaint: threadOf is found in the hub's records.
     */
    static Map<String, Object> mail(byte[] raw, long maxBytes, String ownMessageIdDomain, ComplaintValidator validator,
                                    Consumer<String> warnings)
            throws NotTaken {
        try {
            MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            AutomatedMail automated = new AutomatedMail(ownMessageIdDomain);
            Optional<AutomatedMail.Verdict> verdict = automated.classify(parsed);
            if (verdict.isPresent() || automated.suppressesAutoResponse(parsed)) {
                throw new NotTaken("automated mail, not a complaint: the hub leaves it alone ("
                        + verdict.map(v -> v.kind() + ": " + v.reason()).orElse("AUTO_REPLY: X-Auto-Response-Suppress") + ")");
            }
            DecodedMail m = new MailDecoder().decode(raw, maxBytes);
            m.warnings().forEach(w -> warnings.accept("decoding: " + w));
            List<Map<String, Object>> attachments = new ArrayList<>();
            for (MailAttachment a : m.attachments()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("fileName", a.safeFileName());
                e.put("contentType", a.contentType());
                e.put("size", a.size());
                e.put("sha256", a.sha256());
                e.put("location", NOT_STORED);
                attachments.add(e);
            }
            return EmailIntake.payload(m, null, attachments, NOT_STORED, raw.length, validator::e164);
        } catch (MailDecodingException | MessagingException e) {
            throw new NotTaken("the hub quarantines this mail: it cannot be decoded: " + e.getMessage());
        }
    }

    /**
     * What SocialMessages.prepare makes of a platform mapping's neutral message, without the hub's records (no
     * follow-up, no satisfaction score) and without fetching media.
     */
    static Map<String, Object> prepare(Map<String, Object> message, String platform, ComplaintValidator validator,
                                       Consumer<String> notices) throws NotTaken {
        Map<String, Object> msg = new LinkedHashMap<>(message);
        if (text(msg.get("channel")) == null || text(msg.get("handle")) == null || text(msg.get("sourceId")) == null) {
            throw new NotTaken("the " + platform + " mapping gave a message without channel, handle or sourceId: the hub quarantines it");
        }
        Object event = msg.remove("event");
        String raw = RecordJson.write(event != null ? event : msg);
        msg.put("threadOf", null);
        if (msg.get("phone") instanceof String phone && validator.e164(phone) == null) {
            msg.remove("phone"); // a platform id that is not a callable number stays the handle only
        }
        List<String> notes = new ArrayList<>();
        if (msg.get("media") instanceof List<?> media && !media.isEmpty()) {
            notices.accept(media.size() + " media item(s): the hub fetches them into the evidence store; try does not");
            media.forEach(item -> notes.add("[" + (item instanceof Map<?, ?> m && m.get("type") != null ? m.get("type") : "media")
                    + " not fetched by try]"));
        }
        if (text(msg.get("text")) == null) {
            msg.put("text", notes.isEmpty() ? "[" + text(msg.getOrDefault("kind", "message")) + " without text]" : String.join(" ", notes));
        }
        msg.put("raw", raw.length() <= MAX_INLINE
                ? Map.of("contentType", "application/json", "inline", raw, "size", raw.length())
                : Map.of("contentType", "application/json", "size", raw.length()));
        return msg;
    }

    private static String text(Object o) {
        return o == null ? null : o instanceof String s ? (s.isBlank() ? null : s) : String.valueOf(o);
    }
}
