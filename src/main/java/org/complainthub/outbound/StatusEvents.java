package org.complainthub.outbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.broker.DepartmentNames;
import org.complainthub.classify.GradeTimeLimits;
import org.complainthub.complaint.Grade;
import org.complainthub.complaint.RecordJson;
import org.complainthub.complaint.SubmissionSchemas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The desk's status events on complaints.status (schema status-event.schema.json), the desk's loop of issue 18:
 * <ul>
 * <li>IN_PROGRESS: a progress note (handler 经办人, supervisor 主管) kept with the complaint and shown on its status page;
 * with notify=true also sent to the customer (PROGRESS message).</li>
 * <li>REASSIGNED: the complaint moves to another department: its record (as dispatched, from complaint_history) goes
 * on the new department's queue (the broker copies it to the desk's) with reassignedFrom; the contact ledger's
 * department changes, and with it where follow-ups and repeats go (dispatch reads it there).</li>
 * <li>RESOLVED: a thank-you with the satisfaction question (one per round: a reopened complaint is thanked again);
 * CLOSED: done without one.</li>
 * <li>REOPENED (from the hub itself, after a low score or an unsatisfied reply, or from the desk): the complaint is open
 * again, one grade higher with a new due time, back on its department's queue and on complaints.escalations, a
 * REOPENED event for the desk, and a message to the customer.</li>
 * </ul>
 * Send, then mark: {@link #decide} only reads and returns the messages to queue, each with a duplicate-detection id
 * made from the complaint and its round (so an event handled again before the mark queues copies the broker drops);
 * {@link #mark} then changes the ledger and keeps the complaint_event row, in one transaction, once per event key (so
 * an event handled again after the mark, on this node or another, changes nothing and sends nothing: decide sees it
 * done). An event the hub cannot use throws IllegalArgumentException or SubmissionRejected: quarantined with the reason.
 */
@Component
public class StatusEvents {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.outbound");

    /** One message to queue: where, its body, its JMS properties (the duplicate-detection id among them). */
    public record Outgoing(String queue, String body, Map<String, String> properties) {
    }

    /** What {@link #mark} does after the sends: the change, and the event row that makes it once. */
    public record Change(String type, String complaintId, ComplaintHistory.Event event, String department, Grade grade,
                         OffsetDateTime dueAt, int round, String resolution, String agent) {
    }

    private final ContactLedger ledger;
    private final ComplaintHistory history;
    private final SubmissionSchemas schemas;
    private final Clock clock;
    private final String statusSchema;
    private final ObjectProvider<DepartmentNames> departments;
    private final ObjectProvider<GradeTimeLimits> limits;
    private final String departmentPrefix;
    private final String escalationsQueue;
    private final String eventsQueue;
    private final String outboundQueue;

    public StatusEvents(ContactLedger ledger, ComplaintHistory history, SubmissionSchemas schemas, Clock clock,
                        @Value("${hub.outbound.status-event-schema}") String statusSchema,
                        ObjectProvider<DepartmentNames> departments, ObjectProvider<GradeTimeLimits> limits,
                        @Value("${hub.queues.department-prefix}") String departmentPrefix,
                        @Value("${hub.queues.escalations:complaints.escalations}") String escalationsQueue,
                        @Value("${hub.queues.events}") String eventsQueue,
                        @Value("${hub.queues.outbound-send}") String outboundQueue) {
        this.ledger = ledger;
        this.history = history;
        this.schemas = schemas;
        this.clock = clock;
        this.statusSchema = statusSchema;
        this.departments = departments;
        this.limits = limits;
        this.departmentPrefix = departmentPrefix;
        this.escalationsQueue = escalationsQueue;
        this.eventsQueue = eventsQueue;
        this.outboundQueue = outboundQueue;
    }

    /** The key of an IN_PROGRESS event whose note a PROGRESS message carries (tag: 7 hex digits of the event). */
    public static String progressKey(String complaintId, String tag) {
        return "IN_PROGRESS:" + complaintId + ":" + tag;
    }

    /**
     * Checks the event and decides what it changes: the body becomes the list of {@link Outgoing} messages to queue
     * (empty when nothing is due, e.g. an event handled before), the change waits in {@link HubExchange#STATUS_CHANGE}
     * (null: nothing to mark).
     */
    public List<Outgoing> decide(Exchange exchange) {
        String json = exchange.getMessage().getBody(String.class);
        Map<String, Object> event;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = RecordJson.MAPPER.readValue(json, Map.class);
            event = read;
        } catch (Exception e) {
            throw new IllegalArgumentException("status event is not JSON");
        }
        if (event == null) {
            throw new IllegalArgumentException("status event is not a JSON object");
        }
        schemas.check(event, statusSchema);
        String id = (String) event.get("id");
        Contact c = ledger.find(id).orElseThrow(() -> new IllegalArgumentException("status event for an unknown complaint " + id));
        exchange.getMessage().removeHeaders("*");
        exchange.setProperty(HubExchange.STATUS_EVENT, event);
        exchange.setProperty(HubExchange.STATUS_CHANGE, null);
        String status = (String) event.get("status");
        List<Outgoing> out = new ArrayList<>();
        Change change = switch (status) {
            case "RESOLVED", "CLOSED" -> resolved(c, status, event, out);
            case "IN_PROGRESS" -> progress(c, event, json, out);
            case "REASSIGNED" -> reassigned(c, event, out);
            case "REOPENED" -> reopened(c, event, out);
            default -> throw new IllegalArgumentException("status " + status + " is not handled"); // the schema's enum
        };
        exchange.setProperty(HubExchange.STATUS_CHANGE, change);
        return out;
    }

    /** One message of the list: its body and JMS properties, and its queue in {@link HubExchange#STATUS_SEND_TO}. */
    public void outgoing(Exchange exchange) {
        Outgoing o = exchange.getMessage().getBody(Outgoing.class);
        exchange.getMessage().removeHeaders("*");
        o.properties().forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(o.body());
        exchange.setProperty(HubExchange.STATUS_SEND_TO, o.queue());
    }

    /** After the messages are queued: the ledger changed and the event kept, once (see the class comment). */
    public void mark(Exchange exchange) {
        Change ch = exchange.getProperty(HubExchange.STATUS_CHANGE, Change.class);
        if (ch == null) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        boolean changed = switch (ch.type()) {
            case "RESOLVED", "CLOSED" -> ledger.markResolved(ch.complaintId(), ch.type().equals("RESOLVED") ? Contact.RESOLVED
                    : Contact.CLOSED, ch.resolution(), ch.agent(), now, ch.event());
            case "IN_PROGRESS" -> ledger.keep(ch.event());
            case "REASSIGNED" -> ledger.reassign(ch.complaintId(), ch.department(), ch.event());
            case "REOPENED" -> ledger.reopen(ch.complaintId(), ch.round(), ch.grade().name(), ch.dueAt(), ch.event());
            default -> false;
        };
        if (changed) {
            LOG.info("status event {} of complaint {} handled ({})", ch.type(), ch.complaintId(), ch.event().key());
        }
    }

    private Change resolved(Contact c, String status, Map<String, Object> event, List<Outgoing> out) {
        if (c.resolved()) {
            return null; // handled before (or resolved twice): nothing more
        }
        int round = ledger.round(c.complaintId());
        if (status.equals("RESOLVED")) {
            // the first round's thank-you keeps its id of old (thanks:<id>); a reopened complaint's next one is distinct
            String tag = round == 0 ? null : String.valueOf(round);
            out.add(new Outgoing(outboundQueue, RecordJson.write(new OutboundRequest(c.complaintId(), OutboundRequest.Kind.THANKS, tag)),
                    Map.of(HubEvents.DUPLICATE_ID, round == 0 ? "thanks:" + c.complaintId() : "thanks:" + c.complaintId() + ":" + round)));
        }
        return new Change(status, c.complaintId(), event(status + ":" + c.complaintId() + ":" + round, c, status, event),
                null, null, null, round, (String) event.get("resolution"), (String) event.get("agent"));
    }

    private Change progress(Contact c, Map<String, Object> event, String json, List<Outgoing> out) {
        String tag = tag(event.get("eventId") != null ? "eventId:" + event.get("eventId") : json);
        String key = progressKey(c.complaintId(), tag);
        if (history.has(key)) {
            return null;
        }
        if (Boolean.TRUE.equals(event.get("notify")) && !c.resolved()) {
            out.add(new Outgoing(outboundQueue, RecordJson.write(new OutboundRequest(c.complaintId(), OutboundRequest.Kind.PROGRESS, tag)),
                    Map.of(HubEvents.DUPLICATE_ID, "progress:" + c.complaintId() + ":" + tag)));
        }
        return new Change("IN_PROGRESS", c.complaintId(), event(key, c, "IN_PROGRESS", event), null, null, null, 0, null, null);
    }

    private Change reassigned(Contact c, Map<String, Object> event, List<Outgoing> out) {
        String to = (String) event.get("department");
        DepartmentNames known = departments.getIfAvailable();
        if (known == null || !known.departments().contains(to)) {
            throw new IllegalArgumentException("REASSIGNED to an unknown department " + to);
        }
        if (to.equals(c.department())) {
            return null; // there already: handled before (or a move to where it is)
        }
        if (c.resolved()) {
            throw new IllegalArgumentException("REASSIGNED: complaint " + c.complaintId() + " is resolved or closed (reopen it first)");
        }
        ObjectNode record = record(c.complaintId());
        int n = history.count(c.complaintId(), "REASSIGNED") + 1;
        record.put("department", to);
        record.put("reassignedFrom", c.department());
        // where it stands now (a reopening may have raised its grade since it was dispatched)
        record.put("grade", c.grade());
        record.put("dueAt", RecordJson.MAPPER.valueToTree(c.dueAt().atZoneSameInstant(clock.getZone()).toOffsetDateTime()).asText());
        Map<String, String> props = properties(record);
        props.put("reassignedFrom", c.department());
        props.put(HubEvents.DUPLICATE_ID, "reassign:" + c.complaintId() + ":" + n);
        out.add(new Outgoing(departmentPrefix + to, RecordJson.write(record), props));
        Map<String, Object> detail = new LinkedHashMap<>(event);
        detail.put("from", c.department());
        detail.put("to", to);
        return new Change("REASSIGNED", c.complaintId(), event("REASSIGNED:" + c.complaintId() + ":" + n, c, "REASSIGNED", detail),
                to, null, null, 0, null, null);
    }

    private Change reopened(Contact c, Map<String, Object> event, List<Outgoing> out) {
        if (Contact.REOPENED.equals(c.status())) {
            return null; // handled before (a second unhappy reply in the same round changes nothing either)
        }
        if (!c.resolved()) {
            throw new IllegalArgumentException("REOPENED: complaint " + c.complaintId() + " is not resolved");
        }
        int round = ledger.round(c.complaintId()) + 1;
        Grade raised = Grade.valueOf(c.grade()).ordinal() == 0 ? Grade.A : Grade.values()[Grade.valueOf(c.grade()).ordinal() - 1];
        // to the millisecond: the ledger keeps microseconds, and the record and the ledger say the same due time
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        GradeTimeLimits l = limits.getIfAvailable();
        Duration limit = l == null || l.timeLimit(raised) == null ? Duration.between(c.receivedAt(), c.dueAt()) : l.timeLimit(raised);
        OffsetDateTime due = now.plus(limit);
        ObjectNode record = record(c.complaintId());
        record.put("department", c.department());
        record.put("grade", raised.name());
        record.put("dueAt", RecordJson.MAPPER.valueToTree(due).asText());
        record.put("reopened", round);
        Map<String, String> props = properties(record);
        props.put("reopened", String.valueOf(round));
        Map<String, String> toDepartment = new LinkedHashMap<>(props);
        toDepartment.put(HubEvents.DUPLICATE_ID, "reopen:" + c.complaintId() + ":" + round);
        out.add(new Outgoing(departmentPrefix + c.department(), RecordJson.write(record), toDepartment));
        // management's copy (DOMAIN.md 1.9: an unsatisfied customer's complaint is escalated), as for a repeat
        Map<String, String> toManagement = new LinkedHashMap<>(props);
        toManagement.put(HubEvents.DUPLICATE_ID, "reopen-escalation:" + c.complaintId() + ":" + round);
        out.add(new Outgoing(escalationsQueue, RecordJson.write(record), toManagement));
        Map<String, Object> hubEvent = new LinkedHashMap<>();
        hubEvent.put("type", "REOPENED");
        hubEvent.put("id", c.complaintId());
        hubEvent.put("at", now);
        hubEvent.put("round", round);
        hubEvent.put("reason", event.getOrDefault("reason", "not satisfied"));
        if (event.get("score") != null) {
            hubEvent.put("score", event.get("score"));
        }
        if (event.get("source") != null) {
            hubEvent.put("source", event.get("source"));
        }
        hubEvent.put("department", c.department());
        hubEvent.put("grade", raised.name());
        hubEvent.put("dueAt", due);
        out.add(new Outgoing(eventsQueue, RecordJson.write(hubEvent), Map.of("event", "REOPENED", "complaintId", c.complaintId(),
                "department", c.department(), HubEvents.DUPLICATE_ID, "reopened:" + c.complaintId() + ":" + round)));
        out.add(new Outgoing(outboundQueue, RecordJson.write(new OutboundRequest(c.complaintId(), OutboundRequest.Kind.REOPENED,
                String.valueOf(round))), Map.of(HubEvents.DUPLICATE_ID, "reopened-message:" + c.complaintId() + ":" + round)));
        return new Change("REOPENED", c.complaintId(), event("REOPENED:" + c.complaintId() + ":" + round, c, "REOPENED", hubEvent),
                null, raised, due, round, null, null);
    }

    /** The record as dispatched, to queue it again. */
    private ObjectNode record(String complaintId) {
        String json = history.record(complaintId).orElseThrow(() -> new IllegalArgumentException("complaint " + complaintId
                + " has no record kept (dispatched before the complaint history was kept): it cannot be queued again"));
        try {
            return (ObjectNode) RecordJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("the kept record of " + complaintId + " is not JSON", e);
        }
    }

    /** The JMS properties of a dispatched record (as dispatch sets them): complaintId, department, grade, type, channel. */
    private static Map<String, String> properties(ObjectNode record) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String name : List.of("department", "grade", "type", "channel")) {
            p.put(name, record.path(name).asText());
        }
        p.put("complaintId", record.path("id").asText());
        return p;
    }

    private ComplaintHistory.Event event(String key, Contact c, String type, Map<String, Object> detail) {
        // at: when the hub handled it (the desk's own time, if it gave one, stays in the detail)
        return new ComplaintHistory.Event(key, c.complaintId(), type, OffsetDateTime.now(clock), null, null,
                (String) detail.get("agent"), detail);
    }

    /** 7 hex digits of the SHA-256 of the text: what tells two progress notes of a complaint apart. */
    private static String tag(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
