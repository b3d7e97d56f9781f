package org.complainthub.dispatch;

import static org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.outbound.HubEvents;
import org.complainthub.outbound.OutboundGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Puts a batch of complaint records on their department queues (and refused items on the quarantine queue) in one JMS
 * transaction, persistent, each with its reference number as the broker's duplicate-detection id. The message carries
 * the record and the properties complaintId, department, grade, type and channel (strings), nothing else. In the same
 * transaction: the acknowledgement request of each new complaint a configured transport reaches, on
 * complaints.outbound.send (duplicate-detection id "ack:" and the reference). A repeat complaint ({@link
 * RepeatComplaints}) also carries the property repeat=true, and in the same transaction a copy goes to
 * complaints.escalations (management's queue; duplicate-detection id "escalation:" and the reference) and a REPEAT
 * event to complaints.events ("repeat:" and the reference).
 */
@Component
public class BrokerBatch {

    /** An item its channel or intake refused, for the quarantine queue: its raw bytes, string properties and why. */
    public interface Refused {
        byte[] raw();

        Map<String, String> properties();

        String reason();
    }

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    private final ConnectionFactory connections;
    private final OutboundGuard guard;
    private final String departmentPrefix;
    private final String quarantineQueue;
    private final String outboundQueue;
    private final String escalationsQueue;
    private final String eventsQueue;

    public BrokerBatch(ConnectionFactory connections, OutboundGuard guard,
                       @Value("${hub.queues.department-prefix}") String departmentPrefix,
                       @Value("${hub.queues.quarantine}") String quarantineQueue,
                       @Value("${hub.queues.outbound-send}") String outboundQueue,
                       @Value("${hub.queues.escalations:complaints.escalations}") String escalationsQueue,
                       @Value("${hub.queues.events}") String eventsQueue) {
        this.connections = connections;
        this.guard = guard;
        this.departmentPrefix = departmentPrefix;
        this.quarantineQueue = quarantineQueue;
        this.outboundQueue = outboundQueue;
        this.escalationsQueue = escalationsQueue;
        this.eventsQueue = eventsQueue;
    }

    /**
     * Everything in one local transaction: the batch is on the broker as a whole, or not at all. A broker refuses a
     * whole transaction that holds a message it has seen (duplicate detection): that happens when a batch is taken
     * again after a crash between the commit and the bookkeeping, or when refused lines are read again. Then the batch
     * is sent message by message, and the broker drops just the copies.
     */
    public void send(List<Complaint> complaints, List<String> records, List<? extends Refused> refused, String channel) throws JMSException {
        send(complaints, records, refused, channel, Map.of());
    }

    /** As {@link #send(List, List, List, String)}, with the repeats among the complaints (escalated). */
    public void send(List<Complaint> complaints, List<String> records, List<? extends Refused> refused, String channel,
                     Map<Complaint, RepeatComplaints.Repeat> repeats) throws JMSException {
        if (complaints.isEmpty() && refused.isEmpty()) {
            return;
        }
        try {
            send(complaints, records, refused, channel, repeats, true);
        } catch (JMSException e) {
            if (!String.valueOf(e.getMessage()).contains("Duplicate message")) {
                throw e;
            }
            LOG.info("{} batch holds messages the broker has already: sending it message by message", channel);
            send(complaints, records, refused, channel, repeats, false);
        }
    }

    private void send(List<Complaint> complaints, List<String> records, List<? extends Refused> refused, String channel,
                      Map<Complaint, RepeatComplaints.Repeat> repeats, boolean transacted) throws JMSException {
        try (Connection connection = connections.createConnection();
             Session session = transacted ? connection.createSession(true, Session.SESSION_TRANSACTED)
                     : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Map<String, Queue> queues = new HashMap<>();
            try {
                for (int i = 0; i < complaints.size(); i++) {
                    Complaint c = complaints.get(i);
                    TextMessage m = session.createTextMessage(records.get(i));
                    m.setStringProperty("complaintId", c.getId());
                    m.setStringProperty("department", c.getDepartment());
                    m.setStringProperty("grade", c.getGrade().name());
                    m.setStringProperty("type", c.getType().name());
                    m.setStringProperty("channel", c.getChannel());
                    RepeatComplaints.Repeat repeat = repeats.get(c);
                    if (repeat != null) {
                        m.setStringProperty("repeat", "true");
                    }
                    // the broker drops a second copy of a complaint resumed after a crash between commit and bookkeeping
                    m.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), c.getId());
                    producer.send(queues.computeIfAbsent(departmentPrefix + c.getDepartment(), q -> queue(session, q)), m);
                    if (repeat != null) {
                        // management's copy (DOMAIN.md 1.9: a repeat complaint is escalated), and the desk's event
                        m.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), "escalation:" + c.getId());
                        producer.send(queues.computeIfAbsent(escalationsQueue, q -> queue(session, q)), m);
                        TextMessage event = session.createTextMessage(RecordJson.write(HubEvents.repeatEvent(c, repeat.firstId(),
                                repeat.firstChannel())));
                        event.setStringProperty("event", "REPEAT");
                        event.setStringProperty("complaintId", c.getId());
                        event.setStringProperty("department", c.getDepartment());
                        event.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), "repeat:" + c.getId());
                        producer.send(queues.computeIfAbsent(eventsQueue, q -> queue(session, q)), event);
                    }
                }
                for (Complaint c : complaints) {
                    String request = guard.acknowledgementOf(c);
                    if (request != null) {
                        TextMessage ack = session.createTextMessage(request);
                        ack.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), "ack:" + c.getId());
                        producer.send(queues.computeIfAbsent(outboundQueue, q -> queue(session, q)), ack);
                    }
                }
                for (Refused item : refused) {
                    BytesMessage m = session.createBytesMessage();
                    m.writeBytes(item.raw());
                    m.setStringProperty("reason", item.reason());
                    m.setStringProperty("channel", channel);
                    for (Map.Entry<String, String> p : item.properties().entrySet()) {
                        m.setStringProperty(p.getKey(), p.getValue());
                    }
                    // the same refused line taken again (a crash, the file dropped twice) is quarantined once
                    m.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), quarantineId(channel, item));
                    producer.send(queues.computeIfAbsent(quarantineQueue, q -> queue(session, q)), m);
                }
                if (transacted) {
                    session.commit();
                }
            } catch (JMSException | RuntimeException e) {
                if (transacted) {
                    rollback(session);
                }
                throw e;
            }
        }
    }

    private static String quarantineId(String channel, Refused item) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((channel + "\n" + new TreeMap<>(item.properties()) + "\n").getBytes(StandardCharsets.UTF_8));
            return "quarantine:" + HexFormat.of().formatHex(sha.digest(item.raw()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Queue queue(Session session, String name) {
        try {
            return session.createQueue(name);
        } catch (JMSException e) {
            throw new IllegalStateException("cannot name queue " + name, e);
        }
    }

    private static void rollback(Session session) {
        try {
            session.rollback();
        } catch (JMSException ignored) {
            // the broker is gone: nothing was committed anyway
        }
    }
}
