package org.complainthub.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.dedup.SourceMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The last step of kamelet:complaint-intake: deduplicate the complaint by its source message and put it on
 * complaints.&lt;department&gt; with a persistent send, returning once the broker has it. Complaints arriving together
 * (webhooks, form posts and mails handled side by side) are committed together (GroupCommit): one claim of their
 * source ids, one JMS transaction, one mark of them as dispatched, instead of three commits each.
 * A duplicate is not sent: the exchange property hubDuplicateOf names the complaint it already is.
 * A broker or database failure propagates to the channel's route (nothing of this complaint was queued).
 */
@Component
public class ComplaintDispatch {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    private record Pending(Complaint complaint, String record) {
    }

    private final SourceMessageBatch sources;
    private final RecordSchema schema;
    private final BrokerBatch broker;
    private final DispatchListeners listeners;
    private final GroupCommit<Pending, String> group;

    public ComplaintDispatch(SourceMessageBatch sources, RecordSchema schema, BrokerBatch broker, DispatchListeners listeners,
                             @Value("${hub.intake.group-commit-max:200}") int maxBatch) {
        this.sources = sources;
        this.schema = schema;
        this.broker = broker;
        this.listeners = listeners;
        this.group = new GroupCommit<>(this::commit, maxBatch);
    }

    public void dispatch(Exchange exchange) throws Exception {
        Complaint c = exchange.getMessage().getBody(Complaint.class);
        String duplicateOf = group.submit(new Pending(c, schema.toValidJson(c)));
        if (duplicateOf != null) {
            exchange.setProperty(SourceMessages.DUPLICATE, duplicateOf);
        } else {
            LOG.info("complaint {} from {} queued for {} (grade {}, type {})", c.getId(), c.getChannel(), c.getDepartment(),
                    c.getGrade(), c.getType());
        }
    }

    private List<String> commit(List<Pending> batch) throws Exception {
        List<Complaint> complaints = batch.stream().map(Pending::complaint).toList();
        List<String> ids = complaints.stream().map(Complaint::getId).toList();
        SourceMessageBatch.Claimed claimed = sources.claim(complaints);
        Map<Complaint, String> duplicateOf = claimed.duplicateOf();
        List<Complaint> toSend = new ArrayList<>();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Complaint c = complaints.get(i);
            if (!duplicateOf.containsKey(c)) {
                toSend.add(c);
                // a complaint resumed after a crash has taken its first reference again: its record changed
                records.add(c.getId().equals(ids.get(i)) ? batch.get(i).record() : schema.toValidJson(c));
            }
        }
        broker.send(toSend, records, List.of(), "");
        sources.dispatched(toSend);
        listeners.dispatched(toSend);
        List<String> results = new ArrayList<>(batch.size());
        complaints.forEach(c -> results.add(duplicateOf.get(c)));
        return results;
    }
}
