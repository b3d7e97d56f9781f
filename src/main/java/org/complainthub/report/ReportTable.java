package org.complainthub.report;

import java.util.List;

/**
 * One table of the report, as the page, the CSV, the workbook's sheet and the page's JSON all show it.
 *
 * @param id       summary, departments, channels, types, grades, satisfaction, repeats, signals
 * @param title    in the report's language
 * @param columns  the columns' keys (report-text.yaml columns:)
 * @param headers  the columns' names in the report's language
 * @param rowKeys  each row's key as stored (a metric, department, channel, type, grade, score, subject or signal),
 *                 for scripts and tests; the first cell is its name in the report's language
 * @param rows     cells: String, Long, java.math.BigDecimal or null (none, e.g. no median without a resolution)
 */
public record ReportTable(String id, String title, List<String> columns, List<String> headers, List<String> rowKeys,
                          List<List<Object>> rows) {
}
