package org.complainthub.report;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

/**
 * The report of one month (and one department, or all), in one language.
 *
 * @param department   the department asked for, or null for all
 * @param departments  the departments the picker offers: the configured ones and any the month's complaints are in
 * @param figures      the figures of the whole selection (the summary table)
 * @param tables       summary, departments, channels, types, grades, satisfaction, repeats, signals
 */
public record MonthlyReport(YearMonth month, String department, String lang, ZoneId zone, Instant generatedAt,
                            List<String> departments, MonthlyFigures figures, List<ReportTable> tables) {

    public ReportTable table(String id) {
        return tables.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + id));
    }
}
