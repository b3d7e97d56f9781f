package org.complainthub.report;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.complainthub.HubProperties;
import org.complainthub.broker.DepartmentNames;
import org.springframework.stereotype.Component;

/**
 * Builds the monthly report's tables from the month's history ({@link MonthHistory}) with the figures'
 * definitions of {@link MonthlyFigures}; the page, the CSV, the workbook and the JSON all show these tables.
 */
@Component
public class MonthlyReports {

    /** The tables, in the order they are shown (and the workbook's sheets). */
    public static final List<String> TABLES = List.of("summary", "departments", "channels", "types", "grades",
            "satisfaction", "repeats", "signals");
    /** How many orders, products, stores, staff and signals are named (the most frequent). */
    static final int TOP = 10;

    private final MonthHistory history;
    private final DepartmentNames configured;
    private final ReportTexts texts;
    private final HubProperties hub;
    private final Clock clock;

    public MonthlyReports(MonthHistory history, DepartmentNames configured, ReportTexts texts, HubProperties hub,
                          Clock clock) {
        this.history = history;
        this.configured = configured;
        this.texts = texts;
        this.hub = hub;
        this.clock = clock;
    }

    /** The month's complaints (every department) and the departments a report of it may be asked for. */
    public record Month(YearMonth month, List<ComplaintFacts> complaints, List<String> departments) {
    }

    public Month month(YearMonth month) {
        List<ComplaintFacts> all = history.complaints(month, hub.timeZone());
        TreeSet<String> departments = new TreeSet<>(configured.departments());
        all.forEach(f -> departments.add(f.department()));
        return new Month(month, all, List.copyOf(departments));
    }

    /** The report of a month for a department (null: all), in zh or en. */
    public MonthlyReport report(Month month, String department, String lang) {
        Instant now = clock.instant();
        List<ComplaintFacts> facts = month.complaints().stream()
                .filter(f -> department == null || department.equals(f.department())).toList();
        MonthlyFigures figures = MonthlyFigures.of(facts, hub.timeZone(), now);
        List<ReportTable> tables = List.of(summary(figures, lang), departments(facts, lang, now), channels(facts, lang),
                types(facts, lang), grades(facts, lang, now), satisfaction(figures, lang), repeats(facts, lang),
                signals(facts, lang));
        return new MonthlyReport(month.month(), department, lang, hub.timeZone(), now, month.departments(), figures,
                tables);
    }

