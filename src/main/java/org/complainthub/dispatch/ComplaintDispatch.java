package org.complainthub.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.dedup.SourceMessages;
import org.complainthub.evidence.EvidenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last step of kamelet:complaint-intake: deduplicate the complaint by its source message and put it on
 * complaints.&lt;department&gt; with a persistent send, returning once the broker has it. Complaints arriving together
 * (webhooks, form posts and mails handled side by side) are committed together ({@link GroupCommit}): one claim of
 * their source ids, one JMS transaction (with their acknowledgement requests), and one mark of them as dispatched with
 * the accounts' threads ({@link AccountThreads}) and their rows in the contact ledger -- instead of three commits
 * each. Under load the mark of one group and the claim of the next are one database commit.
 * A follow-up is sent where the complaint it follows is handled, whatever the rules said of its own text ({@link
 * #followUps}): decided here, with the group, for every channel.
 * A new complaint of a known customer about the same matter as one of theirs is a repeat ({@link RepeatComplaints}):
 * decided here too, with the group and after its follow-ups, in the claims' transaction.
 * A duplicate is not sent: the exchange property hubDuplicateOf names the complaint it already is.
 * A broker or database failure before the broker's commit propagates to the channel's route (nothing of this complaint
 * was queued). After the commit the complaint is taken, whatever the database says: marks it refuses are finished in
 * the background ({@link DispatchMarks}), and the caller is answered as usual.
 */
@Component
public class ComplaintDispatch {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    /**
     * A complaint and its record as validated by the caller; for a social message, the window within which it follows
     * its account's open complaint (decided with its group, which then redoes the record); whether its thread and
     * department were decided (a group whose commit failed is decided again on its own: once is enough).
     */
    private static final class Pending {
        final Complaint complaint;
        String record;
        Duration followUpWindow;
        boolean threadDecided;
        /** Whether it was decided a repeat or not ({@link RepeatComplaints}): once, as for its thread. */
        boolean repeatDecided;
        RepeatComplaints.Repeat repeat;

        Pending(Complaint complaint, String record, Duration followUpWindow) {
            this.complaint = complaint;
            this.record = record;
            this.followUpWindow = followUpWindow;
        }

        Complaint complaint() {
            return complaint;
        }

        String record() {
            return record;
        }
    }

    private final SourceMessageBatch sources;
    private final RecordSchema schema;
    private final BrokerBatch broker;
    private final TransactionTemplate tx;
    private final AccountThreads threads;
    private final RepeatComplaints repeats;
    private final DispatchMarks marks;
    private final FreeDiskSpace disk;
    private final EvidenceStore evidence;
    private final GroupCommit<Pending, String> group;

    public ComplaintDispatch(SourceMessageBatch sources, RecordSchema schema, BrokerBatch broker,
                             AccountThreads threads, RepeatComplaints repeats, DispatchMarks marks, FreeDiskSpace disk, EvidenceStore evidence,
                             DataSource dataSource, @Value("${hub.intake.group-commit-max:200}") int maxBatch) {
        this.sources = sources;
        this.schema = schema;
        this.broker = broker;
        this.threads = threads;
        this.repeats = repeats;
        this.marks = marks;
        this.disk = disk;
        this.evidence = evidence;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.group = new GroupCommit<>(new Steps(), maxBatch);
    }

    public void dispatch(Exchange exchange) throws Exception {
        Complaint c = exchange.getMessage().getBody(Complaint.class);
        disk.check();
        marks.checkRoom();
        // the record is written and checked by the caller's thread: the group's commit does I/O only
        String record = schema.toValidJson(c);
        // staged uploads (the form's) go into the evidence store before the broker's commit: once the complaint is
        // queued its links work, and a crash just after the commit loses no file
        @SuppressWarnings("unchecked")
        List<java.nio.file.Path> staged = exchange.getProperty(HubExchange.STAGED_EVIDENCE, List.class);
        List<String> created = staged == null ? List.of() : evidence.keep(staged);
        String duplicateOf;
        try {
            // a new message of an account (not already a follow-up) may follow the account's open complaint: decided with its
            // group, within the window its channel registered
            Duration window = c.getThreadOf() == null && c.getCustomer().handle() != null
                    ? threads.window(c.getChannel()).orElse(null) : null;
            duplicateOf = group.submit(new Pending(c, record, window));
        } catch (Exception | Error e) {
            evidence.undo(created);
            throw e;
        }
        if (duplicateOf != null) {
            evidence.undo(created);
        } else {
            evidence.kept(created);
        }
        if (duplicateOf != null) {
            exchange.setProperty(HubExchange.DUPLICATE_OF, duplicateOf);
            return;
        }
        LOG.info("complaint {} from {} queued for {} (grade {}, type {})", c.getId(), c.getChannel(), c.getDepartment(),
                c.getGrade(), c.getType());
    }

    /** A group on its way: claimed, then sent, then marked (by the step that claims the next group, if one waits). */
    private static final class Group {
        final List<Pending> batch;
        SourceMessageBatch.Claimed claimed;
        final List<Complaint> toSend = new ArrayList<>();
        final List<String> records = new ArrayList<>();
        final List<String> results = new ArrayList<>();
        final Map<Complaint, RepeatComplaints.Repeat> repeats = new java.util.IdentityHashMap<>();

        Group(List<Pending> batch) {
            this.batch = batch;
        }

        List<Complaint> complaints() {
            return batch.stream().map(Pending::complaint).toList();
        }
    }

    /** The group commit's three parts: {@link #step} (one database commit), the broker's commit, the results. */
    private final class Steps implements GroupCommit.Chain<Pending, String, Group> {

        /** Marks the previous group dispatched (with its social threads) and claims the next, in one commit. */
        @Override
        public Group step(Group previous, List<Pending> items) {
            Group next = items == null ? null : new Group(items);
            List<String> ids = next == null ? List.of() : next.complaints().stream().map(Complaint::getId).toList();
            try {
                tx.executeWithoutResult(status -> {
                    if (previous != null) {
                        marks.mark(previous.claimed);
                    }
                    if (next != null) {
                        followUps(next);
                        next.claimed = sources.claimAllNew(next.complaints());
                        repeats(next);
                    }
                });
            } catch (RuntimeException e) { // a message seen before, another node's thread, the database away: each on its own
                if (previous != null) {
                    // the broker has the previous group: its callers are answered whatever the database says now
                    marks.markOrFinishLater(previous.claimed);
                }
                if (next != null) {
                    followUps(next);
                    next.claimed = sources.claim(next.complaints());
                    repeats(next);
                }
            }
            if (next != null) {
                Map<Complaint, String> duplicateOf = next.claimed.duplicateOf();
                for (int i = 0; i < next.batch.size(); i++) {
                    Complaint c = next.batch.get(i).complaint();
                    next.results.add(duplicateOf.get(c));
                    if (!duplicateOf.containsKey(c)) {
                        next.toSend.add(c);
                        if (next.batch.get(i).repeat != null) {
                            next.repeats.put(c, next.batch.get(i).repeat);
                        }
                        // a complaint resumed after a crash has taken its first reference again: its record changed
                        next.records.add(c.getId().equals(ids.get(i)) ? next.batch.get(i).record() : schema.toValidJson(c));
                    }
                }
            }
            return next;
        }

        @Override
        public void middle(Group started) throws Exception {
            broker.send(started.toSend, started.records, List.of(), "", started.repeats);
        }

        @Override
        public List<String> results(Group finished) {
            return finished.results;
        }
    }

    /**
     * Where the group's follow-ups go, one query for each kind (it sees the threads and the ledger rows of the group
     * marked in the same transaction):
     * <ul>
     * <li>a complaint its channel made a follow-up (threadOf: an email answering the hub's message, an edit of a social
     * message) goes to the department of the complaint it follows ({@link AccountThreads#departmentsOf}), whatever the
     * rules said of its own text;</li>
     * <li>a message whose channel gave a follow-up window (a social message that is no edit) follows its account's open
     * complaint if it is within the window of that complaint's last message and not resolved (a message earlier in
     * this group counts too): threadOf, and that complaint's department.</li>
     * </ul>
     * A changed complaint has its record redone.
     */
    private void followUps(Group group) {
        List<Pending> undecided = group.batch.stream().filter(p -> !p.threadDecided).toList();
        List<Pending> threaded = undecided.stream().filter(p -> p.complaint.getThreadOf() != null).toList();
        if (!threaded.isEmpty()) {
            Map<String, String> departments = threads.departmentsOf(
                    threaded.stream().map(p -> p.complaint.getThreadOf()).collect(Collectors.toSet()));
            for (Pending p : threaded) {
                String department = departments.get(p.complaint.getThreadOf());
                if (department != null && !department.equals(p.complaint.getDepartment())) {
                    p.complaint.setDepartment(department);
                    p.record = schema.toValidJson(p.complaint);
                }
            }
        }
        List<Pending> candidates = undecided.stream().filter(p -> p.followUpWindow != null
                && p.complaint.getThreadOf() == null && p.complaint.getCustomer().handle() != null).toList();
        if (!candidates.isEmpty()) {
            Map<List<String>, AccountThreads.AccountThread> open = threads.threadsOf(
                    candidates.stream().map(p -> account(p.complaint)).collect(Collectors.toSet()));
            for (Pending p : candidates) {
                Complaint c = p.complaint;
                AccountThreads.AccountThread thread = open.get(account(c));
                if (thread != null && thread.followedBy(c.getReceivedAt(), p.followUpWindow)) {
                    c.setThreadOf(thread.complaintId());
                    c.setDepartment(thread.department());
                    p.record = schema.toValidJson(c);
                    open.put(account(c), new AccountThreads.AccountThread(thread.complaintId(), thread.department(),
                            c.getReceivedAt(), false));
                } else {
                    open.put(account(c), new AccountThreads.AccountThread(c.getId(), c.getDepartment(), c.getReceivedAt(), false));
                }
            }
        }
        undecided.forEach(p -> p.threadDecided = true);
    }

    /**
     * Which of the group's claimed complaints (not duplicates) are repeats, decided once each with the group, after its
     * follow-ups (a follow-up is never a repeat: the two are told apart here). A repeat has its record redone.
     */
    private void repeats(Group group) {
        java.util.Set<Complaint> toSend = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        toSend.addAll(group.claimed.toSend());
        List<Pending> undecided = group.batch.stream().filter(p -> !p.repeatDecided && toSend.contains(p.complaint)).toList();
        Map<Complaint, RepeatComplaints.Repeat> found = repeats.decide(undecided.stream().map(Pending::complaint).toList());
        for (Pending p : undecided) {
            p.repeat = found.get(p.complaint);
            if (p.repeat != null) {
                p.record = schema.toValidJson(p.complaint);
            }
            p.repeatDecided = true;
        }
    }

    private static List<String> account(Complaint c) {
        return List.of(c.getChannel(), c.getCustomer().handle());
    }

}
