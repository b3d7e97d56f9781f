package org.complainthub.dispatch;

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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import static org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.intake.ComplaintClassification;
import org.complainthub.intake.ComplaintEnricher;
import org.complainthub.intake.ComplaintValidator;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.mapping.ComplaintMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The core pipeline for channels that deliver many complaints at once (call-log files): each item is mapped, validated,
 * enriched and classified as in kamelet:complaint-intake, then the batch is deduplicated in one database round trip,
 * sent in one JMS transaction (complaints to their department queues, refused items to the quarantine queue: all or
 * nothing) and marked dispatched in one more. One commit per batch instead of one synchronous send per complaint is
 * what lets a file of 100,000 calls through in seconds (STACK.md 18).
 * An item the pipeline refuses is quarantined, not fatal; a broker or database failure fails the whole batch, and the
 * caller must not acknowledge its source (the batch is taken again later under the same references).
 */
@Component
public class BatchIntake {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    /**
     * One item of a batch: the channel's payload for the mapping, or (when the channel already knows it is unusable) a
     * reason. raw and properties (strings: file name, line number ...) go with it to the quarantine queue if need be.
     */
    public record Item(Object payload, byte[] raw, Map<String, String> properties, String reason) {
        public static Item refused(byte[] raw, Map<String, String> properties, String reason) {
            return new Item(null, raw, properties, reason);
        }
    }

    public record Result(int accepted, int duplicates, int quarantined) {
        public Result plus(Result o) {
            return new Result(accepted + o.accepted, duplicates + o.duplicates, quarantined + o.quarantined);
        }
    }

    private final ComplaintMapper mapper;
    private final ComplaintValidator validator;
    private final ComplaintEnricher enricher;
    private final ComplaintClassification classification;
    private final SourceMessageBatch sourceMessages;
    private final RecordSchema schema;
    private final IntakeMetrics metrics;
    private final ConnectionFactory connections;
    private final String departmentPrefix;
    private final String quarantineQueue;

    public BatchIntake(ComplaintMapper mapper, ComplaintValidator validator, ComplaintEnricher enricher,
                       ComplaintClassification classification, SourceMessageBatch sourceMessages, RecordSchema schema,
                       IntakeMetrics metrics, ConnectionFactory connections,
                       @Value("${hub.queues.department-prefix}") String departmentPrefix,
                       @Value("${hub.queues.quarantine}") String quarantineQueue) {
        this.mapper = mapper;
        this.validator = validator;
        this.enricher = enricher;
        this.classification = classification;
        this.sourceMessages = sourceMessages;
        this.schema = schema;
        this.metrics = metrics;
        this.connections = connections;
        this.departmentPrefix = departmentPrefix;
        this.quarantineQueue = quarantineQueue;
    }

    public Result take(List<Item> items, String channel, String mapping) throws JMSException {
        return take(items, channel, mapping, refusedItem -> { });
    }

    /** As {@link #take(List, String, String)}, telling {@code quarantined} each item quarantined once it is on the broker. */
    public Result take(List<Item> items, String channel, String mapping, Consumer<Item> quarantined) throws JMSException {
        // the work per item is CPU only and independent: spread over the cores (a file has one consumer thread)
        List<Object> prepared = items.parallelStream().map(item -> prepare(item, channel, mapping)).toList();
        List<Complaint> complaints = new ArrayList<>(items.size());
        List<Item> refused = new ArrayList<>();
        for (Object p : prepared) {
            if (p instanceof Complaint c) {
                complaints.add(c);
            } else {
                refused.add((Item) p);
            }
        }
        SourceMessageBatch.Claimed claimed = sourceMessages.claim(complaints);
        // after the claim: a complaint resumed after a crash has taken its first reference again
        List<String> records = claimed.toSend().parallelStream().map(schema::toValidJson).toList();
        send(claimed.toSend(), records, refused, channel);
        sourceMessages.dispatched(claimed.toSend());
        refused.forEach(quarantined);
        Result result = new Result(claimed.toSend().size(), claimed.duplicates(), refused.size());
        metrics.count(channel, "accepted", result.accepted());
        metrics.count(channel, "duplicate", result.duplicates());
        metrics.count(channel, "quarantined", result.quarantined());
        LOG.debug("{} batch: {} queued, {} duplicates, {} quarantined", channel, result.accepted(), result.duplicates(),
                result.quarantined());
        return result;
    }

    /** The item as a complaint ready to claim, or as a refused item with the reason. */
    private Object prepare(Item item, String channel, String mapping) {
        if (item.reason() != null) {
            return item;
        }
        try {
            Complaint c = map(item.payload(), mapping);
            validator.validate(c);
            enricher.enrich(c, channel);
            classification.apply(c);
            return c;
        } catch (SubmissionRejected e) {
            return new Item(null, item.raw(), item.properties(), "not a complaint the hub can take: " + e.errors());
        }
    }

    /** A mapping that fails on one item (an expression error on odd input) refuses that item, not the batch. */
    private Complaint map(Object payload, String mapping) {
        try {
            return mapper.map(payload, mapping);
        } catch (SubmissionRejected e) {
            throw e;
        } catch (RuntimeException e) {
            throw SubmissionRejected.of(400, "", "invalid", "mapping " + mapping + " failed: " + e);
        }
    }

    /**
     * Everything in one local transaction: the batch is on the broker as a whole, or not at all. A broker refuses a
     * whole transaction that holds a message it has seen (duplicate detection): that happens when a batch is taken
     * again after a crash between the commit and the bookkeeping, or when refused lines are read again. Then the batch
     * is sent message by message, and the broker drops just the copies.
     */
    private void send(List<Complaint> complaints, List<String> records, List<Item> refused, String channel) throws JMSException {
        if (complaints.isEmpty() && refused.isEmpty()) {
            return;
        }
        try {
            send(complaints, records, refused, channel, true);
        } catch (JMSException e) {
            if (!String.valueOf(e.getMessage()).contains("Duplicate message")) {
                throw e;
            }
            LOG.info("{} batch holds messages the broker has already: sending it message by message", channel);
            send(complaints, records, refused, channel, false);
        }
    }

    private void send(List<Complaint> complaints, List<String> records, List<Item> refused, String channel,
                      boolean transacted) throws JMSException {
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
                    // the broker drops a second copy of a complaint resumed after a crash between commit and bookkeeping
                    m.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), c.getId());
                    producer.send(queues.computeIfAbsent(departmentPrefix + c.getDepartment(), q -> queue(session, q)), m);
                }
                for (Item item : refused) {
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

    private static String quarantineId(String channel, Item item) {
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
