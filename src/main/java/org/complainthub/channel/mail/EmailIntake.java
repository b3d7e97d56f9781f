package org.complainthub.channel.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.complaint.Complaint.Evidence;
import org.complainthub.complaint.RecordJson;
import org.complainthub.evidence.EvidenceStore;
import org.complainthub.intake.ComplaintValidator;
import org.complainthub.intake.HubFault;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.outbound.Contact;
import org.complainthub.outbound.ContactLedger;
import org.complainthub.outbound.OwnMessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Turns one fetched mail into the email channel's payload, or decides it is not a complaint: automated mail (counted
 * and logged with its reason; a bounce of our own acknowledgement marks the address undeliverable), an oversized or
 * undecodable mail (quarantined with the reason). A reply to an acknowledgement becomes a follow-up (threadOf).
 * The route reads {@link HubExchange#EMAIL_OUTCOME}: complaint, automated or quarantine.
 */
@Component
public class EmailIntake {

    private static final Logger LOG = LoggerFactory.getLogger(EmailIntake.class);
    private static final Pattern REFERENCE = Pattern.compile("C-\\d{8}-\\d{6,}");

    private final MailDecoder decoder = new MailDecoder();
    private final OwnMessageIds ownIds;
    /** One session for parsing: without one, Jakarta Mail looks its stream provider up on the class path per mail. */
    private final Session session = Session.getInstance(new Properties());
    private final AutomatedMail automated;
    private final Bounces bounces = new Bounces();
    private final EvidenceStore evidence;
    private final ContactLedger ledger;
    private final IntakeMetrics metrics;
    private final ComplaintValidator validator;
    private final Clock clock;
    private final long maxBytes;
    private final String ownMessageIdDomain;

    public EmailIntake(EvidenceStore evidence, ContactLedger ledger, OwnMessageIds ownIds, IntakeMetrics metrics,
                       ComplaintValidator validator, Clock clock,
                       @Value("${hub.email.max-bytes}") long maxBytes,
                       @Value("${hub.outbound.email.message-id-domain}") String ownMessageIdDomain) {
        this.evidence = evidence;
        this.ledger = ledger;
        this.ownIds = ownIds;
        this.metrics = metrics;
        this.validator = validator;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.ownMessageIdDomain = ownMessageIdDomain;
        this.automated = new AutomatedMail(ownMessageIdDomain);
    }

    public Map<String, Object> read(Exchange exchange) throws MessagingException, IOException {
        FetchedMail mail = exchange.getMessage().getBody(FetchedMail.class);
        if (mail.headersOnly() || mail.size() > maxBytes) {
            return quarantine(exchange, "larger than hub.email.max-bytes (" + mail.size() + " bytes)");
        }
        byte[] raw = mail.raw();
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(raw));
        Optional<AutomatedMail.Verdict> verdict = automated.classify(parsed);
        if (verdict.isPresent() || automated.suppressesAutoResponse(parsed)) {
            String reason = verdict.map(v -> v.kind() + ": " + v.reason()).orElse("AUTO_REPLY: X-Auto-Response-Suppress");
            if (verdict.isPresent() && verdict.get().kind() == AutomatedMail.Kind.BOUNCE) {
                markUndeliverable(parsed);
            }
            LOG.info("email: automated mail left alone ({})", reason);
            metrics.count("email", "automated");
            exchange.setProperty(HubExchange.EMAIL_OUTCOME, "automated");
            return null;
        }
        DecodedMail m;
        try {
            m = decoder.decode(raw, maxBytes);
        } catch (MailDecodingException e) {
            return quarantine(exchange, "cannot be decoded: " + e.getMessage());
        }
        // from here on the mail has its source id: a quarantined copy carries it, and a replay is taken under it
        exchange.setProperty(HubExchange.EMAIL_SOURCE_ID, sourceId(m));
        String threadOf = threadOf(m);
        List<Map<String, Object>> stored = new ArrayList<>();
        for (MailAttachment a : m.attachments()) {
            stored.add(asMap(keep(a.safeFileName(), a.contentType(), a.content())));
        }
        Evidence rawCopy = keep("mail.eml", "message/rfc822", raw);
        exchange.setProperty(HubExchange.EMAIL_OUTCOME, "complaint");
        return payload(m, threadOf, stored, rawCopy.location(), raw.length, validator::e164);
    }

    /**
     * What mappings/email.jsonata receives for a decoded mail: its attachments already stored (as evidence maps) and
     * the raw mail's location; {@code stated}: the phone (E.164, by {@code e164}) and order number the customer stated
     * in lines of their own ({@link StatedFields}). The {@code try} command builds it the same way, with evidence it does
     * not store.
     */
    public static Map<String, Object> payload(DecodedMail m, String threadOf, List<Map<String, Object>> attachments,
                                              String rawLocation, int rawSize, UnaryOperator<String> e164) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("sourceId", sourceId(m));
        payload.put("messageId", m.messageId());
        payload.put("from", Map.of("address", m.fromAddress() == null ? "" : m.fromAddress(),
                "name", m.fromName() == null ? "" : m.fromName()));
        payload.put("subject", m.subject());
        payload.put("text", m.text());
        payload.put("threadOf", threadOf);
        payload.put("stated", StatedFields.of(m.text(), e164));
        payload.put("attachments", attachments);
        payload.put("raw", Map.of("contentType", "message/rfc822", "location", rawLocation, "size", rawSize));
        return payload;
    }

    /** The mail's source id: its Message-ID and the hash of its content. */
    static String sourceId(DecodedMail m) {
        return m.messageId() + " " + contentHash(m);
    }

    /** The same mail in two folders or mailboxes has other Received headers but the same content: hash that. */
    static String contentHash(DecodedMail m) {
        StringBuilder sb = new StringBuilder();
        sb.append(m.fromAddress()).append('\n').append(m.subject()).append('\n').append(m.date()).append('\n').append(m.text());
        m.attachments().forEach(a -> sb.append('\n').append(a.sha256()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A reply to one of our messages: one of our Message-IDs in In-Reply-To/References, its tag verified (whoever holds
     * our mail may reply to it, as mail clients thread), or a reference in the subject, but only from that complaint's
     * own customer: references are numbered in sequence, so anyone could name another customer's.
     */
    String threadOf(DecodedMail m) {
        List<String> ids = new ArrayList<>(m.references());
        if (m.inReplyTo() != null) {
            ids.add(0, m.inReplyTo());
        }
        for (String id : ids) {
            Optional<String> ref = ownIds.reference(id);
            if (ref.isPresent() && ledger.find(ref.get()).isPresent()) {
                return ref.get();
            }
        }
        if (m.subject() != null && m.fromAddress() != null) {
            Matcher ref = REFERENCE.matcher(m.subject());
            while (ref.find()) {
                Optional<Contact> complaint = ledger.find(ref.group());
                if (complaint.isPresent() && m.fromAddress().equalsIgnoreCase(complaint.get().email())) {
                    return ref.group();
                }
            }
        }
        return null;
    }

    /**
     * A bounce is easy to forge (and an old one may name a complaint this hub never had): an address is marked only
     * when the bounced mail is one of ours about a complaint in the ledger, and the address is that complaint's.
     */
    private void markUndeliverable(MimeMessage bounce) {
        BounceReport report = bounces.parse(bounce);
        if (!report.aboutMailFrom(ownMessageIdDomain)) {
            return;
        }
        // the bounced Message-ID must be one we made (its tag verifies), about a complaint we have
        Optional<String> customer = report.originalMessageId().flatMap(ownIds::reference).flatMap(ledger::find)
                .map(Contact::email).filter(e -> e != null && !e.isBlank());
        int marked = 0;
        for (String address : report.failedRecipients()) {
            if (customer.isPresent() && customer.get().equalsIgnoreCase(address)) {
                ledger.markUndeliverable(address, "bounce of an acknowledgement", OffsetDateTime.now(clock));
                marked++;
            }
        }
        LOG.info("email: a bounce of our own mail marked {} of {} failed address(es) undeliverable", marked,
                report.failedRecipients().size());
    }

    /** The evidence store is the hub's own disk: a failure there is the hub's fault, never counted against the mail. */
    private Evidence keep(String fileName, String contentType, byte[] content) {
        try {
            return evidence.store(fileName, contentType, new ByteArrayInputStream(content), maxBytes);
        } catch (UncheckedIOException e) {
            throw new HubFault("the evidence store failed", e);
        }
    }

    private Map<String, Object> quarantine(Exchange exchange, String reason) {
        LOG.warn("email: a mail was quarantined: {}", reason);
        metrics.count("email", "quarantined");
        exchange.setProperty(HubExchange.EMAIL_OUTCOME, "quarantine");
        exchange.setProperty(HubExchange.EMAIL_REASON, reason);
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Evidence e) {
        return RecordJson.MAPPER.convertValue(e, Map.class);
    }
}