    private ReportTable summary(MonthlyFigures f, String lang) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("complaints", f.complaints());
        values.put("answeredInTime", f.answeredInTime());
        values.put("answeredInTimePct", f.answeredInTimePct());
        values.put("resolved", f.resolved());
        values.put("resolvedInTime", f.resolvedInTime());
        values.put("resolvedInTimePct", f.resolvedInTimePct());
        values.put("overdue", f.overdue());
        values.put("open", f.open());
        values.put("medianHoursToResolve", f.medianHoursToResolve());
        values.put("reassigned", f.reassigned());
        values.put("reopened", f.reopened());
        values.put("repeats", f.repeats());
        values.put("scored", f.scored());
        values.put("satisfactionMean", f.satisfactionMean());
        List<List<Object>> rows = new ArrayList<>();
        values.forEach((k, v) -> rows.add(Arrays.asList(texts.text(lang, "metrics." + k), v)));
        return table("summary", lang, List.of("metric", "value"), List.copyOf(values.keySet()), rows);
    }

    private ReportTable departments(List<ComplaintFacts> facts, String lang, Instant now) {
        List<String> keys = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<String, List<ComplaintFacts>> d : byCount(facts, ComplaintFacts::department)) {
            MonthlyFigures f = MonthlyFigures.of(d.getValue(), hub.timeZone(), now);
            keys.add(d.getKey());
            rows.add(Arrays.asList(texts.department(lang, d.getKey()), f.complaints(), f.answeredInTime(),
                    f.answeredInTimePct(), f.resolvedInTime(), f.resolvedInTimePct(), f.overdue(), f.open(),
                    f.medianHoursToResolve(), f.reassigned(), f.reopened(), f.repeats(), f.satisfactionMean()));
        }
        return table("departments", lang, List.of("department", "complaints", "answeredInTime", "answeredInTimePct",
                "resolvedInTime", "resolvedInTimePct", "overdue", "open", "medianHoursToResolve", "reassigned",
                "reopened", "repeats", "satisfactionMean"), keys, rows);
    }

    private ReportTable channels(List<ComplaintFacts> facts, String lang) {
        return counts("channels", "channel", facts, ComplaintFacts::channel, c -> texts.text(lang, "channels." + c, c), lang);
    }

    private ReportTable types(List<ComplaintFacts> facts, String lang) {
        return counts("types", "type", facts, ComplaintFacts::type, t -> texts.text(lang, "types." + t, t), lang);
    }

    private ReportTable grades(List<ComplaintFacts> facts, String lang, Instant now) {
        Map<String, List<ComplaintFacts>> byGrade = new TreeMap<>();
        for (String g : List.of("A", "B", "C", "D")) {
            byGrade.put(g, new ArrayList<>());
        }
        facts.forEach(f -> byGrade.computeIfAbsent(f.grade(), g -> new ArrayList<>()).add(f));
        List<List<Object>> rows = new ArrayList<>();
        byGrade.forEach((g, list) -> {
            MonthlyFigures f = MonthlyFigures.of(list, hub.timeZone(), now);
            rows.add(Arrays.asList(texts.text(lang, "grades." + g, g), f.complaints(), f.answeredInTime(),
                    f.resolvedInTime(), f.overdue()));
        });
        return table("grades", lang, List.of("grade", "complaints", "answeredInTime", "resolvedInTime", "overdue"),
                List.copyOf(byGrade.keySet()), rows);
    }

    private ReportTable satisfaction(MonthlyFigures f, String lang) {
        List<String> keys = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (int score = 1; score <= 5; score++) {
            keys.add(String.valueOf(score));
            rows.add(Arrays.asList(String.valueOf(score), f.scores()[score - 1]));
        }
        return table("satisfaction", lang, List.of("score", "complaints"), keys, rows);
    }

    /** The orders, products, stores and staff named most often in repeat complaints, at most TOP of each. */
    private ReportTable repeats(List<ComplaintFacts> facts, String lang) {
        List<ComplaintFacts> repeats = facts.stream().filter(f -> f.repeatOf() != null).toList();
        Map<String, Function<ComplaintFacts, String>> subjects = new LinkedHashMap<>();
        subjects.put("order", ComplaintFacts::orderNo);
        subjects.put("product", ComplaintFacts::product);
        subjects.put("store", ComplaintFacts::store);
        subjects.put("staff", ComplaintFacts::staff);
        List<String> keys = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        subjects.forEach((subject, value) -> {
            List<ComplaintFacts> named = repeats.stream()
                    .filter(f -> value.apply(f) != null && !value.apply(f).isBlank()).toList();
            byCount(named, f -> value.apply(f).strip()).stream().limit(TOP).forEach(e -> {
                keys.add(subject);
                rows.add(Arrays.asList(texts.text(lang, "subjects." + subject), e.getKey(), (long) e.getValue().size()));
            });
        });
        return table("repeats", lang, List.of("subject", "name", "complaints"), keys, rows);
    }

    /** The signals (the classification rules that fired) of the most complaints, each counted once per complaint. */
    private ReportTable signals(List<ComplaintFacts> facts, String lang) {
        Map<String, Long> counts = facts.stream().filter(f -> f.signals() != null)
                .flatMap(f -> Arrays.stream(f.signals().split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct())
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        List<Map.Entry<String, Long>> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).toList();
        return table("signals", lang, List.of("signal", "complaints"), top.stream().map(Map.Entry::getKey).toList(),
                top.stream().map(e -> Arrays.<Object>asList(e.getKey(), e.getValue())).toList());
    }

    private ReportTable counts(String id, String column, List<ComplaintFacts> facts,
                               Function<ComplaintFacts, String> key, Function<String, String> name, String lang) {
        List<Map.Entry<String, List<ComplaintFacts>>> groups = byCount(facts, key);
        return table(id, lang, List.of(column, "complaints"), groups.stream().map(Map.Entry::getKey).toList(),
                groups.stream().map(e -> Arrays.<Object>asList(name.apply(e.getKey()), (long) e.getValue().size())).toList());
    }

    /** Groups by a key, the largest group first (then by key, so the order never depends on the database's). */
    private static List<Map.Entry<String, List<ComplaintFacts>>> byCount(List<ComplaintFacts> facts,
                                                                         Function<ComplaintFacts, String> key) {
        Map<String, List<ComplaintFacts>> groups = facts.stream().collect(Collectors.groupingBy(key));
        return groups.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, List<ComplaintFacts>>>comparingInt(e -> -e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    private ReportTable table(String id, String lang, List<String> columns, List<String> rowKeys,
                              List<List<Object>> rows) {
        return new ReportTable(id, texts.text(lang, "tables." + id), columns,
                columns.stream().map(c -> texts.text(lang, "columns." + c)).toList(), rowKeys, rows);
    }
}
