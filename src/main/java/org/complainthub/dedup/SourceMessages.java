package org.complainthub.dedup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The deduplication step for channels with their own message ids (email, hotline, webhooks): a source message becomes
 * one complaint, across re-polls, retries, restarts and nodes sharing the database. Complaints without a sourceId (the
 * web form) pass through.
 */
@Component
public class SourceMessages {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dedup");

    private static final int KEY_CHARS = 64; // source_message.source_key

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration inFlight;
    /**
     * Keys this node claimed lately. One node claims and sends a group only after the previous group's send finished,
     * so an undispatched claim of its own is an attempt that failed (broker or database away), resumed at once; only
     * another node's may still be on its way.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> claimedHere;

    /** A claim younger than {@code inFlight} and not yet dispatched may be on its way on another node: see {@link #claim}. */
    @Autowired
    public SourceMessages(DataSource dataSource, Clock clock, @Value("${hub.dedup.in-flight:3s}") Duration inFlight) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.inFlight = inFlight;
        this.claimedHere = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(inFlight.multipliedBy(2).plusSeconds(1)).build();
    }

    /** Claims just inserted by this node (a batch's, in SourceMessageBatch). */
    void claimedHere(java.util.Collection<Complaint> claimed) {
        for (Complaint c : claimed) {
            if (c.getSourceId() != null && !c.getSourceId().isBlank()) {
                claimedHere.put(key(c.getChannel(), c.getSourceId()), Boolean.TRUE);
            }
        }
    }

    public SourceMessages(DataSource dataSource) {
        this(dataSource, Clock.systemUTC(), Duration.ofSeconds(3));
    }

    /**
     * Claims the complaint's source message. Returns null when it is new or was never dispatched (then the complaint
     * carries the reference it was first given, and is dispatched), or the reference of the complaint it already became.
     */
    public String claim(Complaint c) {
        if (c.getSourceId() == null || c.getSourceId().isBlank()) {
            return null;
        }
        String key = key(c.getChannel(), c.getSourceId());
        try {
            jdbc.update("INSERT INTO source_message (source_key, channel, complaint_id, received_at) VALUES (?,?,?,?)",
                    key, c.getChannel(), c.getId(), c.getReceivedAt());
            claimedHere.put(key, Boolean.TRUE);
            return null;
        } catch (DuplicateKeyException seenBefore) {
            Claimed first = settled(key);
            if (first.dispatched()) {
                LOG.info("{} message is complaint {} already: not dispatched again", c.getChannel(), first.id());
                return first.id();
            }
            LOG.info("{} message was taken as {} but not dispatched: dispatching it under that reference", c.getChannel(), first.id());
            java.time.Duration limit = java.time.Duration.between(c.getReceivedAt(), c.getDueAt());
            c.setId(first.id());
            c.setReceivedAt(first.receivedAt().withOffsetSameInstant(c.getReceivedAt().getOffset()));
            c.setDueAt(c.getReceivedAt().plus(limit));
            return null;
        }
    }

    /**
     * The claim of {@code key}, once it is dispatched or no longer in flight. Two nodes (or a platform's retry racing
     * its first delivery) can take the same message moments apart: the first claimed it and is sending it. Sending it
     * again under the same reference would count on the broker's duplicate detection, which does not hold for two
     * transactions committing at the same moment (one message queued twice, seen with two hubs on PostgreSQL). So a
     * claim younger than hub.dedup.in-flight that is not dispatched yet is waited for (bounded), and then is either a
     * duplicate or, its node having died, resumed here.
     */
    private Claimed settled(String key) {
        long deadline = System.nanoTime() + inFlight.toNanos(); // real time too: a clock that stands still must not hang it
        while (true) {
            Claimed first = jdbc.queryForObject("SELECT complaint_id, received_at, dispatched_at FROM source_message_state WHERE source_key = ?",
                    (rs, n) -> new Claimed(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3) != null), key);
            if (first.dispatched() || claimedHere.getIfPresent(key) != null || !first.receivedAt().toInstant().plus(inFlight).isAfter(clock.instant())
                    || System.nanoTime() - deadline >= 0) {
                return first;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return first;
            }
        }
    }

    /** The complaint a source message became, once it was dispatched (an edit names the message it edits). */
    public java.util.Optional<String> complaintOf(String channel, String sourceId) {
        return jdbc.query("SELECT complaint_id FROM source_message_state WHERE source_key = ? AND dispatched_at IS NOT NULL",
                (rs, n) -> rs.getString(1), key(channel, sourceId)).stream().findFirst();
    }

    /**
     * When the complaint a source message became was received (its claim's time), while the claim is kept: a repeated
     * submission is answered with the first one's due time.
     */
    public java.util.Optional<OffsetDateTime> firstReceived(String channel, String sourceId) {
        return jdbc.query("SELECT received_at FROM source_message_state WHERE source_key = ?",
                (rs, n) -> rs.getObject(1, OffsetDateTime.class), key(channel, sourceId)).stream().findFirst();
    }

    /**
     * The due time the complaint was dispatched with (the complaint's history, written when it is marked dispatched), or
     * empty while it is not dispatched yet: the answer to a repeated submission names the first one's due time even when
     * the repeat's own text would grade differently.
     */
    public java.util.Optional<OffsetDateTime> dispatchedDueAt(String complaintId) {
        return jdbc.query("SELECT due_at FROM complaint_history WHERE complaint_id = ?",
                (rs, n) -> rs.getObject(1, OffsetDateTime.class), complaintId).stream().findFirst();
    }

    private record Claimed(String id, OffsetDateTime receivedAt, boolean dispatched) {
    }

    /**
     * The claim's key: "channel:id" while it fits the column (channels have no colon, so it is never one of the hashes),
     * else the hash of channel and id. Ids in sequence (call ids, platform message ids) give keys side by side in the
     * index, which a batch of claims then touches in a few places instead of one page per claim.
     */
    static String key(String channel, String sourceId) {
        String readable = channel + ":" + sourceId;
        return readable.length() <= KEY_CHARS && channel.indexOf(':') < 0 ? readable : hashedKey(channel, sourceId);
    }

    /** The key of an id too long to be read in the key. */
    static String hashedKey(String channel, String sourceId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((channel + "\n" + sourceId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
