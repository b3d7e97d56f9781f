package org.complainthub.intake;

import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.dispatch.BrokerBatch;
import org.complainthub.dispatch.DispatchMarks;
import org.complainthub.dispatch.FreeDiskSpace;
import org.complainthub.dispatch.RepeatComplaints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The core pipeline for channels that deliver many complaints at once (call-log files). Each item goes through the same
 * {@link IntakeSteps} as a single complaint through kamelet:complaint-intake (mapped, validated, enriched, classified,
 * and any step added), the items side by side on the machine's cores. Then dispatch takes the batch as a whole: it is
 * deduplicated in one database round trip, sent in one JMS transaction (complaints to their department queues with
 * their acknowledgement requests, refused items to the quarantine queue: all or nothing; {@link BrokerBatch}), and
 * marked dispatched and recorded in the contact ledger in one database transaction ({@link DispatchMarks}). One commit
 * per batch instead of one synchronous send per complaint is what lets a file of 100,000 calls through in seconds
 * (STACK.md 18).
 * An item the pipeline refuses is quarantined, not fatal; a broker or database failure before the broker's commit fails
 * the whole batch, and the caller must not acknowledge its source (the batch is taken again later under the same
 * references). After the commit the batch is taken: marks the database refuses then are finished in the background.
 */
@Component
public class BatchIntake {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.intake");

    /**
     * One item of a batch: the channel's payload for the mapping, or (when the channel already knows it is unusable) a
     * reason. raw and properties (strings: file name, line number ...) go with it to the quarantine queue if need be.
     */
    public record Item(Object payload, byte[] raw, Map<String, String> properties, String reason)
            implements BrokerBatch.Refused {
        public static Item refused(byte[] raw, Map<String, String> properties, String reason) {
            return new Item(null, raw, properties, reason);
        }
    }

    public record Result(int accepted, int duplicates, int quarantined) {
        public Result plus(Result o) {
            return new Result(accepted + o.accepted, duplicates + o.duplicates, quarantined + o.quarantined);
        }
    }

    private final IntakeSteps steps;
    private final SourceMessageBatch sourceMessages;
    private final RecordSchema schema;
    private final IntakeMetrics metrics;
    private final BrokerBatch broker;
    private final DispatchMarks marks;
    private final FreeDiskSpace disk;
    private final RepeatComplaints repeats;

    public BatchIntake(IntakeSteps steps, SourceMessageBatch sourceMessages, RecordSchema schema, IntakeMetrics metrics,
                       BrokerBatch broker, DispatchMarks marks, FreeDiskSpace disk, RepeatComplaints repeats) {
        this.steps = steps;
        this.sourceMessages = sourceMessages;
        this.schema = schema;
        this.metrics = metrics;
        this.broker = broker;
        this.marks = marks;
        this.disk = disk;
        this.repeats = repeats;
    }

    /**
     * Takes a batch of {@code channel}'s items, mapped with {@code mapping}; tells {@code quarantined} each item
     * quarantined once it is on the broker.
     */
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
        // the repeats among what is to be sent (a few queries for the whole batch), before their records are written
        Map<Complaint, RepeatComplaints.Repeat> repeated = repeats.decide(claimed.toSend());
        // after the claim: a complaint resumed after a crash has taken its first reference again
        List<String> records = claimed.toSend().parallelStream().map(schema::toValidJson).toList();
        broker.send(claimed.toSend(), records, refused, channel, repeated);
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
            return steps.prepare(item.payload(), channel, mapping);
        } catch (SubmissionRejected e) {
            return new Item(null, item.raw(), item.properties(), "not a complaint the hub can take: " + e.errors());
        }
    }
}
