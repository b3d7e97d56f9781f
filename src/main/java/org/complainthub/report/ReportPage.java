package org.complainthub.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.complainthub.HubProperties;
import org.springframework.stereotype.Component;

/**
 * The report as a page (mappings/templates/report/report.mustache, HTML-escaped) and as the JSON its charts are drawn
 * from. The JSON is put into the page inside a script element of type application/json: there HTML escaping would
 * not be undone, so it is written unescaped with every &lt;, &gt; and &amp; as a JSON \\u escape instead (no value can
 * close the element or open another).
 */
@Component
public class ReportPage {

    static final List<String> CARDS = List.of("complaints", "answeredInTimePct", "resolvedInTimePct", "overdue",
            "medianHoursToResolve", "satisfactionMean");
    static final List<String> CHARTS = List.of("channels", "types", "grades", "departments", "satisfaction", "signals");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Mustache template;
    private final ReportTexts texts;

    public ReportPage(HubProperties hub, ReportTexts texts) {
        this.texts = texts;
        Path file = hub.mappingsDir().resolve("templates/report/report.mustache");
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            template = new DefaultMustacheFactory().compile(r, "report");
        } catch (IOException e) {
            throw new IllegalStateException("page template " + file + " is missing", e);
        }
    }

    public String html(MonthlyReport report) {
        Map<String, Object> model = base(report.lang(), report.month() + "", report.department(), report.departments());
        model.put("generatedAt", report.generatedAt().atZone(report.zone()).format(GENERATED));
        model.put("timeZone", report.zone().getId());
        model.put("noComplaints", report.figures().complaints() == 0);
        ReportTable summary = report.table("summary");
        List<Map<String, Object>> cards = new ArrayList<>();
        for (String key : CARDS) {
            int row = summary.rowKeys().indexOf(key);
            cards.add(Map.of("key", key, "label", summary.rows().get(row).get(0), "value", shown(summary.rows().get(row).get(1))));
        }
        model.put("cards", cards);
        model.put("charts", CHARTS.stream().map(id -> Map.of("id", id, "title", texts.text(report.lang(), "charts." + id))).toList());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (ReportTable t : report.tables()) {
            // a column of numbers: right-aligned, its "none" too
            boolean[] numeric = new boolean[t.headers().size()];
            List<Map<String, Object>> headers = new ArrayList<>();
            for (int c = 0; c < numeric.length; c++) {
                int column = c;
                numeric[c] = c > 0 && t.rows().stream().anyMatch(r -> r.get(column) instanceof Number);
                headers.add(Map.of("text", t.headers().get(c), "number", numeric[c]));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int r = 0; r < t.rows().size(); r++) {
                List<Map<String, Object>> cells = new ArrayList<>();
                List<Object> row = t.rows().get(r);
                for (int c = 0; c < row.size(); c++) {
                    cells.add(Map.of("text", shown(row.get(c)), "number", numeric[c]));
                }
                rows.add(Map.of("key", t.rowKeys().get(r), "cells", cells));
            }
            tables.add(Map.of("id", t.id(), "title", t.title(), "headers", headers, "rows", rows));
        }
        model.put("tables", tables);
        model.put("data", json(report).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
        return render(model);
    }

    /** The page with the problems of a request (the picker stays, to ask again). */
    public String problems(ReportRequest request, List<String> departments) {
        Map<String, Object> model = base(request.lang(), request.month() == null ? "" : request.month().toString(),
                null, departments);
        model.put("failed", true);
        model.put("errors", messages(request));
        return render(model);
    }

    /** The problems of a request as lines of text, in its language. */
    public List<String> messages(ReportRequest request) {
        return request.problems().stream()
                .map(p -> texts.text(request.lang(), "errors." + p.key()) + " " + p.received()).toList();
    }

    /** The JSON the page's charts are drawn from: month, department, language, time zone, and the tables. */
    public String json(MonthlyReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("month", report.month().toString());
        data.put("department", report.department());
        data.put("lang", report.lang());
        data.put("timeZone", report.zone().getId());
        data.put("generatedAt", report.generatedAt().toString());
        data.put("tables", report.tables());
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> base(String lang, String month, String department, List<String> departments) {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", texts.all(lang));
        model.put("month", month);
        model.put("departments", departments.stream().map(d -> Map.of("key", d, "name", texts.department(lang, d),
                "selected", d.equals(department))).toList());
        // the values were checked (digits, letters, '-'); the template escapes them all the same
        model.put("query", "month=" + month + (department == null ? "" : "&department=" + department));
        return model;
    }

    private String render(Map<String, Object> model) {
        StringWriter out = new StringWriter();
        template.execute(out, model);
        return out.toString();
    }

    private static String shown(Object cell) {
        if (cell == null) {
            return "–";
        }
        return cell instanceof BigDecimal d ? d.toPlainString() : cell.toString();
    }
}
