package org.complainthub.report;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import org.complainthub.HubProperties;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The monthly complaint report (投诉信息月汇总报表) on the management port, behind {@link ReportAccess}:
 * <ul>
 * <li>{@code GET /actuator/report?month=2026-11&department=quality&lang=zh}: the page (month picker, department
 * filter, charts, tables);</li>
 * <li>{@code GET /actuator/report/report.csv?...&table=departments}, {@code report.xlsx}, {@code report.json}: the
 * same tables as CSV (all, or one), an Excel workbook (a sheet per table), and the JSON the charts are drawn from;</li>
 * <li>{@code report/echarts.min.js} (Apache ECharts, from the webjar on the classpath) and {@code report/report.js}:
 * the page's scripts, public code, served without a login.</li>
 * </ul>
 * A bad month, department, language or table is answered 400 naming what was wrong; nothing is computed then.
 */
@Component
@WebEndpoint(id = "report")
public class ReportEndpoint {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final MonthlyReports reports;
    private final ReportPage page;
    private final ReportAccess access;
    private final HubProperties hub;
    private final Clock clock;
    private volatile byte[] echarts;
    private volatile byte[] script;

    public ReportEndpoint(MonthlyReports reports, ReportPage page, ReportAccess access, HubProperties hub, Clock clock) {
        this.reports = reports;
        this.page = page;
        this.access = access;
        this.hub = hub;
        this.clock = clock;
    }

    @ReadOperation(produces = {"text/html;charset=UTF-8", "text/plain;charset=UTF-8"})
    public WebEndpointResponse<Object> page(@Nullable String month, @Nullable String department, @Nullable String lang) {
        HttpServletRequest request = request();
        if (!access.allows(request.getHeader("Authorization"))) {
            return unauthorized();
        }
        headers("text/html");
        ReportRequest asked = ReportRequest.parse(month, department, lang, null, request.getHeader("Accept-Language"),
                currentMonth());
        if (!asked.ok()) {
            return new WebEndpointResponse<>(page.problems(asked, List.of()), 400, html());
        }
        MonthlyReports.Month history = reports.month(asked.month());
        if (asked.department() != null && !history.departments().contains(asked.department())) {
            return new WebEndpointResponse<>(page.problems(asked.unknownDepartment(), history.departments()), 400, html());
        }
        return new WebEndpointResponse<>(page.html(reports.report(history, asked.department(), asked.lang())), 200, html());
    }

    @ReadOperation(produces = {"text/csv;charset=UTF-8", XLSX, "application/json", "text/javascript;charset=UTF-8",
            "text/plain;charset=UTF-8"})
    public WebEndpointResponse<Object> file(@Selector String file, @Nullable String month, @Nullable String department,
                                            @Nullable String lang, @Nullable String table) {
        if (file.equals("echarts.min.js") || file.equals("report.js")) {
            headers("text/javascript");
            response().setHeader("Cache-Control", "private, max-age=86400");
            return new WebEndpointResponse<>(file.equals("report.js") ? script() : echarts(), 200,
                    MimeType.valueOf("text/javascript;charset=UTF-8"));
        }
        if (!List.of("report.csv", "report.xlsx", "report.json").contains(file)) {
            return plain(404, "no such file: " + ReportRequest.shown(file)
                    + " (report.csv, report.xlsx, report.json)");
        }
        HttpServletRequest request = request();
        if (!access.allows(request.getHeader("Authorization"))) {
            return unauthorized();
        }
        ReportRequest asked = ReportRequest.parse(month, department, lang, file.equals("report.csv") ? table : null,
                request.getHeader("Accept-Language"), currentMonth());
        if (!asked.ok()) {
            return plain(400, String.join("\n", page.messages(asked)));
        }
        MonthlyReports.Month history = reports.month(asked.month());
        if (asked.department() != null && !history.departments().contains(asked.department())) {
            return plain(400, String.join("\n", page.messages(asked.unknownDepartment())));
        }
        MonthlyReport report = reports.report(history, asked.department(), asked.lang());
        String name = "complaint-report-" + report.month() + (report.department() == null ? "" : "-" + report.department());
        switch (file) {
            case "report.csv" -> {
                headers("text/csv");
                attachment(name + (asked.table() == null ? "" : "-" + asked.table()) + ".csv");
                List<ReportTable> tables = asked.table() == null ? report.tables() : List.of(report.table(asked.table()));
                return new WebEndpointResponse<>(ReportFiles.csv(tables), 200, MimeType.valueOf("text/csv;charset=UTF-8"));
            }
            case "report.xlsx" -> {
                headers(XLSX);
                attachment(name + ".xlsx");
                return new WebEndpointResponse<>(ReportFiles.xlsx(report.tables()), 200, MimeType.valueOf(XLSX));
            }
            default -> {
                headers("application/json");
                return new WebEndpointResponse<>(page.json(report).getBytes(StandardCharsets.UTF_8), 200,
                        MimeType.valueOf("application/json"));
            }
        }
    }

    private YearMonth currentMonth() {
        return YearMonth.from(clock.instant().atZone(hub.timeZone()));
    }

    private WebEndpointResponse<Object> unauthorized() {
        response().setHeader("WWW-Authenticate", ReportAccess.CHALLENGE);
        return plain(401, "a login is required: user hub.report.username with hub.report.password (HUB_REPORT_PASSWORD),"
                + " or Authorization: Bearer <management token>");
    }

    private WebEndpointResponse<Object> plain(int status, String text) {
        headers("text/plain");
        return new WebEndpointResponse<>(text.getBytes(StandardCharsets.UTF_8), status,
                MimeType.valueOf("text/plain;charset=UTF-8"));
    }

    private static MimeType html() {
        return MimeType.valueOf("text/html;charset=UTF-8");
    }

    /** What every answer carries: not cached (but the scripts), not sniffed, not framed, not leaking the query. */
    private void headers(String type) {
        HttpServletResponse r = response();
        r.setHeader("Cache-Control", "no-store");
        r.setHeader("X-Content-Type-Options", "nosniff");
        r.setHeader("Referrer-Policy", "no-referrer");
        if (type.equals("text/html")) {
            r.setHeader("Content-Security-Policy", CSP);
        }
    }

    private void attachment(String fileName) {
        // the name is built of checked values only (digits, a-z, '-')
        response().setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    }

    private byte[] echarts() {
        if (echarts == null) {
            echarts = classpath("classpath*:META-INF/resources/webjars/echarts/*/dist/echarts.min.js");
        }
        return echarts;
    }

    private byte[] script() {
        if (script == null) {
            script = classpath("classpath:report/report.js");
        }
        return script;
    }

    private static byte[] classpath(String pattern) {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(pattern);
            if (found.length == 0) {
                throw new IllegalStateException(pattern + " is not on the classpath");
            }
            try (InputStream in = found[0].getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServletRequestAttributes attributes() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            throw new IllegalStateException("the report is served over HTTP only");
        }
        return attributes;
    }

    private static HttpServletRequest request() {
        return attributes().getRequest();
    }

    private static HttpServletResponse response() {
        return attributes().getResponse();
    }
}
