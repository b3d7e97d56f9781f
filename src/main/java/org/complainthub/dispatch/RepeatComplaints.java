package org.complainthub.dispatch;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.complainthub.classify.GradeTimeLimits;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.Grade;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Repeat complaints (二次投诉, DOMAIN.md 1.6 and 1.9) and one customer across channels.
 * <p>
 * {@link #decide} (with a group or batch, in the claims' transaction; two queries for the whole group): a new complaint
 * (no threadOf: a follow-up stays a follow-up) from a known customer about the same matter as one of their complaints
 * received within {@code hub.repeat.window} (open or resolved) is a repeat of the earliest such complaint: repeatOf
 * (the original, when that complaint is itself a repeat), that complaint's department, a grade one level above the higher of the two (D to C to B to A), signal {@code repeat},
 * and the dueAt of its new grade. Same matter: the same order number when both name one (two different orders are two
 * matters), else the same product, else texts at least {@code hub.repeat.similarity} alike ({@link MatterSimilarity}).
 * A complaint earlier in the same group counts too.
 * <p>
 * {@link #recordDispatched} (in the mark transaction, with the claims): links the contacts each record gives together to
 * one customer (merging two known customers a record joins), moves on the last-seen time of the links it uses (links
 * expire {@code hub.dedup.retention} after it: dedup/ExpiredClaims), and keeps each new complaint's matter.
 */
@Component
public class RepeatComplaints {

    /** Why a complaint is a repeat: the earlier complaint and the channel it came through. */
    public record Repeat(String firstId, String firstChannel) {
    }

    /** An earlier complaint of a customer, as kept in customer_complaint. */
    private record Matter(String complaintId, String channel, String department, Grade grade, OffsetDateTime receivedAt,
                          String order, String product, String sketch, String repeatOf) {
    }

    /**
     * A link's last-seen time is moved on only when it is older than this: a customer's every message does not rewrite
     * their links, and expiry (days) does not need it finer.
     */
    private static final Duration SEEN_PRECISION = Duration.ofDays(1);

    /** At most this many values in one IN list (a hotline batch holds thousands of records). */
    private static final int IN_CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final boolean enabled;
    private final Duration window;
    private final double similarity;
    private final ObjectProvider<GradeTimeLimits> limits;

    public RepeatComplaints(DataSource dataSource, @Value("${hub.repeat.enabled:true}") boolean enabled,
                            @Value("${hub.repeat.window:30d}") Duration window,
                            @Value("${hub.repeat.similarity:0.5}") double similarity,
                            ObjectProvider<GradeTimeLimits> limits) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.enabled = enabled;
        this.window = window;
        this.similarity = similarity;
        this.limits = limits;
    }

    /**
     * Decides which of these complaints (about to be sent, in this order) are repeats, and makes them so; the caller
     * redoes their records. Runs in the caller's transaction.
     */
    public Map<Complaint, Repeat> decide(List<Complaint> complaints) {
        Map<Complaint, Repeat> repeats = new IdentityHashMap<>();
        if (!enabled) {
            return repeats;
        }
        Map<Complaint, List<String>> keys = new LinkedHashMap<>();
        for (Complaint c : complaints) {
            List<String> k = CustomerContacts.keysOf(c);
            if (c.getThreadOf() == null && c.getRepeatOf() == null && !k.isEmpty()) {
                keys.put(c, k);
            }
        }
        if (keys.isEmpty()) {
            return repeats;
        }
        Map<String, String> customerOf = customersOf(keys.values().stream().flatMap(List::stream).toList());
        OffsetDateTime since = keys.keySet().stream().map(Complaint::getReceivedAt).min(OffsetDateTime::compareTo).orElseThrow().minus(window);
        Map<String, List<Matter>> matters = mattersOf(new HashSet<>(customerOf.values()), since);
        for (Map.Entry<Complaint, List<String>> e : keys.entrySet()) {
            Complaint c = e.getKey();
            Set<String> customers = new TreeSet<>();
            e.getValue().forEach(k -> {
                if (customerOf.containsKey(k)) {
                    customers.add(customerOf.get(k));
                }
            });
            String customer = customers.isEmpty() ? e.getValue().get(0) : customers.iterator().next();
            e.getValue().forEach(k -> customerOf.putIfAbsent(k, customer)); // a later record of this group finds it
            customers.add(customer);
            Matter mine = matterOf(c);
            Matter first = null;
            for (String id : customers) {
                for (Matter m : matters.getOrDefault(id, List.of())) {
                    if (!m.receivedAt().isBefore(c.getReceivedAt().minus(window)) && !m.complaintId().equals(c.getId())
                            && sameMatter(m, mine) && (first == null || m.receivedAt().isBefore(first.receivedAt()))) {
                        first = m;
                    }
                }
            }
            if (first != null) {
                Repeat original = originalOf(first, matters);
                makeRepeat(c, first, original.firstId());
                repeats.put(c, original);
            }
            matters.computeIfAbsent(customer, id -> new ArrayList<>()).add(matterOf(c));
        }
        return repeats;
    }

    /**
     * The complaint a repeat names: the original, also when the closest match is itself a repeat of it (the third call
     * about an order repeats the first, not the second, even when the first is older than the window). Its channel is
     * looked up when the original is not among the matters read (rare); null once the original's row has expired.
     */
    private Repeat originalOf(Matter first, Map<String, List<Matter>> matters) {
        if (first.repeatOf() == null) {
            return new Repeat(first.complaintId(), first.channel());
        }
        String channel = matters.values().stream().flatMap(List::stream).filter(m -> m.complaintId().equals(first.repeatOf()))
                .map(Matter::channel).findFirst()
                .orElseGet(() -> jdbc.query("SELECT channel FROM customer_complaint WHERE complaint_id = ?",
                        rs -> rs.next() ? rs.getString(1) : null, first.repeatOf()));
        return new Repeat(first.repeatOf(), channel);
    }

    private void makeRepeat(Complaint c, Matter first, String original) {
        c.setRepeatOf(original);
        c.setDepartment(first.department());
        Grade higher = c.getGrade().atLeast(first.grade());
        Grade raised = Grade.values()[Math.max(0, higher.ordinal() - 1)];
        c.setGrade(raised);
        GradeTimeLimits l = limits.getIfAvailable();
        if (l != null && l.timeLimit(raised) != null) {
            c.setDueAt(c.getReceivedAt().plus(l.timeLimit(raised)));
        }
        List<String> signals = new ArrayList<>(c.getSignals());
        if (!signals.contains("repeat")) {
            signals.add("repeat");
        }
        c.setSignals(signals);
    }

    private boolean sameMatter(Matter earlier, Matter now) {
        if (earlier.order() != null && now.order() != null) {
            return earlier.order().equals(now.order());
        }
        if (earlier.product() != null && earlier.product().equals(now.product())) {
            return true;
        }
        return earlier.sketch() != null && now.sketch() != null
                && MatterSimilarity.similarity(earlier.sketch(), now.sketch()) >= similarity;
    }

    private static Matter matterOf(Complaint c) {
        Complaint.Target t = c.getTarget();
        String sketch = MatterSimilarity.sketch(c.text());
        return new Matter(c.getId(), c.getChannel(), c.getDepartment(), c.getGrade(), c.getReceivedAt(),
                t == null ? null : identifier(t.order(), 64), t == null ? null : identifier(t.product(), 200),
                sketch.isEmpty() ? null : sketch, c.getRepeatOf());
    }

    /** An order or product number as compared: upper-case, no spaces (what people add or drop when they retype it). */
    private static String identifier(String s, int max) {
        if (s == null) {
            return null;
        }
        String n = s.replaceAll("\\s+", "").toUpperCase(java.util.Locale.ROOT);
        return n.isEmpty() ? null : n.substring(0, Math.min(max, n.length()));
    }

    /**
     * Complaints just sent (in the transaction that marks them dispatched; repeatable): their contacts linked to their
     * customers, and the new ones' matters kept.
     */
    public void recordDispatched(List<Complaint> sent) {
        if (!enabled || sent.isEmpty()) {
            return;
        }
        Map<Complaint, List<String>> keys = new LinkedHashMap<>();
        for (Complaint c : sent) {
            List<String> k = CustomerContacts.keysOf(c);
            if (!k.isEmpty()) {
                keys.put(c, k);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        Map<String, OffsetDateTime> lastSeen = new HashMap<>();
        Map<String, String> customerOf = customersOf(keys.values().stream().flatMap(List::stream).toList(), lastSeen);
        Map<String, OffsetDateTime> seenAgain = new LinkedHashMap<>(); // known links used again, to be kept longer
        for (Map.Entry<Complaint, List<String>> e : keys.entrySet()) {
            for (String k : e.getValue()) {
                OffsetDateTime at = e.getKey().getReceivedAt();
                if (lastSeen.containsKey(k) && lastSeen.get(k).isBefore(at.minus(SEEN_PRECISION))) {
                    seenAgain.merge(k, at, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        Map<String, String> newLinks = new LinkedHashMap<>();
        Map<String, OffsetDateTime> linkedAt = new HashMap<>();
        Map<String, String> merged = new LinkedHashMap<>(); // customer -> the customer it joins
        Map<Complaint, String> customerOfComplaint = new IdentityHashMap<>();
        for (Map.Entry<Complaint, List<String>> e : keys.entrySet()) {
            Set<String> customers = new TreeSet<>();
            e.getValue().forEach(k -> {
                if (customerOf.containsKey(k)) {
                    customers.add(customerOf.get(k));
                }
            });
            String customer = customers.isEmpty() ? e.getValue().get(0) : customers.iterator().next();
            for (String other : customers) {
                if (!other.equals(customer)) {
                    merged.put(other, customer);
                    customerOf.replaceAll((k, id) -> id.equals(other) ? customer : id);
                    newLinks.replaceAll((k, id) -> id.equals(other) ? customer : id);
                }
            }
            for (String k : e.getValue()) {
                if (!customerOf.containsKey(k)) {
                    customerOf.put(k, customer);
                    newLinks.put(k, customer);
                    linkedAt.put(k, e.getKey().getReceivedAt());
                }
            }
            customerOfComplaint.put(e.getKey(), customer);
        }
        // a customer merged later in the batch takes those of its complaints recorded earlier in it along
        customerOfComplaint.replaceAll((c, id) -> {
            String to = id;
            for (int hops = 0; merged.containsKey(to) && hops < 100; hops++) {
                to = merged.get(to);
            }
            return to;
        });
        List<Map.Entry<String, String>> links = new ArrayList<>(newLinks.entrySet());
        if (!links.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO customer_contact (contact_key, customer_id, linked_at, last_seen_at) VALUES (?,?,?,?)",
                    links, links.size(), (ps, l) -> {
                        ps.setString(1, l.getKey());
                        ps.setString(2, l.getValue());
                        ps.setObject(3, linkedAt.get(l.getKey()));
                        ps.setObject(4, linkedAt.get(l.getKey()));
                    });
        }
        List<Map.Entry<String, OffsetDateTime>> seen = new ArrayList<>(seenAgain.entrySet());
        if (!seen.isEmpty()) {
            jdbc.batchUpdate("UPDATE customer_contact SET last_seen_at = ? WHERE contact_key = ? AND last_seen_at < ?", seen,
                    seen.size(), (ps, l) -> {
                        ps.setObject(1, l.getValue());
                        ps.setString(2, l.getKey());
                        ps.setObject(3, l.getValue());
                    });
        }
        merged.forEach((from, to) -> { // rare: a record joined two customers known apart
            jdbc.update("UPDATE customer_contact SET customer_id = ? WHERE customer_id = ?", to, from);
            jdbc.update("UPDATE customer_complaint SET customer_id = ? WHERE customer_id = ?", to, from);
        });
        List<Complaint> fresh = keys.keySet().stream().filter(c -> c.getThreadOf() == null).toList();
        Set<String> recorded = new HashSet<>();
        for (List<Complaint> chunk : chunks(fresh)) {
            jdbc.query("SELECT complaint_id FROM customer_complaint WHERE complaint_id IN (" + marks(chunk.size()) + ")",
                    rs -> { recorded.add(rs.getString(1)); }, chunk.stream().map(Complaint::getId).toArray());
        }
        List<Complaint> rows = fresh.stream().filter(c -> !recorded.contains(c.getId())).toList();
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO customer_complaint (complaint_id, customer_id, channel, department, grade, received_at, "
                    + "order_no, product_no, text_sketch, repeat_of) VALUES (?,?,?,?,?,?,?,?,?,?)", rows, rows.size(), (ps, c) -> {
                        Matter m = matterOf(c);
                        ps.setString(1, c.getId());
                        ps.setString(2, customerOfComplaint.get(c));
                        ps.setString(3, c.getChannel());
                        ps.setString(4, c.getDepartment());
                        ps.setString(5, c.getGrade().name());
                        ps.setObject(6, c.getReceivedAt());
                        ps.setString(7, m.order());
                        ps.setString(8, m.product());
                        ps.setString(9, m.sketch());
                        ps.setString(10, c.getRepeatOf());
                    });
        }
    }

    /** The customer of each of these contact keys that has one. */
    private Map<String, String> customersOf(Collection<String> keys) {
        return customersOf(keys, new HashMap<>());
    }

    /** The same, and when each key was last seen, into {@code lastSeen}. */
    private Map<String, String> customersOf(Collection<String> keys, Map<String, OffsetDateTime> lastSeen) {
        Map<String, String> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(new LinkedHashSet<>(keys)))) {
            jdbc.query("SELECT contact_key, customer_id, last_seen_at FROM customer_contact WHERE contact_key IN ("
                    + marks(chunk.size()) + ")", rs -> {
                        found.put(rs.getString(1), rs.getString(2));
                        lastSeen.put(rs.getString(1), rs.getObject(3, OffsetDateTime.class));
                    }, chunk.toArray());
        }
        return found;
    }

    /** The complaints of these customers received since {@code since}, per customer. */
    private Map<String, List<Matter>> mattersOf(Set<String> customers, OffsetDateTime since) {
        Map<String, List<Matter>> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(customers))) {
            List<Object> args = new ArrayList<>(chunk);
            args.add(since);
            // where the earlier complaint is handled now and its grade now: the contact ledger's, which the desk changes
            // (a REASSIGNED status event moves it, a reopening raises its grade); customer_complaint keeps them as dispatched
            jdbc.query("SELECT m.customer_id, m.complaint_id, m.channel, COALESCE(c.department, m.department), "
                            + "COALESCE(c.grade, m.grade), m.received_at, m.order_no, m.product_no, m.text_sketch, m.repeat_of "
                            + "FROM customer_complaint m LEFT JOIN complaint_contact c ON c.complaint_id = m.complaint_id "
                            + "WHERE m.customer_id IN (" + marks(chunk.size()) + ") AND m.received_at >= ?",
                    rs -> {
                        found.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(new Matter(rs.getString(2),
                                rs.getString(3), rs.getString(4), Grade.valueOf(rs.getString(5)),
                                rs.getObject(6, OffsetDateTime.class), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getString(10)));
                    }, args.toArray());
        }
        return found;
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
