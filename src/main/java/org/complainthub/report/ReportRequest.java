package org.complainthub.report;

import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a report request asks for, checked: the month (YYYY-MM, default the current one in the hub's time zone), the
 * department (a name of letters, digits and '-', one the month or the rules know; empty: all), the language (lang
 * zh or en, else the browser's Accept-Language, else zh) and, for the CSV, one table. Each problem is named in
 * {@link #problems()} (key of report-text.yaml errors: and the value received, shortened and without control
 * characters): the request is answered 400 with them.
 */
public record ReportRequest(YearMonth month, String department, String lang, String table, List<Problem> problems) {

    private static final Pattern MONTH = Pattern.compile("(2\\d{3})-(0[1-9]|1[0-2])");
    private static final Pattern DEPARTMENT = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** One thing wrong: which parameter (errors.&lt;key&gt;) and what came. */
    public record Problem(String key, String received) {
    }

    public static ReportRequest parse(String month, String department, String lang, String table, String acceptLanguage,
                                      YearMonth current) {
        List<Problem> problems = new ArrayList<>();
        String language = lang == null || lang.isEmpty() ? fromHeader(acceptLanguage) : lang;
        if (!ReportTexts.LANGUAGES.contains(language)) {
            problems.add(new Problem("lang", shown(lang)));
            language = fromHeader(acceptLanguage);
        }
        YearMonth m = current;
        if (month != null && !month.isEmpty()) {
            var matcher = MONTH.matcher(month);
            if (matcher.matches()) {
                try {
                    m = YearMonth.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
                } catch (DateTimeException e) {
                    problems.add(new Problem("month", shown(month)));
                }
            } else {
                problems.add(new Problem("month", shown(month)));
                m = null;
            }
        }
        String d = department == null || department.isEmpty() ? null : department;
        if (d != null && !DEPARTMENT.matcher(d).matches()) {
            problems.add(new Problem("department", shown(d)));
            d = null;
        }
        String t = table == null || table.isEmpty() ? null : table;
        if (t != null && !MonthlyReports.TABLES.contains(t)) {
            problems.add(new Problem("table", shown(t)));
            t = null;
        }
        return new ReportRequest(m, d, language, t, problems);
    }

    /** The department asked for is not one the month or the rules know: a problem too. */
    public ReportRequest unknownDepartment() {
        List<Problem> more = new ArrayList<>(problems);
        more.add(new Problem("department", department));
        return new ReportRequest(month, null, lang, table, List.copyOf(more));
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** zh or en, whichever of the two the header prefers; zh when it names neither or cannot be read. */
    static String fromHeader(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 200) {
            return "zh";
        }
        try {
            String best = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), ReportTexts.LANGUAGES);
            return best == null ? "zh" : best;
        } catch (IllegalArgumentException e) {
            return "zh";
        }
    }

    /** A received value as it may be shown back: at most 40 characters, control characters as '?'. */
    static String shown(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
