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
import org.complainthub.dispatch.DispatchListeners;
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
public class SocialThreads implements DispatchListeners.Listener {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ContactLedger ledger;

    public SocialThreads(DataSource dataSource, ContactLedger ledger) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.ledger = ledger;
    }

    /**
     * Complaints of social channels just dispatched, a batch at a time in one transaction: a new complaint opens its
     * account's thread (the latest of an account wins), a follow-up moves the thread's window.
     */
    @Override
    public void dispatched(List<Complaint> complaints) {
        Map<List<String>, Complaint> opened = new LinkedHashMap<>();
        List<Complaint> followUps = new ArrayList<>();
        for (Complaint c : complaints) {
            String handle = c.getCustomer() == null ? null : c.getCustomer().handle();
            if (handle != null && SocialMessages.CHANNELS.contains(c.getChannel())) {
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

    /**
     * The account's open complaint if its last message was within {@code window} of {@code now}: the window slides
     * with each follow-up, as people write in bursts. A resolved complaint is not followed up: the next message opens
     * a new one.
     */
    public Optional<String> openComplaint(String channel, String handle, OffsetDateTime now, Duration window) {
        return jdbc.query("SELECT complaint_id, last_at FROM social_thread WHERE channel = ? AND handle = ?",
                        (rs, n) -> new Thread(rs.getString(1), rs.getObject(2, OffsetDateTime.class)), channel, handle)
                .stream().findFirst()
                .filter(t -> !t.lastAt().plus(window).isBefore(now))
                .filter(t -> ledger.find(t.complaintId()).map(c -> !c.resolved()).orElse(true))
                .map(Thread::complaintId);
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

    private record Thread(String complaintId, OffsetDateTime lastAt) {
    }
}
