package org.complainthub.outbound;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hub's own history of every complaint (tables complaint_history and complaint_event, V18): what it was when
 * dispatched, and every status change and hub event after it. Written by dispatch ({@link #recordDispatched}, in the
 * transaction that marks complaints dispatched, like the contact ledger) and by the desk's loop ({@link #event}); read
 * by reassignment and reopening (the record, to queue it again), the status page (progress notes) and the monthly
 * report.
 */
@Component
public class ComplaintHistory {

    /** A status change or hub event as kept: department and grade are the complaint's after it; detail its JSON. */
    public record Event(String key, String complaintId, String type, OffsetDateTime at, String department, String grade,
                        String agent, Map<String, Object> detail) {
    }

    private static final int DETAIL_MAX = 4000;

    private final JdbcTemplate jdbc;

    public ComplaintHistory(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * New complaints just put on the broker (follow-ups are not complaints of their own), in the caller's transaction;
     * one already kept (a mark finished twice) is not kept twice.
     */
    public void recordDispatched(List<Complaint> sent) {
        List<Complaint> fresh = sent.stream().filter(c -> c.getThreadOf() == null).toList();
        if (fresh.isEmpty()) {
            return;
        }
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < fresh.size(); i += 500) {
            List<Complaint> chunk = fresh.subList(i, Math.min(fresh.size(), i + 500));
            jdbc.query("SELECT complaint_id FROM complaint_history WHERE complaint_id IN ("
                            + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> { kept.add(rs.getString(1)); }, chunk.stream().map(Complaint::getId).toArray());
        }
        List<Complaint> rows = fresh.stream().filter(c -> !kept.contains(c.getId())).toList();
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO complaint_history (complaint_id, channel, type, grade, department, received_at, due_at, "
                + "repeat_of, order_no, product, store, staff, signals, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows, rows.size(), (ps, c) -> {
                    Complaint.Target t = c.getTarget();
                    ps.setString(1, c.getId());
                    ps.setString(2, c.getChannel());
                    ps.setString(3, c.getType().name());
                    ps.setString(4, c.getGrade().name());
                    ps.setString(5, c.getDepartment());
                    ps.setObject(6, c.getReceivedAt());
                    ps.setObject(7, c.getDueAt());
                    ps.setString(8, c.getRepeatOf());
                    ps.setString(9, cut(t == null ? null : t.order(), 200));
                    ps.setString(10, cut(t == null ? null : t.product(), 200));
                    ps.setString(11, cut(t == null ? null : t.store(), 200));
                    ps.setString(12, cut(t == null ? null : t.staff(), 200));
                    ps.setString(13, cut(c.getSignals().isEmpty() ? null : String.join(",", c.getSignals()), 2000));
                    ps.setString(14, RecordJson.write(c));
                });
    }

    /** The record as dispatched (JSON), if the complaint was dispatched since the history is kept. */
    public Optional<String> record(String complaintId) {
        return jdbc.query("SELECT record FROM complaint_history WHERE complaint_id = ?", (rs, n) -> rs.getString(1), complaintId)
                .stream().findFirst();
    }

    /**
     * Keeps one event, in the caller's transaction. Its key makes it one row however often it is handled: a second
     * insert throws DuplicateKeyException (the caller's transaction then rolls back what it did with it).
     */
    public void event(Event e) {
        String detail = e.detail() == null ? null : RecordJson.write(e.detail());
        if (detail != null && detail.length() > DETAIL_MAX) {
            detail = detail.substring(0, DETAIL_MAX);
        }
        jdbc.update("INSERT INTO complaint_event (event_key, complaint_id, type, at, department, grade, agent, detail) "
                        + "VALUES (?,?,?,?,?,?,?,?)", e.key(), e.complaintId(), e.type(), e.at(), e.department(), e.grade(),
                cut(e.agent(), 100), detail);
    }

    public boolean has(String eventKey) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM complaint_event WHERE event_key = ?", Integer.class, eventKey);
        return n != null && n > 0;
    }

    /** How many events of this type the complaint has had. */
    public int count(String complaintId, String type) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM complaint_event WHERE complaint_id = ? AND type = ?",
                Integer.class, complaintId, type);
        return n == null ? 0 : n;
    }

    /** The detail (JSON) of one event, if kept. */
    public Optional<Map<String, Object>> detail(String eventKey) {
        return jdbc.query("SELECT detail FROM complaint_event WHERE event_key = ?", (rs, n) -> rs.getString(1), eventKey)
                .stream().findFirst().map(ComplaintHistory::map);
    }

    /** The complaint's events of these types, oldest first. */
    public List<Event> events(String complaintId, String... types) {
        return jdbc.query("SELECT event_key, complaint_id, type, at, department, grade, agent, detail FROM complaint_event "
                        + "WHERE complaint_id = ? AND type IN (" + String.join(",", Collections.nCopies(types.length, "?"))
                        + ") ORDER BY at, event_id",
                (rs, n) -> new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8) == null ? null : map(rs.getString(8))),
                concat(complaintId, types));
    }

    private static Object[] concat(String first, String[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) {
        try {
            return RecordJson.MAPPER.readValue(json, Map.class);
        } catch (Exception cutOff) { // a detail cut at 4,000 characters is no longer JSON
            return Map.of();
        }
    }

    private static String cut(String s, int max) {
        return s == null ? null : s.substring(0, Math.min(max, s.length()));
    }
}
