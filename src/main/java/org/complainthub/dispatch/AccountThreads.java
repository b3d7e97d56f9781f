package org.complainthub.dispatch;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.complainthub.outbound.Contact;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which complaint an account's messages currently follow (table social_thread, written at dispatch): an account is the
 * record's channel and its customer's handle (an open id, PSID, chat id), what the social channels' records carry.
 * Dispatch reads it to make a message within its channel's follow-up window a follow-up ({@link ComplaintDispatch}),
 * and to send a follow-up where the complaint it follows is handled ({@link #departmentsOf}).
 */
@Component
public class AccountThreads {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final List<FollowUpWindows> windows;

    public AccountThreads(DataSource dataSource, ObjectProvider<FollowUpWindows> windows) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // NESTED: inside the caller's transaction (DispatchMarks) a savepoint. PostgreSQL aborts a whole transaction at a
        // duplicate key (25P02 for every later statement): the raced write must roll back to its savepoint only, so the
        // one-by-one path after it can still write in the caller's transaction. Outside one it is a plain transaction.
        this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_NESTED);
        this.windows = windows.orderedStream().toList();
    }

    /** The follow-up window of the channel's accounts, as its channel registered it; empty: no account threads. */
    public Optional<Duration> window(String channel) {
        for (FollowUpWindows w : windows) {
            Optional<Duration> found = w.window(channel);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Complaints just dispatched ({@link DispatchMarks}, in the commit that marks them), those whose customer has a handle a
     * batch at a time in one transaction: a new complaint opens its account's thread (the latest of an account wins), a
     * follow-up moves the thread's window. Only the channels that registered a follow-up window ({@link FollowUpWindows})
     * have account threads: a withheld hotline caller's placeholder handle opens none.
     */
    public void dispatched(List<Complaint> complaints) {
        Map<List<String>, Complaint> opened = new LinkedHashMap<>();
        List<Complaint> followUps = new ArrayList<>();
        for (Complaint c : complaints) {
            String handle = c.getCustomer() == null ? null : c.getCustomer().handle();
            if (handle != null && window(c.getChannel()).isPresent()) {
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
    public Map<List<String>, AccountThread> threadsOf(Collection<List<String>> accounts) {
        Map<List<String>, AccountThread> found = new HashMap<>();
        if (accounts.isEmpty()) {
            return found;
        }
        List<Object> args = new ArrayList<>();
        accounts.forEach(args::addAll);
        String pairs = String.join(",", Collections.nCopies(accounts.size(), "(?,?)"));
        // the ledger's department first: the desk may have moved the complaint since (a REASSIGNED status event)
        jdbc.query("SELECT t.channel, t.handle, t.complaint_id, COALESCE(c.department, t.department), t.last_at, c.status "
                        + "FROM social_thread t LEFT JOIN complaint_contact c ON c.complaint_id = t.complaint_id "
                        + "WHERE (t.channel, t.handle) IN (" + pairs + ")",
                rs -> {
                    String status = rs.getString(6);
                    found.put(List.of(rs.getString(1), rs.getString(2)), new AccountThread(rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class), Contact.RESOLVED.equals(status) || Contact.CLOSED.equals(status)));
                }, args.toArray());
        return found;
    }

    /**
     * Where these complaints are handled, in one query: the contact ledger's department (where the desk may have moved
     * the complaint since: a REASSIGNED status event), else the department an account's thread names (written with the
     * complaint's dispatch, in the same transaction as the ledger's row). A complaint in neither is absent.
     */
    public Map<String, String> departmentsOf(Collection<String> complaintIds) {
        Map<String, String> found = new HashMap<>();
        if (complaintIds.isEmpty()) {
            return found;
        }
        String marks = String.join(",", Collections.nCopies(complaintIds.size(), "?"));
        List<Object> args = new ArrayList<>(complaintIds);
        args.addAll(complaintIds);
        jdbc.query("SELECT complaint_id, department, 0 FROM social_thread WHERE complaint_id IN (" + marks + ") "
                        + "UNION ALL SELECT complaint_id, department, 1 FROM complaint_contact WHERE complaint_id IN (" + marks + ")",
                rs -> {
                    if (rs.getInt(3) == 1 || !found.containsKey(rs.getString(1))) {
                        found.put(rs.getString(1), rs.getString(2));
                    }
                }, args.toArray());
        return found;
    }

    /** A new complaint from the account: its later messages follow this one. */
    public void opened(String channel, String handle, String complaintId, String department, OffsetDateTime at) {
        try { // most complaints come from accounts without a thread: one statement for them
            tx.executeWithoutResult(status -> jdbc.update(
                    "INSERT INTO social_thread (channel, handle, complaint_id, department, last_at) VALUES (?,?,?,?,?)",
                    channel, handle, complaintId, department, at));
        } catch (DuplicateKeyException known) {
            jdbc.update("UPDATE social_thread SET complaint_id = ?, department = ?, last_at = ? WHERE channel = ? AND handle = ?",
                    complaintId, department, at, channel, handle);
        }
    }

    /** A follow-up arrived: the window starts again from it. */
    public void followedUp(String channel, String handle, OffsetDateTime at) {
        jdbc.update("UPDATE social_thread SET last_at = ? WHERE channel = ? AND handle = ? AND last_at < ?", at, channel, handle, at);
    }
}
