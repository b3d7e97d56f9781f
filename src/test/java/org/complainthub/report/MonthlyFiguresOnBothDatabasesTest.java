package org.complainthub.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.complainthub.HubProperties;
import org.complainthub.outbound.MessageTemplates;
import org.complainthub.support.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The report's query and figures on the hub's two databases, H2 and a real PostgreSQL, migrated by the hub's own
 * Flyway migrations: the seeded month ({@link ReportSeed}) gives exactly the figures worked out by hand on both, and a
 * month across a change of summer time (Europe/Berlin, October 2025: 745 hours) holds exactly what was received in it.
 */
class MonthlyFiguresOnBothDatabasesTest {

    static EmbeddedPostgres postgres;
    static JdbcTemplate h2;
    static JdbcTemplate pg;

    @BeforeAll
    static void databases() throws Exception {
        h2 = migrated(new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:report-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "hub", ""));
        postgres = EmbeddedPostgres.start();
        pg = migrated(postgres.dataSource(postgres.createDatabase("report")));
        for (JdbcTemplate db : List.of(h2, pg)) {
            ReportSeed.insert(db);
            berlinOctober(db);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static JdbcTemplate migrated(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new JdbcTemplate(ds);
    }

    static MonthlyReports reports(JdbcTemplate db, ZoneId zone) {
        HubProperties hub = new HubProperties(Path.of("target/test-data"), Path.of("mappings"), zone, "", "");
        ReportTexts texts = new ReportTexts(hub, new MessageTemplates(hub));
        return new MonthlyReports(new MonthHistory(db), () -> Set.of("quality", "logistics", "customer-service",
                "billing", "legal", "after-sales", "triage"), texts, hub, Clock.fixed(ReportSeed.NOW.toInstant(), zone));
    }

    @Test
    void theSeededMonthGivesTheFiguresWorkedOutByHandOnH2AndPostgres() {
        for (JdbcTemplate db : List.of(h2, pg)) {
            MonthlyReports reports = reports(db, ReportSeed.ZONE);
            MonthlyReports.Month month = reports.month(ReportSeed.MONTH);
            assertThat(month.departments()).contains("logistics", "triage");
            MonthlyReport all = reports.report(month, null, "en");
            String on = db == h2 ? "H2" : "PostgreSQL";
            assertThat(summary(all.table("summary"))).as(on).isEqualTo(ReportSeed.SUMMARY);
            assertThat(keyed(all.table("departments"))).as(on).isEqualTo(ReportSeed.DEPARTMENTS);
            assertThat(keyed(all.table("channels"))).as(on).isEqualTo(ReportSeed.CHANNELS);
            assertThat(keyed(all.table("types"))).as(on).isEqualTo(ReportSeed.TYPES);
            assertThat(keyed(all.table("grades"))).as(on).isEqualTo(ReportSeed.GRADES);
            assertThat(keyed(all.table("satisfaction"))).as(on).isEqualTo(ReportSeed.SATISFACTION);
            assertThat(keyed(all.table("repeats"))).as(on).isEqualTo(ReportSeed.REPEATS);
            assertThat(keyed(all.table("signals"))).as(on).isEqualTo(ReportSeed.SIGNALS);

            MonthlyReport logistics = reports.report(month, "logistics", "zh");
            assertThat(summary(logistics.table("summary"))).as(on).isEqualTo(ReportSeed.LOGISTICS_SUMMARY);
            assertThat(keyed(logistics.table("channels"))).as(on).isEqualTo(ReportSeed.LOGISTICS_CHANNELS);
            assertThat(logistics.table("channels").rows().get(0).get(0)).isEqualTo("微信");
            assertThat(logistics.table("departments").rows().get(0).get(0)).isEqualTo("储运部");

            // the months around it hold only what was received in them
            assertThat(reports.report(reports.month(YearMonth.of(2026, 2)), null, "en").figures().complaints()).as(on).isEqualTo(1);
            assertThat(reports.report(reports.month(YearMonth.of(2026, 4)), null, "en").figures().complaints()).as(on).isEqualTo(1);
        }
    }

    /** Europe/Berlin, October 2025 (summer time ends on the 26th: 02:00-03:00 happens twice). */
    static void berlinOctober(JdbcTemplate db) {
        String[] received = {"2025-09-30T23:59:59+02:00", "2025-10-01T00:00:00+02:00", "2025-10-26T02:30:00+02:00",
            "2025-10-26T02:30:00+01:00", "2025-10-31T23:59:59+01:00", "2025-11-01T00:00:00+01:00"};
        for (int i = 0; i < received.length; i++) {
            java.time.OffsetDateTime at = java.time.OffsetDateTime.parse(received[i]);
            db.update("INSERT INTO complaint_history (complaint_id, channel, type, grade, department, received_at, due_at,"
                    + " record) VALUES (?, 'email', 'OTHER', 'C', 'triage', ?, ?, '{}')", "C-20251001-00070" + i,
                    ReportSeed.utc(at), ReportSeed.utc(at.plusHours(48)));
        }
    }

    @Test
    void aMonthAcrossTheEndOfSummerTimeHoldsWhatWasReceivedInItInItsZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(java.time.Duration.between(MonthHistory.start(YearMonth.of(2025, 10), berlin),
                MonthHistory.start(YearMonth.of(2025, 11), berlin)).toHours()).isEqualTo(745);
        for (JdbcTemplate db : List.of(h2, pg)) {
            List<String> ids = reports(db, berlin).month(YearMonth.of(2025, 10)).complaints().stream()
                    .map(ComplaintFacts::complaintId).toList();
            assertThat(ids).containsExactly("C-20251001-000701", "C-20251001-000702", "C-20251001-000703",
                    "C-20251001-000704");
        }
    }

    /** A table as the keys of its rows followed by their cells after the first, as shown ("–" for none). */
    static List<List<String>> keyed(ReportTable t) {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = new ArrayList<>();
            row.add(t.rowKeys().get(r));
            t.rows().get(r).stream().skip(1).forEach(c -> row.add(shown(c)));
            rows.add(row);
        }
        return rows;
    }

    static Map<String, String> summary(ReportTable t) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int r = 0; r < t.rows().size(); r++) {
            m.put(t.rowKeys().get(r), shown(t.rows().get(r).get(1)));
        }
        return m;
    }

    static String shown(Object c) {
        return c == null ? "–" : c instanceof BigDecimal d ? d.toPlainString() : c.toString();
    }
}
