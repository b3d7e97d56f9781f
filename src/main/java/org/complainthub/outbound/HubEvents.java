package org.complainthub.outbound;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.HubExchange;
import org.complainthub.complaint.RecordJson;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The two event streams between the hub and the desk (schemas in src/main/resources/schema): the desk's status events
 * on complaints.status (RESOLVED leads to a thank-you, CLOSED just closes), and the hub's events on
 * complaints.events (OVERDUE, SATISFACTION, and REPEAT: sent by dispatch with the repeat complaint itself).
 */
@Component
public class HubEvents {

    /** Artemis' duplicate-detection id (the broker drops a second message with the same id on an address). */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final ContactLedger ledger;
    private final Clock clock;
    private final List<String> interimGrades;
    private final int reopenAt;

    public HubEvents(ContactLedger ledger, Clock clock,
                     @Value("${hub.outbound.overdue.interim-message-grades}") List<String> interimGrades,
                     @Value("${hub.followup.reopen-at:2}") int reopenAt) {
        this.ledger = ledger;
        this.clock = clock;
        this.interimGrades = interimGrades;
        this.reopenAt = reopenAt;
    }

    /**
     * The complaints whose due time passed with no resolution and no OVERDUE event yet, oldest first. Not marked here:
     * {@link #markOverdue} does, after the event and the interim request are queued (duplicate-detection ids
     * {@code overdue:<id>}, {@code interim:<id>}; after a reopening {@code overdue:<id>:<round>} ...), so a failure in between leaves them for the next check, and the
     * broker drops a second copy (another node's, or one sent before a failed mark).
     */
    public List<String> dueOverdue() {
        return ledger.overdue(OffsetDateTime.now(clock), 500).stream().map(Contact::complaintId).toList();
    }

    /** After the OVERDUE event (and the interim request) of the complaint in the exchange property went out. */
    public void markOverdue(Exchange exchange) {
        String id = exchange.getProperty(HubExchange.OVERDUE_ID, String.class);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", "OVERDUE");
        ledger.find(id).ifPresent(c -> detail.put("dueAt", c.dueAt().atZoneSameInstant(clock.getZone()).toOffsetDateTime()));
        ledger.markOverdue(id, OffsetDateTime.now(clock), detail);
    }

    /**
     * After a SATISFACTION event went out (the body: its JSON): when the score is at or below hub.followup.reopen-at, the
     * REOPENED status event for complaints.status in {@link HubExchange#REOPEN_EVENT} (with its duplicate-detection id
     * in {@link HubExchange#REOPEN_ID}: one per complaint and round), else null. Queued before the score is recorded:
     * a failure in between sends it again, and the broker drops the copy.
     */
    public void reopenIfUnsatisfied(Exchange exchange) {
        exchange.setProperty(HubExchange.REOPEN_EVENT, null);
        Map<?, ?> event;
        try {
            event = RecordJson.MAPPER.readValue(exchange.getMessage().getBody(String.class), Map.class);
        } catch (Exception e) {
            throw new IllegalStateException("the SATISFACTION event just sent is not JSON", e);
        }
        if (event.get("score") instanceof Integer score && score <= reopenAt) {
            reopen(exchange, (String) event.get("id"), "satisfaction score " + score, score, (String) event.get("source"));
        }
    }

    /** The REOPENED status event of a complaint whose customer is not satisfied, into the exchange (see above). */
    public void reopen(Exchange exchange, String complaintId, String reason, Integer score, String source) {
        Map<String, Object> reopen = new LinkedHashMap<>();
        reopen.put("id", complaintId);
        reopen.put("status", "REOPENED");
        reopen.put("reason", reason);
        if (score != null) {
            reopen.put("score", score);
        }
        if (source != null) {
            reopen.put("source", source);
        }
        reopen.put("at", OffsetDateTime.now(clock));
        exchange.setProperty(HubExchange.REOPEN_EVENT, RecordJson.write(reopen));
        exchange.setProperty(HubExchange.REOPEN_ID, "reopen-request:" + complaintId + ":" + (ledger.round(complaintId) + 1));
    }

    /** The OVERDUE event for one complaint, as body and JMS properties. */
    public void overdueEvent(Exchange exchange) {
        Contact c = ledger.find(exchange.getMessage().getBody(String.class)).orElseThrow();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "OVERDUE");
        event.put("id", c.complaintId());
        event.put("at", OffsetDateTime.now(clock));
        event.put("dueAt", c.dueAt().atZoneSameInstant(clock.getZone()).toOffsetDateTime());
        event.put("grade", c.grade());
        event.put("department", c.department());
        publish(exchange.getMessage(), event, c);
        // one per complaint and round: a reopened complaint (ledger round n > 0) may be overdue again
        int round = ledger.round(c.complaintId());
        String key = round == 0 ? c.complaintId() : c.complaintId() + ":" + round;
        exchange.getMessage().setHeader(DUPLICATE_ID, "overdue:" + key);
        exchange.setProperty(HubExchange.OVERDUE_ID, c.complaintId());
        exchange.setProperty(HubExchange.OVERDUE_KEY, key);
        exchange.setProperty(HubExchange.INTERIM, interimGrades.contains(c.grade())
                ? RecordJson.write(new OutboundRequest(c.complaintId(), OutboundRequest.Kind.OVERDUE,
                        round == 0 ? null : String.valueOf(round))) : null);
    }

    /** The SATISFACTION event, or a 400-style error list when the answer is not a score 1-5. */
    public Map<String, Object> satisfactionEvent(Contact c, int score, String comment) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "SATISFACTION");
        event.put("id", c.complaintId());
        event.put("at", OffsetDateTime.now(clock));
        event.put("score", score);
        if (comment != null && !comment.isBlank()) {
            event.put("comment", comment.strip());
        }
        event.put("department", c.department());
        return event;
    }

    /**
     * The REPEAT event of a repeat complaint (sent by dispatch with the complaint): the repeat and the earlier complaint
     * it repeats, the channel of each, where it is handled now and its raised grade.
     */
    public static Map<String, Object> repeatEvent(org.complainthub.complaint.Complaint c, String first, String firstChannel) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REPEAT");
        event.put("id", c.getId());
        event.put("at", c.getReceivedAt());
        event.put("first", first);
        event.put("channel", c.getChannel());
        event.put("firstChannel", firstChannel);
        event.put("department", c.getDepartment());
        event.put("grade", c.getGrade().name());
        return event;
    }

    public static void publish(Message m, Map<String, Object> event, Contact c) {
        m.removeHeaders("*");
        m.setHeader("event", event.get("type"));
        m.setHeader("complaintId", c.complaintId());
        m.setHeader("department", c.department());
        m.setBody(RecordJson.write(event));
    }

}
