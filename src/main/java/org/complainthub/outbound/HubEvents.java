package org.complainthub.outbound;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.complaint.RecordJson;
import org.complainthub.intake.SubmissionSchemas;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The two event streams between the hub and the desk (schemas in src/main/resources/schema): the desk's status events
 * on complaints.status (RESOLVED leads to a thank-you, CLOSED just closes), and the hub's events on
 * complaints.events (OVERDUE, SATISFACTION).
 */
@Component
public class HubEvents {

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

    /** A status event from the desk; the body becomes the thank-you request, or null when nothing is to be sent. */
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
        if (ledger.find(id).isEmpty()) {
            throw new IllegalArgumentException("status event for an unknown complaint " + id);
        }
        boolean changed = ledger.markResolved(id, (String) event.get("resolution"), (String) event.get("agent"),
                OffsetDateTime.now(clock));
        return changed && "RESOLVED".equals(event.get("status"))
                ? RecordJson.write(new OutboundRequest(id, OutboundRequest.Kind.THANKS)) : null;
    }

    /** Claims the complaints that just became overdue (each once, across nodes) and returns their ids. */
    public List<String> claimOverdue() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return ledger.overdue(now, 500).stream().filter(c -> ledger.markOverdue(c.complaintId(), now))
                .map(Contact::complaintId).toList();
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
        exchange.setProperty("hubInterim", interimGrades.contains(c.grade())
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

    public static void publish(Message m, Map<String, Object> event, Contact c) {
        m.removeHeaders("*");
        m.setHeader("event", event.get("type"));
        m.setHeader("complaintId", c.complaintId());
        m.setHeader("department", c.department());
        m.setBody(RecordJson.write(event));
    }

}
