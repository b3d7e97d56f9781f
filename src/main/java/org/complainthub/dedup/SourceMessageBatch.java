package org.complainthub.dedup;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link SourceMessages} for a batch of complaints from one source (a call-log file): the same table and the same
 * answers, in a few statements per batch instead of two per complaint. Source ids seen before, and any race with
 * another node, take the one-by-one path of {@link SourceMessages#claim}, which knows how to resume an undispatched one.
 */
@Component
public class SourceMessageBatch {

    /** What to send, and how many were complaints already (seen before, or twice in this batch). */
    public record Claimed(List<Complaint> toSend, int duplicates) {
    }

    private final JdbcTemplate jdbc;
    private final SourceMessages single;
    private final Clock clock;

    public SourceMessageBatch(DataSource dataSource, SourceMessages single, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.single = single;
        this.clock = clock;
    }

    public Claimed claim(List<Complaint> complaints) {
        List<Complaint> toSend = new ArrayList<>();
        Map<String, Complaint> fresh = new LinkedHashMap<>();
        int duplicates = 0;
        for (Complaint c : complaints) {
            if (c.getSourceId() == null || c.getSourceId().isBlank()) {
                toSend.add(c);
            } else if (fresh.putIfAbsent(key(c), c) != null) {
                duplicates++; // the same call twice in one batch
            }
        }
        Map<String, Boolean> known = known(fresh.keySet());
        List<Complaint> inserts = new ArrayList<>();
        for (Map.Entry<String, Complaint> e : fresh.entrySet()) {
            Boolean dispatched = known.get(e.getKey());
            if (Boolean.TRUE.equals(dispatched)) {
                duplicates++; // a file dropped again, the same call in two files
            } else if (dispatched != null) {
                if (single.claim(e.getValue()) == null) { // taken before but never dispatched: resumed under its reference
                    toSend.add(e.getValue());
                } else {
                    duplicates++;
                }
            } else {
                inserts.add(e.getValue());
            }
        }
        try {
            jdbc.batchUpdate("INSERT INTO source_message (source_key, channel, complaint_id, received_at) VALUES (?,?,?,?)",
                    inserts, inserts.size(), (ps, c) -> {
                        ps.setString(1, key(c));
                        ps.setString(2, c.getChannel());
                        ps.setString(3, c.getId());
                        ps.setObject(4, c.getReceivedAt());
                    });
            toSend.addAll(inserts);
        } catch (DuplicateKeyException raced) {
            // another node took some of them meanwhile: the batch was rolled back row by row or not at all; ask singly
            for (Complaint c : inserts) {
                if (single.claim(c) == null) {
                    toSend.add(c);
                } else {
                    duplicates++;
                }
            }
        }
        return new Claimed(toSend, duplicates);
    }

    /** After the broker committed the batch. */
    public void dispatched(List<Complaint> sent) {
        List<Complaint> withSource = sent.stream().filter(c -> c.getSourceId() != null && !c.getSourceId().isBlank()).toList();
        Timestamp now = Timestamp.from(OffsetDateTime.now(clock).toInstant());
        jdbc.batchUpdate("UPDATE source_message SET dispatched_at = ? WHERE source_key = ?", withSource, withSource.size(),
                (ps, c) -> {
                    ps.setTimestamp(1, now);
                    ps.setString(2, key(c));
                });
    }

    /** The keys taken before, each with whether it was dispatched. */
    private Map<String, Boolean> known(Set<String> keys) {
        Map<String, Boolean> known = new HashMap<>();
        if (!keys.isEmpty()) {
            String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
            jdbc.query("SELECT source_key, dispatched_at FROM source_message WHERE source_key IN (" + marks + ")",
                    rs -> {
                        known.put(rs.getString(1), rs.getObject(2) != null);
                    }, keys.toArray());
        }
        return known;
    }

    private static String key(Complaint c) {
        return SourceMessages.key(c.getChannel(), c.getSourceId());
    }
}
