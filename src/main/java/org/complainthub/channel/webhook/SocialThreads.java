package org.complainthub.channel.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.complainthub.outbound.Contact;
import org.complainthub.outbound.ContactLedger;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which complaint a social account's messages currently follow (table social_thread, written at dispatch), and which
 * of its complaints waits for a satisfaction score after a thank-you (the outbound ledger).
 */
@Component
public class SocialThreads {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ContactLedger ledger;
    private final WebhookSettings settings;

    public SocialThreads(DataSource dataSource, ContactLedger ledger, WebhookSettings settings) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.ledger = ledger;
        this.settings = settings;
    }

    /**
     * Complaints just dispatched (ComplaintDispatch, in the commit that marks them), those of social channels a batch at
     * a time in one transaction: a new complaint opens its account's thread (the latest of an account wins), a
     * follow-up moves the thread's window.
     */
    public void dispatched(List<Complaint> complaints) {
        Map<List<String>, Complaint> opened = new LinkedHashMap<>();
        List<Complaint> followUps = new ArrayList<>();
        for (Complaint c : complaints) {
            String handle = c.getCustomer() == null ? null : c.getCustomer().handle();
            if (handle != null && settings.socialChannel(c.getChannel())) {
                if (c.getThreadOf() == null) {
                    opened.put(List.of(c.getChannel(), handle), c);
                } else {
                    followUps.add(c);
                }
            }
        }
        if (opened.isEmpty() && followUps.isEmpty()) {
            return;
        }
        try {
            tx.executeWithoutResult(status -> write(new ArrayList<>(opened.values()), followUps));
        } catch (DuplicateKeyException raced) { // another node opened one of these threads meanwhile: one by one
            opened.values().forEach(c -> opened(c.getChannel(), c.getCustomer().handle(), c.getId(), c.getDepartment(), c.getReceivedAt()));
            followUps.forEach(c -> followedUp(c.getChannel(), c.getCustomer().handle(), c.getReceivedAt()));
        }
    }

    private void write(List<Complaint> opened, List<Complaint> followUps) {
        if (!followUps.isEmpty()) {
            jdbc.batchUpdate("UPDATE social_thread SET last_at = ? WHERE channel = ? AND handle = ? AND last_at < ?",
                    followUps, followUps.size(), (ps, c) -> {
                        ps.setObject(1, c.getReceivedAt());
                        ps.setString(2, c.getChannel());
                        ps.setString(3, c.getCustomer().handle());
                        ps.setObject(4, c.getReceivedAt());
                    });
        }
        if (opened.isEmpty()) {
            return;
        }
        int[][] updated = jdbc.batchUpdate("UPDATE social_thread SET complaint_id = ?, department = ?, last_at = ? "
                + "WHERE channel = ? AND handle = ?", opened, opened.size(), (ps, c) -> {
                    ps.setString(1, c.getId());
                    ps.setString(2, c.getDepartment());
                    ps.setObject(3, c.getReceivedAt());
                    ps.setString(4, c.getChannel());
                    ps.setString(5, c.getCustomer().handle());
                });
        List<Complaint> fresh = new ArrayList<>();
        for (int i = 0; i < opened.size(); i++) {
            if (updated[0][i] == 0) {
                fresh.add(opened.get(i));
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO social_thread (channel, handle, complaint_id, department, last_at) VALUES (?,?,?,?,?)",
                fresh, fresh.size(), (ps, c) -> {
                    ps.setString(1, c.getChannel());
                    ps.setString(2, c.getCustomer().handle());
                    ps.setString(3, c.getId());
                    ps.setString(4, c.getDepartment());
                    ps.setObject(5, c.getReceivedAt());
                });
    }

    /** An account's thread: the complaint its messages follow, where it is handled, its last message, whether resolved. */
    public record AccountThread(String complaintId, String department, OffsetDateTime lastAt, boolean resolved) {
        /**
         * Whether a message at {@code at} follows it: its last message was within {@code window} (the window slides with
         * each follow-up, as people write in bursts), and it is not resolved (the next message opens a new complaint).
         */
        public boolean followedBy(OffsetDateTime at, Duration window) {
            return !resolved && !lastAt.plus(window).isBefore(at);
        }
    }

    /** The threads of these accounts ({@code [channel, handle]} each), in one query, with their complaints' status. */
    public Map<List<String>, AccountThread> threadsOf(java.util.Collection<List<String>> accounts) {
        Map<List<String>, AccountThread> found = new java.util.HashMap<>();
        if (accounts.isEmpty()) {
            return found;
        }
        List<Object> args = new ArrayList<>();
        accounts.forEach(args::addAll);
        String pairs = String.join(",", java.util.Collections.nCopies(accounts.size(), "(?,?)"));
        jdbc.query("SELECT t.channel, t.handle, t.complaint_id, t.department, t.last_at, c.status FROM social_thread t "
                        + "LEFT JOIN complaint_contact c ON c.complaint_id = t.complaint_id WHERE (t.channel, t.handle) IN (" + pairs + ")",
                rs -> {
                    found.put(List.of(rs.getString(1), rs.getString(2)), new AccountThread(rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class), Contact.RESOLVED.equals(rs.getString(6))));
                }, args.toArray());
        return found;
    }

    /** A new complaint from the account: its later messages follow this one. */
    public void opened(String channel, String handle, String complaintId, String department, OffsetDateTime at) {
        try { // most complaints come from accounts without a thread: one statement for them
            jdbc.update("INSERT INTO social_thread (channel, handle, complaint_id, department, last_at) VALUES (?,?,?,?,?)",
                    channel, handle, complaintId, department, at);
        } catch (DuplicateKeyException known) {
            jdbc.update("UPDATE social_thread SET complaint_id = ?, department = ?, last_at = ? WHERE channel = ? AND handle = ?",
                    complaintId, department, at, channel, handle);
        }
    }

    /** The department of a complaint that opened a thread, for a follow-up that arrives before the ledger has it. */
    public Optional<String> departmentOf(String complaintId) {
        return jdbc.query("SELECT department FROM social_thread WHERE complaint_id = ?", (rs, n) -> rs.getString(1), complaintId)
                .stream().findFirst();
    }

    /** A follow-up arrived: the window starts again from it. */
    public void followedUp(String channel, String handle, OffsetDateTime at) {
        jdbc.update("UPDATE social_thread SET last_at = ? WHERE channel = ? AND handle = ? AND last_at < ?", at, channel, handle, at);
    }

    /** The account's most recent complaint that was sent a thank-you and has no score yet. */
    public Optional<Contact> awaitingScore(String channel, String handle) {
        return jdbc.query("SELECT c.complaint_id FROM complaint_contact c JOIN outbound_sent s ON s.complaint_id = c.complaint_id "
                                + "AND s.kind = 'THANKS' WHERE c.channel = ? AND c.handle = ? AND c.satisfaction_score IS NULL "
                                + "ORDER BY s.sent_at DESC FETCH FIRST 1 ROWS ONLY", (rs, n) -> rs.getString(1), channel, handle)
                .stream().findFirst().flatMap(ledger::find);
    }

}
