package org.complainthub.report;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A month of complaints (March 2026 in Asia/Shanghai) written into complaint_history and complaint_event as the desk's
 * part of issue 18 writes them, with every figure of its report worked out by hand below (the comments say why).
 * Eight complaints in the month, one a second before it and one at the first second of April (both left out).
 * Times are local (Asia/Shanghai, UTC+8).
 */
final class ReportSeed {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final YearMonth MONTH = YearMonth.of(2026, 3);
    /** The report's "now": after every due time of the month. */
    static final OffsetDateTime NOW = local("2026-04-20T12:00:00");

    static final String PRODUCT_FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")";
    static final String STORE_SCRIPT = "Store <script>alert(1)</script>";
    static final String SIGNAL_FORMULA = "=SUM(1+1)*cmd|' /C calc'!A0";

    private ReportSeed() {
    }

    static OffsetDateTime local(String t) {
        return LocalDateTime.parse(t).atZone(ZONE).toOffsetDateTime();
    }

    static void insert(JdbcTemplate jdbc) {
        // C0: a second before the month (left out)
        complaint(jdbc, "C-20260228-000900", "webform", "SERVICE", "C", "customer-service", "2026-02-28T23:59:59", 48,
                null, null, null, null, null, "type:service-slow");
        event(jdbc, "C-20260228-000900", "RESOLVED", "2026-03-01T10:00:00", "customer-service", "C", null);
        // C1: the first second of the month; answered the same day, resolved in time, score 5
        complaint(jdbc, "C-20260301-000001", "webform", "DELIVERY", "C", "logistics", "2026-03-01T00:00:00", 48,
                null, "JD-77", null, null, null, "type:delivery-late,grade:problem");
        event(jdbc, "C-20260301-000001", "IN_PROGRESS", "2026-03-01T10:00:00", "logistics", "C", null);
        event(jdbc, "C-20260301-000001", "RESOLVED", "2026-03-02T09:00:00", "logistics", "C", null);
        event(jdbc, "C-20260301-000001", "CALLBACK_DUE", "2026-03-03T09:00:00", "logistics", "C", null);
        event(jdbc, "C-20260301-000001", "SATISFACTION", "2026-03-03T10:00:00", "logistics", "C", "{\"score\":5}");
        // C2: B, answered on day 2 (in time: three days), resolved after its due time with an OVERDUE event; scored 2,
        // then 4 (the latest counts)
        complaint(jdbc, "C-20260305-000002", "email", "PRODUCT_QUALITY", "B", "quality", "2026-03-05T10:00:00", 24,
                null, null, null, null, null, "type:quality-defect,grade:strong-emotion");
        event(jdbc, "C-20260305-000002", "OVERDUE", "2026-03-06T10:00:00", "quality", "B", null);
        event(jdbc, "C-20260305-000002", "IN_PROGRESS", "2026-03-07T09:00:00", "quality", "B", "{\"note\":\"sent a new one\"}");
        event(jdbc, "C-20260305-000002", "RESOLVED", "2026-03-07T18:00:00", "quality", "B", null);
        event(jdbc, "C-20260305-000002", "SATISFACTION", "2026-03-08T10:00:00", "quality", "B", "{\"score\":2}");
        event(jdbc, "C-20260305-000002", "SATISFACTION", "2026-03-09T10:00:00", "quality", "B", "{\"score\":4,\"comment\":\"ok\"}");
        // C3: C received at 20:00, first answered the next morning (late for a general complaint), resolved in time,
        // scored 1, reopened (raised to B) and resolved again
        complaint(jdbc, "C-20260310-000003", "hotline", "SERVICE", "C", "customer-service", "2026-03-10T20:00:00", 48,
                null, null, null, null, null, "type:service-attitude");
        event(jdbc, "C-20260310-000003", "IN_PROGRESS", "2026-03-11T09:00:00", "customer-service", "C", null);
        event(jdbc, "C-20260310-000003", "RESOLVED", "2026-03-11T15:00:00", "customer-service", "C", null);
        event(jdbc, "C-20260310-000003", "SATISFACTION", "2026-03-12T09:00:00", "customer-service", "C", "{\"score\":1}");
        event(jdbc, "C-20260310-000003", "REOPENED", "2026-03-12T09:00:01", "customer-service", "B", "{\"score\":1}");
        event(jdbc, "C-20260310-000003", "RESOLVED", "2026-03-13T10:00:00", "customer-service", "B", null);
        // C4: A sent to quality, reassigned to logistics in 5 minutes, answered, never resolved: open and past due
        // (no OVERDUE event: the check counts it all the same); a repeat of C2 naming an order, a formula, markup, staff
        complaint(jdbc, "C-20260315-000004", "wechat", "DELIVERY", "A", "quality", "2026-03-15T08:00:00", 8,
                "C-20260305-000002", "JD-1001", PRODUCT_FORMULA, STORE_SCRIPT, "张三",
                "type:delivery-damaged,grade:media,grade:repeat");
        event(jdbc, "C-20260315-000004", "REASSIGNED", "2026-03-15T08:05:00", "logistics", "A",
                "{\"reassignedFrom\":\"quality\",\"department\":\"logistics\",\"reason\":\"transport\"}");
        event(jdbc, "C-20260315-000004", "IN_PROGRESS", "2026-03-15T09:00:00", "logistics", "A", null);
        // C5: B, a repeat of C1, nothing since: not answered, open, past due
        complaint(jdbc, "C-20260320-000005", "wechat", "DELIVERY", "B", "logistics", "2026-03-20T12:00:00", 24,
                "C-20260301-000001", "JD-1001", "Cup", "+Store 7", "张三", "type:delivery-late,grade:repeat");
        // C6: D, the month's last second; resolved 30 min 1 s later, on the next day (not answered the same day),
        // closed; a repeat naming cells that look like formulas; score 3
        complaint(jdbc, "C-20260331-000006", "email", "PRICE_BILLING", "D", "billing", "2026-03-31T23:59:59", 48,
                "C-20260310-000003", "-1+1", null, "@store", "李四", "type:billing-overcharge");
        event(jdbc, "C-20260331-000006", "RESOLVED", "2026-04-01T00:30:00", "billing", "D", null);
        event(jdbc, "C-20260331-000006", "CLOSED", "2026-04-02T09:00:00", "billing", "D", null);
        event(jdbc, "C-20260331-000006", "SATISFACTION", "2026-04-02T10:00:00", "billing", "D", "{\"score\":3}");
        // C7: C reassigned to billing and back, answered and resolved in time, score 4
        complaint(jdbc, "C-20260325-000007", "webform", "SERVICE", "C", "customer-service", "2026-03-25T09:00:00", 48,
                null, null, null, null, null, "type:service-slow");
        event(jdbc, "C-20260325-000007", "REASSIGNED", "2026-03-25T09:10:00", "billing", "C", "{\"reassignedFrom\":\"customer-service\"}");
        event(jdbc, "C-20260325-000007", "REASSIGNED", "2026-03-25T10:00:00", "customer-service", "C", "{\"reassignedFrom\":\"billing\"}");
        event(jdbc, "C-20260325-000007", "IN_PROGRESS", "2026-03-25T11:00:00", "customer-service", "C", null);
        event(jdbc, "C-20260325-000007", "RESOLVED", "2026-03-26T09:00:00", "customer-service", "C", null);
        event(jdbc, "C-20260325-000007", "SATISFACTION", "2026-03-26T12:00:00", "customer-service", "C", "{\"score\":4}");
        // C8: A, first answered exactly three days later (in time: at most three days), resolved after its due time
        // (overdue without an OVERDUE event); a signal that looks like a formula
        complaint(jdbc, "C-20260328-000008", "email", "OTHER", "A", "legal", "2026-03-28T10:00:00", 8,
                null, null, null, null, null, SIGNAL_FORMULA);
        event(jdbc, "C-20260328-000008", "IN_PROGRESS", "2026-03-31T10:00:00", "legal", "A", null);
        event(jdbc, "C-20260328-000008", "RESOLVED", "2026-03-31T12:00:00", "legal", "A", null);
        // C9: the first second of April (left out)
        complaint(jdbc, "C-20260401-000009", "email", "DELIVERY", "A", "logistics", "2026-04-01T00:00:00", 8,
                "C-20260301-000001", "JD-1001", null, null, null, "type:delivery-late");
        event(jdbc, "C-20260401-000009", "REASSIGNED", "2026-04-01T01:00:00", "quality", "A", null);
    }

