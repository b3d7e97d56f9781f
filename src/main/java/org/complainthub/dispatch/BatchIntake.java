package org.complainthub.dispatch;

import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
import org.springframework.stereotype.Component;

/**
 * The core pipeline for channels that deliver many complaints at once (call-log files): each item is mapped, validated,
 * enriched and classified as in kamelet:complaint-intake, then the batch is deduplicated in one database round trip,
 * sent in one JMS transaction (complaints to their department queues with their acknowledgement requests, refused
 * items to the quarantine queue: all or nothing), and marked dispatched and recorded in the contact ledger in one
 * database transaction. One commit per batch instead of one synchronous send per complaint is what lets a file of
 * 100,000 calls through in seconds (STACK.md 18).
 * An item the pipeline refuses is quarantined, not fatal; a broker or database failure before the broker's commit fails
 * the whole batch, and the caller must not acknowledge its source (the batch is taken again later under the same
 * references). After the commit the batch is taken: marks the database refuses then are finished in the background
 * ({@link DispatchMarks}).
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
    private final BrokerBatch broker;
    private final DispatchMarks marks;
    private final FreeDiskSpace disk;

    public BatchIntake(ComplaintMapper mapper, ComplaintValidator validator, ComplaintEnricher enricher,
                       ComplaintClassification classification, SourceMessageBatch sourceMessages, RecordSchema schema,
                       IntakeMetrics metrics, BrokerBatch broker, DispatchMarks marks, FreeDiskSpace disk) {
        this.mapper = mapper;
        this.validator = validator;
        this.enricher = enricher;
        this.classification = classification;
        this.sourceMessages = sourceMessages;
        this.schema = schema;
        this.metrics = metrics;
        this.broker = broker;
        this.marks = marks;
        this.disk = disk;
    }

    public Result take(List<Item> items, String channel, String mapping) throws JMSException {
        return take(items, channel, mapping, refusedItem -> { });
    }

    /** As {@link #take(List, String, String)}, telling {@code quarantined} each item quarantined once it is on the broker. */
    public Result take(List<Item> items, String channel, String mapping, Consumer<Item> quarantined) throws JMSException {
        disk.check(); // before any work: the file stays in the drop folder until there is room
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
        marks.checkRoom();
        SourceMessageBatch.Claimed claimed = sourceMessages.claim(complaints);
        // after the claim: a complaint resumed after a crash has taken its first reference again
        List<String> records = claimed.toSend().parallelStream().map(schema::toValidJson).toList();
        broker.send(claimed.toSend(), records, refused, channel);
        // the batch is on the broker: taken, whatever the database says now (what it refuses is finished later, and
        // the caller acknowledges its source; reading the file again would only meet duplicates)
        marks.markOrFinishLater(claimed);
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
}
