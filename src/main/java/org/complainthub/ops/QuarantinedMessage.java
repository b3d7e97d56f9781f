package org.complainthub.ops;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One message on complaints.quarantine, as its JMS properties describe it (the body is read only to replay it). What
 * the hub's quarantine writers put there:
 * <ul>
 * <li>{@code channel}, {@code reason} on every copy; {@code sourceId} once the channel knew it;</li>
 * <li>{@code payloadKind}: what the body is and so how it is taken again: {@code mail} (the raw mail; only its headers
 * when {@code headersOnly}), {@code call-log-row} (the raw row, with {@code fileName}, {@code lineNumber},
 * {@code hotlineFormat}, {@code encoding}, {@code encodingFromBom}, {@code header}), {@code webhook-message} (the
 * neutral message as the platform's mapping gave it, with {@code platform}); a status event from the desk has no
 * channel but {@code source} (complaints.status); copies queued before the kinds existed are told by their channel;</li>
 * <li>after a replay that failed again: {@code replays} (how many), {@code firstQuarantinedAt} (ISO instant),
 * {@code previousReason}.</li>
 * </ul>
 */
public record QuarantinedMessage(String messageId, String channel, String kind, String sourceId, String reason,
                                 Instant quarantinedAt, Instant firstQuarantinedAt, int replays,
                                 Map<String, String> properties) {

    public static final String MAIL = "mail";
    public static final String CALL_LOG_ROW = "call-log-row";
    public static final String WEBHOOK_MESSAGE = "webhook-message";
    public static final String STATUS_EVENT = "status-event";
    /** The channel name a status event is listed under (it has none of its own). */
    public static final String STATUS_CHANNEL = "status";

    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    /** A complaint reference (kept: not personal), or a long number (masked: a phone, an account, an id). */
    private static final Pattern REFERENCE_OR_NUMBER = Pattern.compile("(C-\\d{8}-\\d{6,})|\\+?\\d[\\d -]{5,}\\d");
    private static final int SHOWN_REASON = 300;

    static QuarantinedMessage of(Message m, String statusQueue) throws JMSException {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Object p : Collections.list(m.getPropertyNames())) {
            String key = p.toString();
            if (!key.startsWith("_AMQ") && !key.startsWith("JMSX")) {
                Object value = m.getObjectProperty(key);
                properties.put(key, value == null ? null : String.valueOf(value));
            }
        }
        String channel = properties.get("channel");
        String kind = properties.get("payloadKind");
        if (channel == null && statusQueue.equals(properties.get("source"))) {
            channel = STATUS_CHANNEL;
        }
        if (kind == null) { // queued before the kinds were written: what each channel always put there
            kind = "email".equals(channel) ? MAIL : "hotline".equals(channel) ? CALL_LOG_ROW
                    : STATUS_CHANNEL.equals(channel) ? STATUS_EVENT : null;
        }
        Instant at = Instant.ofEpochMilli(m.getJMSTimestamp());
        Instant first = at;
        try {
            first = properties.get("firstQuarantinedAt") == null ? at : Instant.parse(properties.get("firstQuarantinedAt"));
        } catch (java.time.format.DateTimeParseException ignored) {
            // not one the replay wrote: the message's own time
        }
        int replays = 0;
        try {
            replays = properties.get("replays") == null ? 0 : Integer.parseInt(properties.get("replays"));
        } catch (NumberFormatException ignored) {
            // not one the replay wrote
        }
        return new QuarantinedMessage(m.getJMSMessageID(), channel == null ? "unknown" : channel, kind,
                properties.get("sourceId"), properties.get("reason"), at, first,
                replays, Collections.unmodifiableMap(properties));
    }

    public String property(String name) {
        return properties.get(name);
    }

    /**
     * Only the mail's headers were kept (over hub.email.max-bytes); a copy from before the flag existed is told by its
     * reason.
     */
    public boolean headersOnly() {
        return "true".equals(properties.get("headersOnly"))
                || properties.get("payloadKind") == null && reason != null && reason.startsWith("larger than hub.email.max-bytes");
    }

    /** Why it cannot be taken again as it is; null when it can. */
    public String notReplayable() {
        if (kind == null) {
            return "only the platform's event was kept (quarantined before the replay existed): it cannot be taken again";
        }
        if (MAIL.equals(kind) && headersOnly()) {
            return "only the mail's headers were kept (it was over hub.email.max-bytes): raise the limit and move the "
                    + "mail from the mailbox's quarantine folder back to the inbox";
        }
        if (WEBHOOK_MESSAGE.equals(kind) && properties.get("platform") == null) {
            return "no platform recorded: it cannot be taken again";
        }
        return null;
    }

    /** The reason as the listing shows it: e-mail addresses and long numbers (phones, accounts) masked, shortened. */
    public String shownReason() {
        return mask(reason);
    }

    /** The source id as the listing shows it: a fingerprint, since a source id may hold an account or a number. */
    public String shownSourceId() {
        return sourceId == null ? null : fingerprint(sourceId);
    }

    static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = REFERENCE_OR_NUMBER.matcher(EMAIL.matcher(text).replaceAll("<email>"))
                .replaceAll(m -> m.group(1) != null ? m.group(1) : "<number>");
        return masked.length() > SHOWN_REASON ? masked.substring(0, SHOWN_REASON) + "…" : masked;
    }

    static String fingerprint(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
