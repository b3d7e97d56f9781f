package org.complainthub.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * (webhooks, form posts and mails handled side by side) are committed together ({@link GroupCommit}), in two stages
 * that overlap like a pipeline: one claim of their source ids; then one JMS transaction and one mark of them as
 * dispatched (with what {@link DispatchListeners} write). While one group is on its way to the broker's disk, the
 * next one is claimed.
 * A duplicate is not sent: the exchange property hubDuplicateOf names the complaint it already is.
 * A broker or database failure propagates to the channel's route (nothing of this complaint was queued, or it was and
 * the source's retry is recognised as a duplicate).
 */
@Component
public class ComplaintDispatch {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    /** A complaint and its record as sent (the record changes when a claim resumes an earlier reference). */
    private record Pending(Complaint complaint, String record) {
    }

    /** The outcome of the claim: the record to send, or the complaint this one already is. */
    private record Claim(String record, String duplicateOf) {
    }

    private final SourceMessageBatch sources;
    private final RecordSchema schema;
    private final BrokerBatch broker;
    private final DispatchListeners listeners;
    private final TransactionTemplate tx;
    private final GroupCommit<Pending, Claim> claims;
    private final GroupCommit<Pending, String> sends;

    public ComplaintDispatch(SourceMessageBatch sources, RecordSchema schema, BrokerBatch broker, DispatchListeners listeners,
                             DataSource dataSource, @Value("${hub.intake.group-commit-max:200}") int maxBatch) {
        this.sources = sources;
        this.schema = schema;
        this.broker = broker;
        this.listeners = listeners;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.claims = new GroupCommit<>(this::claim, maxBatch);
        this.sends = new GroupCommit<>(this::send, maxBatch);
    }

    public void dispatch(Exchange exchange) throws Exception {
        Complaint c = exchange.getMessage().getBody(Complaint.class);
        Claim claim = claims.submit(new Pending(c, schema.toValidJson(c)));
        if (claim.duplicateOf() != null) {
            exchange.setProperty(SourceMessages.DUPLICATE, claim.duplicateOf());
            return;
        }
        String copyOf = sends.submit(new Pending(c, claim.record()));
        if (copyOf != null) {
            exchange.setProperty(SourceMessages.DUPLICATE, copyOf);
            return;
        }
        LOG.info("complaint {} from {} queued for {} (grade {}, type {})", c.getId(), c.getChannel(), c.getDepartment(),
                c.getGrade(), c.getType());
    }

    private List<Claim> claim(List<Pending> batch) {
        List<String> ids = batch.stream().map(p -> p.complaint().getId()).toList();
        Map<Complaint, String> duplicateOf = sources.claim(batch.stream().map(Pending::complaint).toList()).duplicateOf();
        List<Claim> claims = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Complaint c = batch.get(i).complaint();
            String already = duplicateOf.get(c);
            // a complaint resumed after a crash has taken its first reference again: its record changed
            claims.add(already != null ? new Claim(null, already)
                    : new Claim(c.getId().equals(ids.get(i)) ? batch.get(i).record() : schema.toValidJson(c), null));
        }
        return claims;
    }

    private void dispatched(List<Complaint> complaints) {
        sources.dispatched(complaints);
        listeners.dispatched(complaints);
    }

    /**
     * Null for each complaint sent; for a second delivery of the same source message that was claimed in another group
     * and resumed under the same reference, that reference: it is not sent again (in one transaction the broker's
     * duplicate detection would let both through).
     */
    private List<String> send(List<Pending> batch) throws Exception {
        Map<String, Pending> unique = new LinkedHashMap<>();
        List<String> results = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            results.add(unique.putIfAbsent(p.complaint().getId(), p) == null ? null : p.complaint().getId());
        }
        List<Complaint> complaints = unique.values().stream().map(Pending::complaint).toList();
        broker.send(complaints, unique.values().stream().map(Pending::record).toList(), List.of(), "");
        try { // one database commit for both
            tx.executeWithoutResult(status -> dispatched(complaints));
        } catch (RuntimeException e) { // e.g. another node opened the same social thread meanwhile: each on its own
            dispatched(complaints);
        }
        return results;
    }
}
