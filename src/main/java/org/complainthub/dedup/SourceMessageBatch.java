package org.complainthub.dedup;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
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
 * the same table and the same answers, in a few statements per batch instead of two per complaint. The claims of a
 * batch carry its batch id, and the batch is marked dispatched with one row (table dispatched_batch). Source ids seen
 * before, and any race with another node, take the one-by-one path of {@link SourceMessages#claim}, which knows how to
 * resume an undispatched one; those are marked one by one.
 */
@Component
public class SourceMessageBatch {

    /**
     * What to send; the complaints that were complaints already (seen before, or twice in this batch), each with the
     * reference of the complaint it already is; and how to mark the batch dispatched once it is sent.
     */
    public record Claimed(List<Complaint> toSend, Map<Complaint, String> duplicateOf, Long batchId, List<Complaint> markSingly) {
        public int duplicates() {
            return duplicateOf.size();
        }
    }

    private static final SecureRandom IDS = new SecureRandom();

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
        return claim(complaints, false);
    }

    /**
     * As {@link #claim}, in the caller's transaction, for complaints expected to be new (a group commit writes them
     * with the marks of the group before): throws DuplicateKeyException if one was taken before, and the caller's
     * transaction must then be rolled back and {@link #claim} asked instead.
     */
    public Claimed claimAllNew(List<Complaint> complaints) {
        return claim(complaints, true);
    }

    private Claimed claim(List<Complaint> complaints, boolean allNew) {
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
        if (fresh.isEmpty()) {
            return new Claimed(toSend, duplicateOf, null, List.of());
        }
        long batchId = IDS.nextLong() & Long.MAX_VALUE;
        if (allNew) {
            insert(fresh.values(), batchId);
        }
        if (allNew || inserted(fresh.values(), batchId)) { // the common case: one statement batch, no lookup
            toSend.addAll(fresh.values());
            sameAs.forEach((copy, first) -> duplicateOf.put(copy, first.getId()));
            return new Claimed(toSend, duplicateOf, batchId, List.of());
        }
        Map<String, String> dispatched = new HashMap<>();
        Map<String, String> known = known(fresh.keySet(), dispatched);
        List<Complaint> inserts = new ArrayList<>();
        List<Complaint> markSingly = new ArrayList<>();
        for (Map.Entry<String, Complaint> e : fresh.entrySet()) {
            if (dispatched.containsKey(e.getKey())) {
                duplicateOf.put(e.getValue(), dispatched.get(e.getKey())); // a file dropped again, a platform's retry
            } else if (known.containsKey(e.getKey())) {
                claimSingly(e.getValue(), toSend, markSingly, duplicateOf); // taken before, never dispatched: resumed
            } else {
                inserts.add(e.getValue());
            }
        }
        boolean batched = !inserts.isEmpty() && inserted(inserts, batchId);
        if (batched) {
            toSend.addAll(inserts);
        } else {
            // another node took some of them meanwhile: the transaction was rolled back; ask singly
            inserts.forEach(c -> claimSingly(c, toSend, markSingly, duplicateOf));
        }
        sameAs.forEach((copy, first) -> duplicateOf.put(copy, duplicateOf.getOrDefault(first, first.getId())));
        return new Claimed(toSend, duplicateOf, batched ? batchId : null, markSingly);
    }

    /** After the broker committed what {@link #claim} gave to send: one row for the batch, one update per single. */
    public void dispatched(Claimed claimed) {
        if (claimed.batchId() == null && claimed.markSingly().isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(OffsetDateTime.now(clock).toInstant());
        tx.executeWithoutResult(status -> {
            if (claimed.batchId() != null) {
                // repeatable: a mark finished late (DispatchMarks) may be finished twice
                jdbc.update("INSERT INTO dispatched_batch (batch_id, dispatched_at) SELECT CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE) WHERE NOT EXISTS "
                        + "(SELECT 1 FROM dispatched_batch WHERE batch_id = ?)", claimed.batchId(), now, claimed.batchId());
            }
            List<Complaint> singly = claimed.markSingly();
            if (!singly.isEmpty()) {
                jdbc.batchUpdate("UPDATE source_message SET dispatched_at = ? WHERE source_key = ? AND dispatched_at IS NULL", singly, singly.size(),
                        (ps, c) -> {
                            ps.setTimestamp(1, now);
                            ps.setString(2, key(c));
                        });
            }
        });
    }

    private void claimSingly(Complaint c, List<Complaint> toSend, List<Complaint> markSingly, Map<Complaint, String> duplicateOf) {
        String already = single.claim(c);
        if (already == null) {
            toSend.add(c);
            markSingly.add(c);
        } else {
            duplicateOf.put(c, already);
        }
    }

    /** Inserts all the claims in one transaction; false (and nothing inserted) if one of them was taken before. */
    private boolean inserted(Collection<Complaint> complaints, long batchId) {
        try {
            tx.executeWithoutResult(status -> insert(complaints, batchId));
            return true;
        } catch (DuplicateKeyException seenBefore) {
            return false;
        }
    }

    private void insert(Collection<Complaint> complaints, long batchId) {
        List<Complaint> rows = new ArrayList<>(complaints);
        jdbc.batchUpdate("INSERT INTO source_message (source_key, channel, complaint_id, received_at, batch_id) VALUES (?,?,?,?,?)",
                rows, rows.size(), (ps, c) -> {
                    ps.setString(1, key(c));
                    ps.setString(2, c.getChannel());
                    ps.setString(3, c.getId());
                    ps.setObject(4, c.getReceivedAt());
                    ps.setLong(5, batchId);
                });
        single.claimedHere(rows);
    }

    /** The keys taken before, each with its complaint; those dispatched also into {@code dispatched}. */
    private Map<String, String> known(Set<String> keys, Map<String, String> dispatched) {
        Map<String, String> known = new HashMap<>();
        String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
        jdbc.query("SELECT source_key, complaint_id, dispatched_at FROM source_message_state WHERE source_key IN (" + marks + ")",
                rs -> {
                    known.put(rs.getString(1), rs.getString(2));
                    if (rs.getObject(3) != null) {
                        dispatched.put(rs.getString(1), rs.getString(2));
                    }
                }, keys.toArray());
        return known;
    }

    private static String key(Complaint c) {
        return SourceMessages.key(c.getChannel(), c.getSourceId());
    }
}
