package org.complainthub.dedup;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link SourceMessages} for a batch of complaints (a call-log file, or the webhooks and mails of one group commit):
 * the same table and the same answers, in a few statements per batch instead of two per complaint. Source ids seen before, and any race with
 * another node, take the one-by-one path of {@link SourceMessages#claim}, which knows how to resume an undispatched one.
 */
@Component
public class SourceMessageBatch {

    /**
     * What to send, and the complaints that were complaints already (seen before, or twice in this batch), each with the
     * reference of the complaint it already is.
     */
    public record Claimed(List<Complaint> toSend, Map<Complaint, String> duplicateOf) {
        public int duplicates() {
            return duplicateOf.size();
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SourceMessages single;
    private final Clock clock;

    public SourceMessageBatch(DataSource dataSource, SourceMessages single, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.single = single;
        this.clock = clock;
    }

    public Claimed claim(List<Complaint> complaints) {
        List<Complaint> toSend = new ArrayList<>();
        Map<String, Complaint> fresh = new LinkedHashMap<>();
        Map<Complaint, String> duplicateOf = new IdentityHashMap<>();
        Map<Complaint, Complaint> sameAs = new IdentityHashMap<>(); // the same message twice in one batch
        for (Complaint c : complaints) {
            if (c.getSourceId() == null || c.getSourceId().isBlank()) {
                toSend.add(c);
            } else {
                Complaint first = fresh.putIfAbsent(key(c), c);
                if (first != null) {
                    sameAs.put(c, first);
                }
            }
        }
        if (!fresh.isEmpty() && claimedAsNew(fresh.values())) { // the common case: one statement batch, no lookup
            toSend.addAll(fresh.values());
            sameAs.forEach((copy, first) -> duplicateOf.put(copy, first.getId()));
            return new Claimed(toSend, duplicateOf);
        }
        Map<String, String> dispatched = new HashMap<>();
        Map<String, String> known = known(fresh.keySet(), dispatched);
        List<Complaint> inserts = new ArrayList<>();
        for (Map.Entry<String, Complaint> e : fresh.entrySet()) {
            if (dispatched.containsKey(e.getKey())) {
                duplicateOf.put(e.getValue(), dispatched.get(e.getKey())); // a file dropped again, a platform's retry
            } else if (known.containsKey(e.getKey())) {
                String already = single.claim(e.getValue()); // taken before but never dispatched: resumed under its reference
                if (already == null) {
                    toSend.add(e.getValue());
                } else {
                    duplicateOf.put(e.getValue(), already);
                }
            } else {
                inserts.add(e.getValue());
            }
        }
        try {
            // one transaction: a JDBC batch in auto-commit mode commits each row (H2 writes its store for each)
            if (!inserts.isEmpty()) {
                tx.executeWithoutResult(status -> insert(inserts));
            }
            toSend.addAll(inserts);
        } catch (DuplicateKeyException raced) {
            // another node took some of them meanwhile: the transaction was rolled back; ask singly
            for (Complaint c : inserts) {
                String already = single.claim(c);
                if (already == null) {
                    toSend.add(c);
                } else {
                    duplicateOf.put(c, already);
                }
            }
        }
        sameAs.forEach((copy, first) -> duplicateOf.put(copy, duplicateOf.getOrDefault(first, first.getId())));
        return new Claimed(toSend, duplicateOf);
    }

    /** Inserts all the claims in one transaction; false (and nothing inserted) if one of them was taken before. */
    private boolean claimedAsNew(java.util.Collection<Complaint> complaints) {
        try {
            tx.executeWithoutResult(status -> insert(new ArrayList<>(complaints)));
            return true;
        } catch (DuplicateKeyException seenBefore) {
            return false;
        }
    }

    private void insert(List<Complaint> complaints) {
        jdbc.batchUpdate("INSERT INTO source_message (source_key, channel, complaint_id, received_at) VALUES (?,?,?,?)",
                complaints, complaints.size(), (ps, c) -> {
                    ps.setString(1, key(c));
                    ps.setString(2, c.getChannel());
                    ps.setString(3, c.getId());
                    ps.setObject(4, c.getReceivedAt());
                });
    }

    /** After the broker committed the batch. */
    public void dispatched(List<Complaint> sent) {
        List<Complaint> withSource = sent.stream().filter(c -> c.getSourceId() != null && !c.getSourceId().isBlank()).toList();
        Timestamp now = Timestamp.from(OffsetDateTime.now(clock).toInstant());
        if (withSource.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> jdbc.batchUpdate("UPDATE source_message SET dispatched_at = ? WHERE source_key = ?",
                withSource, withSource.size(), (ps, c) -> {
                    ps.setTimestamp(1, now);
                    ps.setString(2, key(c));
                }));
    }

    /** The keys taken before, each with its complaint; those dispatched also into {@code dispatched}. */
    private Map<String, String> known(Set<String> keys, Map<String, String> dispatched) {
        Map<String, String> known = new HashMap<>();
        if (!keys.isEmpty()) {
            String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
            jdbc.query("SELECT source_key, complaint_id, dispatched_at FROM source_message WHERE source_key IN (" + marks + ")",
                    rs -> {
                        known.put(rs.getString(1), rs.getString(2));
                        if (rs.getObject(3) != null) {
                            dispatched.put(rs.getString(1), rs.getString(2));
                        }
                    }, keys.toArray());
        }
        return known;
    }

    private static String key(Complaint c) {
        return SourceMessages.key(c.getChannel(), c.getSourceId());
    }
}
