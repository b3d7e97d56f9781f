package org.complainthub.ops;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.complainthub.HubExchange;
import org.complainthub.channel.hotline.HotlineFiles;
import org.complainthub.channel.mail.EmailIntake;
import org.complainthub.channel.mail.FetchedMail;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.intake.BatchIntake;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Takes the payload of one quarantined message again, the way its channel took it the first time, with the mappings,
 * rules and settings the hub has now: a mail is decoded again (EmailIntake), a call-log row read again with its
 * format ({@link HotlineFiles#reread}), a webhook message taken through the social route (direct:social-take), and the
 * payload mapped, taken through the intake steps and dispatched (direct:quarantine-replay-intake, as the intake
 * Kamelet does). Under the source id the quarantined copy recorded: the dedup claims decide whether it is a new
 * complaint or one it already became.
 * <p>
 * It names the channels, which intake and dispatch may not (ArchitectureTest): the replay is an operator's tool on top
 * of every stage, like the {@code try} command. Failures are thrown: the caller ({@link QuarantineReplay}) tells a
 * refusal of the payload (quarantined again with the new reason) from a fault of the hub's own (left as it was).
 */
@Component
public class ReplayIntake {

    /** What became of a payload taken again: {@link Kind#COMPLAINT} and {@link Kind#DUPLICATE} name the complaint. */
    public record Taken(Kind kind, String complaintId, String note) {
    }

    public enum Kind {
        /** A new complaint, on its department queue. */
        COMPLAINT,
        /** Its source message had already become a complaint: nothing sent. */
        DUPLICATE,
        /** Not a complaint, as the channel now sees it (automated mail, a call the filter skips, a satisfaction score). */
        NOT_A_COMPLAINT,
        /** The channel refuses it again: the reason is the note. */
        REFUSED
    }

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final EmailIntake email;
    private final HotlineFiles hotline;
    private final String emailMapping;

    public ReplayIntake(CamelContext camel, EmailIntake email, HotlineFiles hotline,
                        @Value("${hub.email.mapping:email.jsonata}") String emailMapping) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.email = email;
        this.hotline = hotline;
        this.emailMapping = emailMapping;
    }

    Taken mail(QuarantinedMessage q, byte[] raw) throws Exception {
        FetchedMail mail = FetchedMail.fromQuarantine(raw, q.headersOnly());
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(HubExchange.MAIL, mail);
        exchange.getMessage().setBody(mail);
        Map<String, Object> payload = email.read(exchange);
        String outcome = exchange.getProperty(HubExchange.EMAIL_OUTCOME, String.class);
        if ("automated".equals(outcome)) {
            return new Taken(Kind.NOT_A_COMPLAINT, null, "automated mail (auto-reply, bounce or list mail): left alone");
        }
        if (!"complaint".equals(outcome)) {
            return new Taken(Kind.REFUSED, null, exchange.getProperty(HubExchange.EMAIL_REASON, String.class));
        }
        if (q.sourceId() != null) {
            payload.put("sourceId", q.sourceId());
        }
        return intake(payload, "email", emailMapping);
    }

    Taken callLogRow(QuarantinedMessage q, byte[] row) throws Exception {
        int line;
        try {
            line = Integer.parseInt(q.property("lineNumber"));
        } catch (NumberFormatException | NullPointerException e) {
            line = 1;
        }
        String format = q.property("hotlineFormat");
        Optional<BatchIntake.Item> item = hotline.reread(row, q.property("header"),
                "true".equals(q.property("encodingFromBom")), q.property("fileName"), line, format);
        if (item.isEmpty()) {
            return new Taken(Kind.NOT_A_COMPLAINT, null, "the format's filter does not take this call: skipped");
        }
        if (item.get().reason() != null) {
            return new Taken(Kind.REFUSED, null, item.get().reason());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> call = new LinkedHashMap<>((Map<String, Object>) item.get().payload());
        if (q.sourceId() != null && call.get("call") instanceof Map<?, ?> about) {
            @SuppressWarnings("unchecked")
            Map<String, Object> kept = new LinkedHashMap<>((Map<String, Object>) about);
            kept.put("sourceId", q.sourceId());
            call.put("call", kept);
        }
        return intake(call, "hotline", hotline.mappingOf(format));
    }

    Taken webhookMessage(QuarantinedMessage q, String json) throws Exception {
        Map<?, ?> message;
        try {
            message = RecordJson.MAPPER.readValue(json, Map.class);
        } catch (IOException e) {
            return new Taken(Kind.REFUSED, null, "the quarantined message is not a JSON object: " + e.getMessage());
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(HubExchange.WEBHOOK_PLATFORM, q.property("platform"));
        exchange.getMessage().setBody(new LinkedHashMap<>(message));
        Exchange done = producer.send("direct:social-take", exchange);
        rethrow(done);
        String outcome = done.getProperty(HubExchange.SOCIAL_OUTCOME, String.class);
        if ("satisfaction".equals(outcome)) {
            return new Taken(Kind.NOT_A_COMPLAINT, null, "a satisfaction score: recorded");
        }
        if ("unsatisfied".equals(outcome)) {
            return new Taken(Kind.NOT_A_COMPLAINT, null, "an unsatisfied reply to the thank-you: the complaint was reopened");
        }
        if ("duplicate".equals(outcome)) {
            return new Taken(Kind.NOT_A_COMPLAINT, null, "a satisfaction score recorded before");
        }
        return outcomeOf(done);
    }

    private Taken intake(Map<String, Object> payload, String channel, String mapping) throws Exception {
        if (mapping == null) {
            throw new IllegalStateException("no mapping for the " + channel + " channel's format");
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(HubExchange.CHANNEL, channel);
        exchange.setProperty(HubExchange.REPLAY_MAPPING, mapping);
        exchange.getMessage().setBody(payload);
        Exchange done = producer.send("direct:quarantine-replay-intake", exchange);
        rethrow(done);
        return outcomeOf(done);
    }

    private static Taken outcomeOf(Exchange done) {
        String duplicateOf = done.getProperty(HubExchange.DUPLICATE_OF, String.class);
        if (duplicateOf != null) {
            return new Taken(Kind.DUPLICATE, duplicateOf, "its source message is complaint " + duplicateOf + " already");
        }
        Complaint c = done.getMessage().getBody(Complaint.class);
        return new Taken(Kind.COMPLAINT, c.getId(), "queued for " + c.getDepartment());
    }

    private static void rethrow(Exchange done) throws Exception {
        if (done.getException() != null) {
            throw done.getException();
        }
    }
}
