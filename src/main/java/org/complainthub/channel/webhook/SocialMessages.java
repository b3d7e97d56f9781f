package org.complainthub.channel.webhook;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.dedup.SourceMessages;
import org.complainthub.intake.ComplaintValidator;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.outbound.Contact;
import org.complainthub.outbound.ContactLedger;
import org.complainthub.outbound.HubEvents;
import org.complainthub.outbound.UnsatisfiedReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * One customer message from a social platform, before and after the core pipeline: a lone digit 1-5 from an account
 * that was sent a thank-you is its satisfaction score, not a complaint; a message within the follow-up window of the
 * account's open complaint, or an edit of a message that became a complaint, is a follow-up (threadOf); media are
 * fetched into the evidence store. The route reads {@link HubExchange#SOCIAL_OUTCOME} (complaint or satisfaction) and {@link HubExchange#SOCIAL_CHANNEL}.
 */
@Component
public class SocialMessages {

    private static final Logger LOG = LoggerFactory.getLogger(SocialMessages.class);
    private static final int MAX_INLINE = 60_000;

    private final SourceMessages sources;
    private final SourceMessageBatch claims;
    private final TransactionTemplate tx;
    private final MediaFetcher media;
    private final HubEvents events;
    private final ContactLedger ledger;
    private final ComplaintValidator validator;
    private final WebhookSettings settings;
    private final IntakeMetrics metrics;
    private final Clock clock;

    public SocialMessages(SourceMessages sources, SourceMessageBatch claims, DataSource dataSource,
                          MediaFetcher media, HubEvents events, ContactLedger ledger, ComplaintValidator validator,
                          WebhookSettings settings, IntakeMetrics metrics, Clock clock) {
        this.sources = sources;
        this.claims = claims;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.media = media;
        this.events = events;
        this.ledger = ledger;
        this.validator = validator;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The neutral message (from the platform's mapping) ready for mappings/webhook-message.jsonata, or a score. */
    public Map<String, Object> prepare(Exchange exchange, String platform) {
        @SuppressWarnings("unchecked")
        Map<String, Object> msg = new LinkedHashMap<>(exchange.getMessage().getBody(Map.class));
        // as the platform's mapping gave it: what a quarantine keeps, to be taken again after a fix (QuarantineReplay)
        exchange.setProperty(HubExchange.SOCIAL_PAYLOAD, new LinkedHashMap<>(msg));
        String channel = text(msg.get("channel"));
        String handle = text(msg.get("handle"));
        if (channel == null || handle == null || text(msg.get("sourceId")) == null) {
            throw SubmissionRejected.of(400, "", "invalid", "the " + platform + " mapping gave a message without channel, handle or sourceId");
        }
        if (!settings.channels(platform).contains(channel)) { // hub.webhooks.<platform>.channels
            throw SubmissionRejected.of(400, "", "invalid", "the " + platform + " mapping gave a message of channel " + channel
                    + ", which is not one of hub.webhooks." + platform + ".channels");
        }
        exchange.setProperty(HubExchange.SOCIAL_CHANNEL, channel);
        exchange.setProperty(HubExchange.SOCIAL_MESSAGE, raw(msg));
        String body = text(msg.get("text"));
        Optional<Integer> score = score(body);
        if (score.isPresent()) {
            Optional<Contact> thanked = ledger.awaitingScore(channel, handle);
            if (thanked.isPresent()) {
                if (answersTheThankYou(exchange, channel, msg, thanked.get(), "satisfaction")) {
                    exchange.setProperty(HubExchange.SOCIAL_EVENT, events.satisfactionEvent(thanked.get(), score.get(), null));
                }
                return msg;
            }
        }
        if (score.isEmpty() && UnsatisfiedReplies.says(body)) {
            // a reply to the thank-you saying the customer is not satisfied: the complaint is reopened (the reply's
            // words go with the REOPENED event), and the reply is claimed like a score (a platform's retry: duplicate)
            Optional<Contact> thanked = ledger.awaitingScore(channel, handle);
            if (thanked.isPresent()) {
                if (!answersTheThankYou(exchange, channel, msg, thanked.get(), "unsatisfied")) {
                    return msg;
                }
                String words = body.strip();
                events.reopen(exchange, thanked.get().complaintId(), "unsatisfied reply: "
                        + words.substring(0, Math.min(900, words.length())), null, "reply");
                return msg;
            }
        }
        exchange.setProperty(HubExchange.SOCIAL_OUTCOME, "complaint");
        OffsetDateTime now = OffsetDateTime.now(clock);
        String threadOf = null;
        if (text(msg.get("editOf")) != null) {
            threadOf = sources.complaintOf(channel, text(msg.get("editOf"))).orElse(null);
        }
        // without threadOf, whether the account's open complaint makes this a follow-up is decided by dispatch with the
        // group it is committed in (one lookup for the group), within the window WebhookFollowUps registers
        msg.put("threadOf", threadOf);
        if (msg.get("phone") instanceof String phone && validator.e164(phone) == null) {
            msg.remove("phone"); // a platform id that is not a callable number stays the handle only
        }
        List<String> notes = new ArrayList<>();
        if (msg.get("media") instanceof List<?> list && !list.isEmpty()) {
            MediaFetcher.Fetched fetched = media.fetch(platform, list);
            msg.put("evidence", fetched.stored().stream().map(e -> RecordJson.MAPPER.convertValue(e, Map.class)).toList());
            fetched.stored().forEach(e -> notes.add("[" + e.contentType() + ": " + e.fileName() + "]"));
            fetched.failed().forEach(t -> notes.add("[" + t + " could not be fetched; see raw]"));
        }
        if (body == null || body.isBlank()) {
            msg.put("text", notes.isEmpty() ? "[" + text(msg.getOrDefault("kind", "message")) + " without text]" : String.join(" ", notes));
        }
        String rawJson = exchange.getProperty(HubExchange.SOCIAL_MESSAGE, String.class);
        msg.put("raw", rawJson.length() <= MAX_INLINE
                ? Map.of("contentType", "application/json", "inline", rawJson, "size", rawJson.length())
                : Map.of("contentType", "application/json", "size", rawJson.length()));
        return msg;
    }

    /**
     * After the complaint was dispatched (its account's thread was written with it:
     * {@link org.complainthub.dispatch.AccountThreads#dispatched}) or found to be a duplicate: the count.
     */
    public Complaint dispatched(Exchange exchange) {
        Complaint c = exchange.getMessage().getBody(Complaint.class);
        metrics.count(c.getChannel(), exchange.getProperty(HubExchange.DUPLICATE_OF) != null ? "duplicate" : "accepted");
        return c;
    }

    /** A message seen before (a platform's retry of a score already recorded): counted, nothing sent. */
    public void duplicate(Exchange exchange) {
        String channel = exchange.getProperty(HubExchange.SOCIAL_CHANNEL, String.class);
        LOG.info("{}: a satisfaction score delivered again: not taken twice", channel);
        metrics.count(channel, "duplicate");
    }

    /**
     * The SATISFACTION event as the JMS message for complaints.events. Its duplicate-detection id is the complaint's: a
     * score sent again after the send and before the mark (a retry after a failed mark) is dropped by the broker.
     */
    @SuppressWarnings("unchecked")
    public void satisfactionEvent(Exchange exchange) {
        Contact c = exchange.getProperty(HubExchange.SOCIAL_CONTACT, Contact.class);
        HubEvents.publish(exchange.getMessage(), exchange.getProperty(HubExchange.SOCIAL_EVENT, Map.class), c);
        // one per complaint and round: a reopened complaint is asked again after its next resolution
        int round = ledger.round(c.complaintId());
        exchange.getMessage().setHeader("_AMQ_DUPL_ID", "satisfaction:" + c.complaintId() + (round == 0 ? "" : ":" + round));
    }

    /**
     * After the event is on the broker: the score in the ledger, so a second digit is a message again, and the digit's
     * source message marked dispatched, so the platform's retry of it is a duplicate. One transaction: a failure leaves
     * neither, and the retry sends the event again (dropped by the broker as a duplicate) and marks.
     */
    public void satisfactionRecorded(Exchange exchange) {
        Contact c = exchange.getProperty(HubExchange.SOCIAL_CONTACT, Contact.class);
        Integer score = (Integer) exchange.getProperty(HubExchange.SOCIAL_EVENT, Map.class).get("score");
        Complaint claim = exchange.getProperty(HubExchange.SOCIAL_SCORE_CLAIM, Complaint.class);
        tx.executeWithoutResult(status -> {
            ledger.recordSatisfaction(c.complaintId(), score, OffsetDateTime.now(clock));
            claims.dispatched(new SourceMessageBatch.Claimed(List.of(), Map.of(), null, List.of(claim)));
        });
        LOG.info("{}: satisfaction score {} recorded for complaint {}", c.channel(), score, c.complaintId());
        metrics.count(c.channel(), "satisfaction");
    }

    /**
     * After the REOPENED status event of an unsatisfied reply is on the broker: the reply's source message marked
     * dispatched, so the platform's retry of it is a duplicate (a retry before the mark sends the event again: dropped
     * by the broker as a duplicate).
     */
    public void unsatisfiedRecorded(Exchange exchange) {
        Contact c = exchange.getProperty(HubExchange.SOCIAL_CONTACT, Contact.class);
        Complaint claim = exchange.getProperty(HubExchange.SOCIAL_SCORE_CLAIM, Complaint.class);
        claims.dispatched(new SourceMessageBatch.Claimed(List.of(), Map.of(), null, List.of(claim)));
        LOG.info("{}: an unsatisfied reply reopens complaint {}", c.channel(), c.complaintId());
        metrics.count(c.channel(), "unsatisfied");
    }

    /**
     * Quarantine of one message the pipeline refused: the neutral message as the platform's mapping gave it (its
     * platform event inside, under "event"), the reason, and what the quarantine replay needs to take it again: the
     * platform (payloadKind webhook-message) and its source id.
     */
    public void quarantine(Exchange exchange, String platform) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String channel = exchange.getProperty(HubExchange.SOCIAL_CHANNEL, platform, String.class);
        Object payload = exchange.getProperty(HubExchange.SOCIAL_PAYLOAD);
        LOG.warn("{}: a message was quarantined: {}", channel, e == null ? "" : e.getMessage());
        metrics.count(channel, "quarantined");
        var m = exchange.getMessage();
        Object body = payload != null ? payload : m.getBody();
        m.removeHeaders("*");
        m.setHeader("reason", "not a complaint the hub can take: " + (e == null ? "" : e.getMessage()));
        m.setHeader("channel", channel);
        m.setHeader("payloadKind", "webhook-message");
        m.setHeader("platform", platform);
        if (body instanceof Map<?, ?> fields && text(fields.get("sourceId")) != null) {
            m.setHeader("sourceId", text(fields.get("sourceId")));
        }
        m.setBody(RecordJson.write(body));
    }

    /**
     * A reply to the thank-you (a score, or words of dissatisfaction), claimed like any message so a platform's retry is
     * a duplicate, not a complaint: false when it was one (outcome "duplicate"), else the outcome and the contact are set.
     */
    private boolean answersTheThankYou(Exchange exchange, String channel, Map<String, Object> msg, Contact thanked,
                                       String outcome) {
        Complaint claim = scoreClaim(channel, text(msg.get("sourceId")), thanked.complaintId());
        if (sources.claim(claim) != null) {
            exchange.setProperty(HubExchange.SOCIAL_OUTCOME, "duplicate");
            return false;
        }
        exchange.setProperty(HubExchange.SOCIAL_SCORE_CLAIM, claim);
        exchange.setProperty(HubExchange.SOCIAL_OUTCOME, outcome);
        exchange.setProperty(HubExchange.SOCIAL_CONTACT, thanked);
        return true;
    }

    /** A score's source message as a claim: it names the complaint the score is for. */
    private Complaint scoreClaim(String channel, String sourceId, String complaintId) {
        Complaint claim = new Complaint();
        OffsetDateTime now = OffsetDateTime.now(clock);
        claim.setId(complaintId);
        claim.setChannel(channel);
        claim.setSourceId(sourceId);
        claim.setReceivedAt(now);
        claim.setDueAt(now);
        return claim;
    }

    static Optional<Integer> score(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.length() != 1) {
            return Optional.empty();
        }
        int v = Character.getNumericValue(t.charAt(0)); // 1-5 and the full-width １-５ a Chinese keyboard types
        return Character.isDigit(t.charAt(0)) && v >= 1 && v <= 5 ? Optional.of(v) : Optional.empty();
    }

    /** The platform's own event for this message (the mapping's "event"), else the neutral message itself. */
    private static String raw(Map<String, Object> msg) {
        Object event = msg.remove("event");
        return RecordJson.write(event != null ? event : msg);
    }

    private static String text(Object o) {
        return o == null ? null : o instanceof String s ? (s.isBlank() ? null : s) : String.valueOf(o);
    }
}
