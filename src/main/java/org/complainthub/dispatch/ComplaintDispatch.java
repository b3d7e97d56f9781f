package org.complainthub.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.dedup.SourceMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last step of kamelet:complaint-intake: deduplicate the complaint by its source message and put it on
 * complaints.&lt;department&gt; with a persistent send, returning once the broker has it. Complaints arriving together
 * (webhooks, form posts and mails handled side by side) are committed together ({@link GroupCommit}): one claim of
 * their source ids, one JMS transaction, and one database commit that marks them dispatched with what
 * {@link DispatchListeners} write (a social account's thread) -- instead of three commits each.
 * A duplicate is not sent: the exchange property hubDuplicateOf names the complaint it already is.
 * A broker or database failure propagates to the channel's route (nothing of this complaint was queued, or it was and
 * the source's retry is recognised as a duplicate).
 */
@Component
public class ComplaintDispatch {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    /** A complaint and its record as validated by the caller. */
    private record Pending(Complaint complaint, String record) {
    }

    private final SourceMessageBatch sources;
    private final RecordSchema schema;
    private final BrokerBatch broker;
    private final DispatchListeners listeners;
    private final TransactionTemplate tx;
    private final GroupCommit<Pending, String> group;

    public ComplaintDispatch(SourceMessageBatch sources, RecordSchema schema, BrokerBatch broker, DispatchListeners listeners,
                             DataSource dataSource, @Value("${hub.intake.group-commit-max:200}") int maxBatch) {
        this.sources = sources;
        this.schema = schema;
        this.broker = broker;
        this.listeners = listeners;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.group = new GroupCommit<>(this::commit, maxBatch);
    }

    public void dispatch(Exchange exchange) throws Exception {
        Complaint c = exchange.getMessage().getBody(Complaint.class);
        // the record is written and checked by the caller's thread: the group's commit does I/O only
        String duplicateOf = group.submit(new Pending(c, schema.toValidJson(c)));
        if (duplicateOf != null) {
            exchange.setProperty(SourceMessages.DUPLICATE, duplicateOf);
            return;
        }
        LOG.info("complaint {} from {} queued for {} (grade {}, type {})", c.getId(), c.getChannel(), c.getDepartment(),
                c.getGrade(), c.getType());
    }

    /** For each complaint: null when it was sent, else the reference of the complaint it already is. */
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
        try { // one database commit for both
            tx.executeWithoutResult(status -> dispatched(claimed, toSend));
        } catch (RuntimeException e) { // e.g. another node opened the same social thread meanwhile: each on its own
            dispatched(claimed, toSend);
        }
        List<String> results = new ArrayList<>(batch.size());
        complaints.forEach(c -> results.add(duplicateOf.get(c)));
        return results;
    }

    private void dispatched(SourceMessageBatch.Claimed claimed, List<Complaint> sent) {
        sources.dispatched(claimed);
        listeners.dispatched(sent);
    }
}
