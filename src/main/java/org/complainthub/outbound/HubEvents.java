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
import org.complainthub.complaint.SubmissionSchemas;
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
    private final SubmissionSchemas schemas;
    private final String statusSchema;
    private final List<String> interimGrades;

    public HubEvents(ContactLedger ledger, Clock clock, SubmissionSchemas schemas,
                     @Value("${hub.outbound.status-event-schema}") String statusSchema,
                     @Value("${hub.outbound.overdue.interim-message-grades}") List<String> interimGrades) {
        this.ledger = ledger;
        this.clock = clock;
        this.schemas = schemas;
        this.statusSchema = statusSchema;
        this.interimGrades = interimGrades;
    }

    /**
     * A status event from the desk, checked (an event the hub cannot use throws IllegalArgumentException or
     * SubmissionRejected: quarantined); the body becomes the thank-you request, with its duplicate-detection id
     * {@code thanks:<id>}, or null when nothing is to be sent. Nothing is marked here: {@link #markStatus} does, after
     * the request is queued, so a failure in between leaves the event to be handled again, and the broker drops the
     * second copy of the request.
     */
    public String statusEvent(Exchange exchange) {
        String json = exchange.getMessage().getBody(String.class);
        Map<?, ?> event;
        try {
            event = RecordJson.MAPPER.readValue(json, Map.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("status event is not JSON");
        }
        schemas.check(event, statusSchema);
        String id = (String) event.get("id");
        Contact c = ledger.find(id).orElseThrow(() -> new IllegalArgumentException("status event for an unknown complaint " + id));
        exchange.setProperty(HubExchange.STATUS_EVENT, event);
        exchange.getMessage().removeHeaders("*");
        if (c.resolved() || !"RESOLVED".equals(event.get("status"))) {
            return null;
        }
        exchange.getMessage().setHeader(DUPLICATE_ID, "thanks:" + id);
        return RecordJson.write(new OutboundRequest(id, OutboundRequest.Kind.THANKS));
    }

    /** After the thank-you request is queued (or none was due): the complaint is marked resolved. */
    public void markStatus(Exchange exchange) {
        Map<?, ?> event = exchange.getProperty(HubExchange.STATUS_EVENT, Map.class);
        ledger.markResolved((String) event.get("id"), (String) event.get("resolution"), (String) event.get("agent"),
                OffsetDateTime.now(clock));
    }

    /**
     * The complaints whose due time passed with no resolution and no OVERDUE event yet, oldest first. Not marked here:
     * {@link #markOverdue} does, after the event and the interim request are queued (duplicate-detection ids
     * {@code overdue:<id>}, {@code interim:<id>}), so a failure in between leaves them for the next check, and the
     * broker drops a second copy (another node's, or one sent before a failed mark).
     */
    public List<String> dueOverdue() {
        return ledger.overdue(OffsetDateTime.now(clock), 500).stream().map(Contact::complaintId).toList();
    }

    /** After the OVERDUE event (and the interim request) of the complaint in the exchange property went out. */
    public void markOverdue(Exchange exchange) {
        ledger.markOverdue(exchange.getProperty(HubExchange.OVERDUE_ID, String.class), OffsetDateTime.now(clock));
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
        exchange.getMessage().setHeader(DUPLICATE_ID, "overdue:" + c.complaintId());
        exchange.setProperty(HubExchange.OVERDUE_ID, c.complaintId());
        exchange.setProperty(HubExchange.INTERIM, interimGrades.contains(c.grade())
                ? RecordJson.write(new OutboundRequest(c.complaintId(), OutboundRequest.Kind.OVERDUE)) : null);
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
