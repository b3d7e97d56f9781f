package org.complainthub.outbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The contact ledger in the hub's database (H2 embedded, PostgreSQL in production): written by dispatch, in the
 * transaction that marks complaints dispatched ({@link #recordDispatched}); read by the outbound path.
 */
@Component
public class ContactLedger {

    private static final String COLUMNS = "complaint_id, channel, name, email, phone, handle, language, subject, grade, "
            + "department, received_at, due_at, status, resolved_at, resolution, agent, overdue_at, opted_out_at, satisfaction_score, source_id, last_message_at, reply_ref, repeat_of";
    private static final RowMapper<Contact> ROW = ContactLedger::row;
    private static final String INSERT = "INSERT INTO complaint_contact (complaint_id, channel, name, email, phone, handle, "
            + "language, subject, grade, department, received_at, due_at, status, source_id, last_message_at, reply_ref, repeat_of) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final JdbcTemplate jdbc;
    /** A change of where a complaint stands and its complaint_event row commit together (joins a caller's transaction). */
    private final TransactionTemplate tx;

    public ContactLedger(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * Records complaints just put on the broker, in the caller's transaction (the one that marks them dispatched, so a
     * complaint is in the ledger exactly when it is marked): the new ones in one statement batch, and the follow-ups'
     * reply windows. One already recorded (a mark finished twice: DispatchMarks) is not recorded twice.
     */
    public void recordDispatched(List<Complaint> sent) {
        if (sent.isEmpty()) {
            return;
        }
        List<Complaint> fresh = sent.stream().filter(c -> c.getThreadOf() == null).toList();
        Set<String> recorded = new HashSet<>();
        if (!fresh.isEmpty()) {
            jdbc.query("SELECT complaint_id FROM complaint_contact WHERE complaint_id IN ("
                            + String.join(",", Collections.nCopies(fresh.size(), "?")) + ")",
                    rs -> { recorded.add(rs.getString(1)); }, fresh.stream().map(Complaint::getId).toArray());
        }
        List<Object[]> rows = fresh.stream().filter(c -> !recorded.contains(c.getId())).map(ContactLedger::row).toList();
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(INSERT, rows);
        }
        sent.stream().filter(c -> c.getThreadOf() != null)
                .forEach(c -> followUp(c.getThreadOf(), c.getChannel(), c.getReceivedAt()));
    }

    private static Object[] row(Complaint c) {
        Complaint.Customer who = c.getCustomer();
        return new Object[] {c.getId(), c.getChannel(), who.name(), who.email(), who.phone(), who.handle(), who.language(),
                c.getSubject() == null ? null : c.getSubject().substring(0, Math.min(998, c.getSubject().length())),
                c.getGrade().name(), c.getDepartment(), c.getReceivedAt(), c.getDueAt(), Contact.OPEN, c.getSourceId(),
                c.getReceivedAt(), c.getReplyRef(), c.getRepeatOf()};
    }

    /**
     * A follow-up on the complaint's own channel (the same platform account) arrived at {@code at}: the platform's
     * reply window starts again from there. A follow-up on another channel, or an older one redelivered, changes nothing.
     */
    private void followUp(String complaintId, String channel, OffsetDateTime at) {
        jdbc.update("UPDATE complaint_contact SET last_message_at = ? WHERE complaint_id = ? AND channel = ? "
                + "AND (last_message_at IS NULL OR last_message_at < ?)", at, complaintId, channel, at);
    }

    public Optional<Contact> find(String complaintId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM complaint_contact WHERE complaint_id = ?", ROW, complaintId)
                .stream().findFirst();
    }

    /**
     * The account's most recent complaint that was sent a thank-you and has no score yet: a lone digit from the account
     * is then its satisfaction score (the social channels ask before taking a message as a complaint).
     */
    public Optional<Contact> awaitingScore(String channel, String handle) {
        return jdbc.query("SELECT c.complaint_id FROM complaint_contact c JOIN outbound_sent s ON s.complaint_id = c.complaint_id "
                                + "AND s.kind LIKE 'THANKS%' WHERE c.channel = ? AND c.handle = ? AND c.satisfaction_score IS NULL "
                                + "AND c.status = ? ORDER BY s.sent_at DESC FETCH FIRST 1 ROWS ONLY", (rs, n) -> rs.getString(1),
                        channel, handle, Contact.RESOLVED)
                .stream().findFirst().flatMap(this::find);
    }

    /** Marks it resolved; false when it was unknown or already resolved (a repeated event). */
    public boolean markResolved(String complaintId, String resolution, String agent, OffsetDateTime at) {
        return markResolved(complaintId, Contact.RESOLVED, resolution, agent, at, null);
    }

    /**
     * Marks it resolved (status RESOLVED: thanked) or closed (CLOSED: without a thank-you, no call-back), with its
     * complaint_event row when {@code event} is given, in one transaction; false when it was unknown or already
     * resolved or closed (a repeated event: no second row either).
     */
    public boolean markResolved(String complaintId, String status, String resolution, String agent, OffsetDateTime at,
                                ComplaintHistory.Event event) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            // a reopened complaint's score was the last round's: the new thank-you asks again (and a call-back is due
            // again without one). Cleared here, not at the reopening: the score that reopened it may be recorded
            // just after the reopening (the page and the social channel queue the event before they record the score)
            boolean changed = jdbc.update("UPDATE complaint_contact SET status = ?, resolved_at = ?, resolution = ?, agent = ?, "
                    + "satisfaction_score = CASE WHEN reopened > 0 THEN NULL ELSE satisfaction_score END, "
                    + "satisfaction_at = CASE WHEN reopened > 0 THEN NULL ELSE satisfaction_at END "
                    + "WHERE complaint_id = ? AND status NOT IN (?, ?)", status, at, resolution, agent, complaintId,
                    Contact.RESOLVED, Contact.CLOSED) == 1;
            if (changed && event != null) {
                eventFromRow(event);
            }
            return changed;
        }));
    }

    /** Complaints still to be handled (open, or open again), whose due time has passed, not reported overdue yet, oldest first. */
    public List<Contact> overdue(OffsetDateTime now, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM complaint_contact WHERE status IN (?, ?) AND overdue_at IS NULL AND due_at <= ? "
                + "ORDER BY due_at FETCH FIRST " + limit + " ROWS ONLY", ROW, Contact.OPEN, Contact.REOPENED, now);
    }

    /** Open (or reopened) complaints whose due time has passed (reported overdue or not), counted per grade. */
    public java.util.Map<String, Long> openOverdueByGrade(OffsetDateTime now) {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.query("SELECT grade, COUNT(*) FROM complaint_contact WHERE status IN (?, ?) AND due_at <= ? GROUP BY grade",
                rs -> { counts.put(rs.getString(1), rs.getLong(2)); }, Contact.OPEN, Contact.REOPENED, now);
        return counts;
    }

    /** Claims the overdue report of one complaint; false if another node or an earlier run already did. */
    public boolean markOverdue(String complaintId, OffsetDateTime at) {
        return markOverdue(complaintId, at, null);
    }

    /** The same, with the OVERDUE complaint_event row (detail: the event) in the same transaction. */
    public boolean markOverdue(String complaintId, OffsetDateTime at, Map<String, Object> detail) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean claimed = jdbc.update("UPDATE complaint_contact SET overdue_at = ? WHERE complaint_id = ? AND overdue_at IS NULL",
                    at, complaintId) == 1;
            if (claimed && detail != null) {
                eventFromRow(new ComplaintHistory.Event("OVERDUE:" + complaintId + ":" + round(complaintId), complaintId,
                        "OVERDUE", at, null, null, null, detail));
            }
            return claimed;
        }));
    }

    /** How many times the complaint was reopened (0: never): the round a thank-you, score or call-back belongs to. */
    public int round(String complaintId) {
        return jdbc.query("SELECT reopened FROM complaint_contact WHERE complaint_id = ?", (rs, n) -> rs.getInt(1), complaintId)
                .stream().findFirst().orElse(0);
    }

    /**
     * The desk moved the complaint: its department (where follow-ups and repeats now go: dispatch reads it here) and the
     * REASSIGNED row, in one transaction; false when it is in that department already (the event handled before).
     */
    public boolean reassign(String complaintId, String department, ComplaintHistory.Event event) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean moved = jdbc.update("UPDATE complaint_contact SET department = ? WHERE complaint_id = ? AND department <> ?",
                    department, complaintId, department) == 1;
            if (moved) {
                eventFromRow(event);
            }
            return moved;
        }));
    }

    /**
     * Open again after the customer's dissatisfaction: status REOPENED (the overdue check applies again), round
     * {@code round}, the raised grade and new due time, no overdue report and no call-back yet in this round (the last
     * round's score stays until the next resolution: {@link #markResolved});
     * with the REOPENED row, in one transaction. False when it is not resolved or closed in the round before (handled
     * before).
     */
    public boolean reopen(String complaintId, int round, String grade, OffsetDateTime dueAt, ComplaintHistory.Event event) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean reopened = jdbc.update("UPDATE complaint_contact SET status = ?, reopened = ?, grade = ?, due_at = ?, "
                    + "overdue_at = NULL, callback_at = NULL "
                    + "WHERE complaint_id = ? AND reopened = ? AND status IN (?, ?)", Contact.REOPENED, round, grade, dueAt,
                    complaintId, round - 1, Contact.RESOLVED, Contact.CLOSED) == 1;
            if (reopened) {
                eventFromRow(event);
            }
            return reopened;
        }));
    }

    /** A status event that changes nothing in the ledger (IN_PROGRESS): its row only; false when kept before. */
    public boolean keep(ComplaintHistory.Event event) {
        try {
            return Boolean.TRUE.equals(tx.execute(s -> {
                eventFromRow(event);
                return true;
            }));
        } catch (DuplicateKeyException handledBefore) {
            return false;
        }
    }

    /**
     * Resolved (thanked) complaints with no score and no call-back yet in this round, resolved at or before
     * {@code resolvedBefore}, the oldest first.
     */
    public List<Contact> awaitingCallback(OffsetDateTime resolvedBefore, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM complaint_contact WHERE status = ? AND callback_at IS NULL "
                + "AND satisfaction_score IS NULL AND resolved_at <= ? ORDER BY resolved_at FETCH FIRST " + limit + " ROWS ONLY",
                ROW, Contact.RESOLVED, resolvedBefore);
    }

    /** The CALLBACK_DUE event went out: marked, with its row, in one transaction; false if marked before. */
    public boolean markCallback(String complaintId, OffsetDateTime at, Map<String, Object> detail) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean claimed = jdbc.update("UPDATE complaint_contact SET callback_at = ? WHERE complaint_id = ? "
                    + "AND callback_at IS NULL", at, complaintId) == 1;
            if (claimed) {
                eventFromRow(new ComplaintHistory.Event("CALLBACK_DUE:" + complaintId + ":" + round(complaintId), complaintId,
                        "CALLBACK_DUE", at, null, null, null, detail));
            }
            return claimed;
        }));
    }

    /**
     * The event's complaint_event row, with the complaint's department and grade as the ledger has them now (after the
     * change made before it in the same transaction). The event's own department and grade are not used.
     */
    private void eventFromRow(ComplaintHistory.Event e) {
        String detail = e.detail() == null ? null : org.complainthub.complaint.RecordJson.write(e.detail());
        if (detail != null && detail.length() > 4000) {
            detail = detail.substring(0, 4000);
        }
        jdbc.update("INSERT INTO complaint_event (event_key, complaint_id, type, at, department, grade, agent, detail) "
                + "SELECT ?, complaint_id, ?, ?, department, grade, ?, ? FROM complaint_contact WHERE complaint_id = ?",
                e.key(), e.type(), e.at(), e.agent() == null ? null : e.agent().substring(0, Math.min(100, e.agent().length())),
                detail, e.complaintId());
    }

    public boolean optOut(String complaintId, OffsetDateTime at) {
        return jdbc.update("UPDATE complaint_contact SET opted_out_at = ? WHERE complaint_id = ? AND opted_out_at IS NULL",
                at, complaintId) == 1;
    }

    /** Records the customer's score; false when one was given already (a link answers once). */
    public boolean recordSatisfaction(String complaintId, int score, OffsetDateTime at) {
        return recordSatisfaction(complaintId, score, null, at);
    }

    /**
     * Records the customer's score, with its SATISFACTION row (detail: score and comment), in one transaction; false when
     * one was given already (a link answers once; the resolution after a reopening asks again).
     */
    public boolean recordSatisfaction(String complaintId, int score, String comment, OffsetDateTime at) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean recorded = jdbc.update("UPDATE complaint_contact SET satisfaction_score = ?, satisfaction_at = ? "
                    + "WHERE complaint_id = ? AND satisfaction_score IS NULL", score, at, complaintId) == 1;
            if (recorded) {
                Map<String, Object> detail = new java.util.LinkedHashMap<>();
                detail.put("type", "SATISFACTION");
                detail.put("score", score);
                if (comment != null && !comment.isBlank()) {
                    detail.put("comment", comment.strip());
                }
                // numbered by the complaint's scores, not its round: the score that reopened it may be recorded after
                // the reopening (see markResolved)
                Integer before = jdbc.queryForObject("SELECT COUNT(*) FROM complaint_event WHERE complaint_id = ? "
                        + "AND type = 'SATISFACTION'", Integer.class, complaintId);
                eventFromRow(new ComplaintHistory.Event("SATISFACTION:" + complaintId + ":" + (before == null ? 1 : before + 1),
                        complaintId, "SATISFACTION", at, null, null, null, detail));
            }
            return recorded;
        }));
    }

    public boolean undeliverable(String address) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM undeliverable_address WHERE address = ?", Integer.class, address.toLowerCase());
        return n != null && n > 0;
    }

    public void markUndeliverable(String address, String reason, OffsetDateTime at) {
        try {
            jdbc.update("INSERT INTO undeliverable_address (address, reason, marked_at) VALUES (?,?,?)", address.toLowerCase(), reason, at);
        } catch (DuplicateKeyException already) {
            // marked before
        }
    }

    public boolean alreadySent(String complaintId, String kind) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM outbound_sent WHERE complaint_id = ? AND kind = ?", Integer.class, complaintId, kind);
        return n != null && n > 0;
    }

    public int sentTo(String recipientHash, OffsetDateTime since) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM outbound_sent WHERE recipient_hash = ? AND sent_at > ?", Integer.class, recipientHash, since);
        return n == null ? 0 : n;
    }

    /** Messages sent on a transport since then, and the first of them (null when none): the global budget. */
    public Sent sentBy(String transport, OffsetDateTime since) {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(sent_at) FROM outbound_sent WHERE transport = ? AND sent_at > ?",
                (rs, n) -> new Sent(rs.getInt(1), rs.getObject(2, OffsetDateTime.class)), transport, since);
    }

    public record Sent(int count, OffsetDateTime first) {
    }

    /**
     * Claims the sending of one message for {@code lease}: true when no other sender holds a live claim on it (a new
     * claim, or one older than the lease: its sender died). Kept after the send (outbound_sent then says it went).
     */
    public boolean claimSend(String complaintId, String kind, OffsetDateTime now, java.time.Duration lease) {
        if (jdbc.update("UPDATE outbound_claim SET claimed_at = ? WHERE complaint_id = ? AND kind = ? AND claimed_at < ?",
                now, complaintId, kind, now.minus(lease)) == 1) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO outbound_claim (complaint_id, kind, claimed_at) VALUES (?,?,?)", complaintId, kind, now);
            return true;
        } catch (DuplicateKeyException heldByAnother) {
            return false;
        }
    }

    /** A send that failed gives its claim up, so its retry (on any node) can claim it at once. */
    public void releaseSend(String complaintId, String kind) {
        jdbc.update("DELETE FROM outbound_claim WHERE complaint_id = ? AND kind = ?", complaintId, kind);
    }

    public void recordSent(String complaintId, String kind, String transport, String recipientHash, OffsetDateTime at) {
        try {
            jdbc.update("INSERT INTO outbound_sent (complaint_id, kind, transport, recipient_hash, sent_at) VALUES (?,?,?,?,?)",
                    complaintId, kind, transport, recipientHash, at);
        } catch (DuplicateKeyException sentTwice) {
            // a crash between sending and recording: the message went out twice at most once more
        }
    }

    private static Contact row(ResultSet rs, int n) throws SQLException {
        return new Contact(rs.getString("complaint_id"), rs.getString("channel"), rs.getString("name"), rs.getString("email"),
                rs.getString("phone"), rs.getString("handle"), rs.getString("language"), rs.getString("subject"),
                rs.getString("grade"), rs.getString("department"), time(rs, "received_at"), time(rs, "due_at"),
                rs.getString("status"), time(rs, "resolved_at"), rs.getString("resolution"), rs.getString("agent"),
                time(rs, "overdue_at"), time(rs, "opted_out_at"), (Integer) rs.getObject("satisfaction_score"),
                rs.getString("source_id"), time(rs, "last_message_at"), rs.getString("reply_ref"), rs.getString("repeat_of"));
    }

    private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }
}
