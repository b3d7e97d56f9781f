package org.complainthub.dedup;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Forgets source messages older than {@code hub.dedup.retention}: their claims (table source_message) and the dispatched
 * marks of their batches (dispatched_batch); and, for repeat detection, complaints' matters (customer_complaint) received
 * and customers' contact links (customer_contact) last seen before it. A message delivered again after that is taken as new. Run by the route
 * dedup-expired-claims (camel/dedup.camel.yaml) every {@code hub.dedup.retention-check}.
 * <p>
 * It must not slow intake: it deletes {@value #CHUNK} rows at a time, by key, each chunk its own short transaction, so
 * intake's claims never wait behind one long delete holding the table's locks. With the database away it logs and
 * tries again at the next run; intake answers for the database itself.
 */
@Component
public class ExpiredClaims {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dedup");

    static final int CHUNK = 1000;
    /**
     * A batch is forgotten a day after its claims: a claim is received before its batch is marked (possibly by another
     * node, whose clock may differ a little), and a claim whose mark went first would look undispatched, and be sent
     * again.
     */
    private static final Duration BATCH_MARGIN = Duration.ofDays(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration retention;

    public ExpiredClaims(DataSource dataSource, Clock clock, @Value("${hub.dedup.retention:90d}") Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalStateException("hub.dedup.retention must be positive, not " + retention);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.retention = retention;
    }

    /** Removes what is past the retention now; the number of claims removed (-1 when the database was away). */
    public int remove() {
        Instant cutoff = clock.instant().minus(retention);
        try {
            int claims = removeClaims(cutoff);
            int batches = deleteInChunks("dispatched_batch", "batch_id", "dispatched_at", cutoff.minus(BATCH_MARGIN));
            // each complaint's matter kept for repeat detection (a bounded normalised text: personal data at rest)
            int matters = deleteInChunks("customer_complaint", "complaint_id", "received_at", cutoff);
            // a customer's contact links not used for the retention (a customer whose links are all gone is forgotten)
            int links = deleteInChunks("customer_contact", "contact_key", "last_seen_at", cutoff);
            if (claims > 0 || batches > 0 || matters > 0 || links > 0) {
                LOG.info("forgot {} source message claims, {} dispatched batches, {} complaints' matters and {} contact links "
                        + "older than {}", claims, batches, matters, links, retention);
            }
            return claims;
        } catch (DataAccessException e) {
            LOG.warn("could not remove expired source message claims (database unavailable?): trying again next time: {}", e.toString());
            return -1;
        }
    }

    int removeClaims(Instant cutoff) {
        return deleteInChunks("source_message", "source_key", "received_at", cutoff);
    }

    /** Deletes the rows of {@code table} older than {@code cutoff}, {@value #CHUNK} keys per statement and commit. */
    private int deleteInChunks(String table, String key, String time, Instant cutoff) {
        Timestamp before = Timestamp.from(cutoff);
        int removed = 0;
        while (true) {
            // ordered by time: the index on it is read from its start, and a chunk is one range of it
            List<Object> keys = jdbc.queryForList("SELECT " + key + " FROM " + table + " WHERE " + time + " < ? ORDER BY " + time
                    + " FETCH FIRST " + CHUNK + " ROWS ONLY", Object.class, before);
            if (keys.isEmpty()) {
                return removed;
            }
            String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
            Object[] args = new Object[keys.size() + 1];
            for (int i = 0; i < keys.size(); i++) {
                args[i] = keys.get(i);
            }
            args[keys.size()] = before; // a key claimed again meanwhile is a new claim: kept
            removed += jdbc.update("DELETE FROM " + table + " WHERE " + key + " IN (" + marks + ") AND " + time + " < ?", args);
            if (keys.size() < CHUNK) {
                return removed;
            }
        }
    }
}