    static void complaint(JdbcTemplate jdbc, String id, String channel, String type, String grade, String department,
                          String received, int hours, String repeatOf, String order, String product, String store,
                          String staff, String signals) {
        OffsetDateTime at = local(received);
        jdbc.update("INSERT INTO complaint_history (complaint_id, channel, type, grade, department, received_at, due_at,"
                        + " repeat_of, order_no, product, store, staff, signals, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                id, channel, type, grade, department, utc(at), utc(at.plusHours(hours)), repeatOf, order, product, store,
                staff, signals, "{\"id\":\"" + id + "\"}");
    }

    static void event(JdbcTemplate jdbc, String id, String type, String at, String department, String grade,
                      String detail) {
        jdbc.update("INSERT INTO complaint_event (event_key, complaint_id, type, at, department, grade, agent, detail)"
                + " VALUES (?,?,?,?,?,?,?,?)", type + ":" + id + ":" + at, id, type, utc(local(at)), department, grade,
                "agent-7", detail);
    }

    static OffsetDateTime utc(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    // ---- the expected report of the month, all departments ----

    /** The summary: metric -> value as shown (numbers as text; "–" for none). */
    static final Map<String, String> SUMMARY = Map.ofEntries(
            Map.entry("complaints", "8"),
            // C1, C2, C4, C7, C8 (C3 next morning, C5 never, C6 the next day)
            Map.entry("answeredInTime", "5"), Map.entry("answeredInTimePct", "62.5"),
            Map.entry("resolved", "6"),
            // C1, C3, C6, C7 (C2 and C8 late)
            Map.entry("resolvedInTime", "4"), Map.entry("resolvedInTimePct", "50.0"),
            // C2 (event), C4 and C5 (open past due), C8 (resolved late)
            Map.entry("overdue", "4"), Map.entry("open", "2"),
            // 0.5003, 19, 24 | 33, 56, 74 hours: (24 + 33) / 2
            Map.entry("medianHoursToResolve", "28.5"),
            Map.entry("reassigned", "2"), Map.entry("reopened", "1"), Map.entry("repeats", "3"),
            // C1 5, C2 4 (its latest), C3 1, C6 3, C7 4: 17 / 5
            Map.entry("scored", "5"), Map.entry("satisfactionMean", "3.40"));

    /** department, complaints, answeredInTime, %, resolvedInTime, %, overdue, open, median h, reassigned, reopened, repeats, mean */
    static final List<List<String>> DEPARTMENTS = List.of(
            List.of("logistics", "3", "2", "66.7", "1", "33.3", "2", "2", "33.0", "1", "0", "2", "5.00"),
            List.of("customer-service", "2", "1", "50.0", "2", "100.0", "0", "0", "21.5", "1", "1", "0", "2.50"),
            List.of("billing", "1", "0", "0.0", "1", "100.0", "0", "0", "0.5", "0", "0", "1", "3.00"),
            List.of("legal", "1", "1", "100.0", "0", "0.0", "1", "0", "74.0", "0", "0", "0", "–"),
            List.of("quality", "1", "1", "100.0", "0", "0.0", "1", "0", "56.0", "0", "0", "0", "4.00"));

    static final List<List<String>> CHANNELS = List.of(List.of("email", "3"), List.of("webform", "2"),
            List.of("wechat", "2"), List.of("hotline", "1"));

    static final List<List<String>> TYPES = List.of(List.of("DELIVERY", "3"), List.of("SERVICE", "2"),
            List.of("OTHER", "1"), List.of("PRICE_BILLING", "1"), List.of("PRODUCT_QUALITY", "1"));

    /** grade, complaints, answeredInTime, resolvedInTime, overdue */
    static final List<List<String>> GRADES = List.of(List.of("A", "2", "2", "0", "2"), List.of("B", "2", "1", "0", "2"),
            List.of("C", "3", "2", "3", "0"), List.of("D", "1", "0", "1", "0"));

    static final List<List<String>> SATISFACTION = List.of(List.of("1", "1"), List.of("2", "0"), List.of("3", "1"),
            List.of("4", "2"), List.of("5", "1"));

    /** subject, name, repeat complaints */
    static final List<List<String>> REPEATS = List.of(List.of("order", "JD-1001", "2"), List.of("order", "-1+1", "1"),
            List.of("product", PRODUCT_FORMULA, "1"), List.of("product", "Cup", "1"),
            List.of("store", "+Store 7", "1"), List.of("store", "@store", "1"), List.of("store", STORE_SCRIPT, "1"),
            List.of("staff", "张三", "2"), List.of("staff", "李四", "1"));

    /** The ten most frequent of eleven (type:service-slow, the last of the singles by name, is left out). */
    static final List<List<String>> SIGNALS = List.of(List.of("grade:repeat", "2"), List.of("type:delivery-late", "2"),
            List.of(SIGNAL_FORMULA, "1"), List.of("grade:media", "1"), List.of("grade:problem", "1"),
            List.of("grade:strong-emotion", "1"), List.of("type:billing-overcharge", "1"),
            List.of("type:delivery-damaged", "1"), List.of("type:quality-defect", "1"),
            List.of("type:service-attitude", "1"));

    /** The same for department=logistics (C1, C4, C5). */
    static final Map<String, String> LOGISTICS_SUMMARY = Map.ofEntries(
            Map.entry("complaints", "3"), Map.entry("answeredInTime", "2"), Map.entry("answeredInTimePct", "66.7"),
            Map.entry("resolved", "1"), Map.entry("resolvedInTime", "1"), Map.entry("resolvedInTimePct", "33.3"),
            Map.entry("overdue", "2"), Map.entry("open", "2"), Map.entry("medianHoursToResolve", "33.0"),
            Map.entry("reassigned", "1"), Map.entry("reopened", "0"), Map.entry("repeats", "2"),
            Map.entry("scored", "1"), Map.entry("satisfactionMean", "5.00"));

    static final List<List<String>> LOGISTICS_CHANNELS = List.of(List.of("wechat", "2"), List.of("webform", "1"));
}
