package org.complainthub.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped Grafana dashboard (docs/ops/grafana-dashboard.json) and Prometheus alerting rules
 * (docs/ops/prometheus-alerts.yml) only name metrics the hub exports: every metric name in every PromQL expression
 * (read from the files, not listed here) is a sample of the hub's /actuator/prometheus. A renamed or dropped metric
 * would otherwise leave an empty panel and an alert that never fires.
 */
@AutoConfigureObservability // Spring Boot tests switch the Prometheus registry off otherwise
@Import(SharedTestClock.class)
@TestPropertySource(properties = "hub.metrics.refresh-ms=300")
class DashboardAndRulesTest extends HubIntegrationTest {

    static final Path DASHBOARD = Path.of("docs/ops/grafana-dashboard.json");
    static final Path RULES = Path.of("docs/ops/prometheus-alerts.yml");

    @LocalManagementPort
    int managementPort;

    /** The rules as Prometheus itself reads them (Debian's prometheus package has promtool; .ci/run installs it). */
    @Test
    void prometheusAcceptsTheRules() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(promtool).as("promtool (apt-get install prometheus)").isExecutable();
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void everyMetricTheDashboardAndTheRulesNameIsExportedByTheHub() throws Exception {
        // one complaint through dispatch: the metrics that start with the first one (intake, the dispatch route's timer)
        HttpResponse<String> posted = postJson("/api/complaints", """
                {"customer": {"email": "dashboard@example.com"}, "description": "I was charged twice for one order."}""");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        Map<String, Set<String>> used = new TreeMap<>(); // metric -> where
        dashboardExpressions().forEach((where, expr) -> metricNames(expr).forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>()).add(where)));
        ruleExpressions().forEach((where, expr) -> metricNames(expr).forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>()).add(where)));
        assertThat(used).as("metrics named by the dashboard and the rules").containsKeys("hub_intake_total",
                "hub_channel_up", "hub_queue_messages", "hub_complaints_overdue", "hub_outbound_total",
                "camel_route_policy_seconds_bucket", "hub_data_disk_free_bytes");

        Set<String> exported = exported(management("/actuator/prometheus"));
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exported);
        assertThat(missing).as("metrics the dashboard or the rules name that /actuator/prometheus does not have (metric=[where])")
                .isEmpty();
    }

    /**
     * The gauges the dashboard and the rules build on measure what is there: the queues' depths as the broker counts
     * them, the open complaints past their due time as the contact ledger has them.
     */
    @Test
    void theQueueAndOverdueGaugesFollowTheBrokerAndTheLedger() throws Exception {
        HttpResponse<String> posted = postJson("/api/complaints", """
                {"customer": {"email": "gauges@example.com"}, "description": "The courier threw my parcel over the fence."}""");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        jms.convertAndSend("complaints.quarantine", "{\"not\": \"a complaint\"}");

        for (String queue : List.of("complaints.desk", "complaints.quarantine")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> depth(queue) > 0
                    && gauge("hub_queue_messages{queue=\"" + queue + "\"}") == depth(queue));
        }
        assertThat(gauge("hub_queue_messages{queue=\"complaints.outbound.dead\"}")).isZero();

        assertThat(overdue()).as("nothing is due yet").isZero();
        SharedTestClock.CLOCK.advance(Duration.ofDays(60)); // past every grade's time limit
        await().atMost(Duration.ofSeconds(20)).until(() -> overdue() >= 1);
    }

    /** The reader of expressions finds metric names and leaves functions, labels, durations and keywords alone. */
    @Test
    void theExpressionReaderFindsMetricsOnly() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(camel_route_policy_seconds_bucket"
                + "{routeId=\"complaint-dispatch\",instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("camel_route_policy_seconds_bucket");
        assertThat(metricNames("time() - (max by (channel) (hub_channel_last_success_seconds) and on (channel) "
                + "max by (channel) (hub_channel_enabled{a=\"b or c\"}) == 1) offset 5m"))
                .containsExactlyInAnyOrder("hub_channel_last_success_seconds", "hub_channel_enabled");
        assertThat(metricNames("hub_data_disk_free_bytes < 2 * hub_data_disk_min_free_bytes unless ignoring(x) up1e3"))
                .containsExactlyInAnyOrder("hub_data_disk_free_bytes", "hub_data_disk_min_free_bytes", "up1e3");
        assertThat(metricNames("sum without (grade) (increase(x:recorded:rate5m[1h:5m]))")).containsExactly("x:recorded:rate5m");
    }

    /** Each panel target's expr, and the metric of each template variable's label_values(...). */
    static Map<String, String> dashboardExpressions() throws Exception {
        JsonNode dashboard = RecordJson.MAPPER.readTree(Files.readString(DASHBOARD));
        Map<String, String> out = new TreeMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add); // panels inside collapsed rows
        });
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                out.put("dashboard panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(), t.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.at("/templating/list")) {
            Matcher m = Pattern.compile("label_values\\((\\w+)").matcher(v.path("definition").asText());
            if (m.find()) {
                out.put("dashboard variable " + v.path("name").asText(), m.group(1));
            }
        }
        assertThat(out).as("expressions in " + DASHBOARD).hasSizeGreaterThan(10);
        assertThat(out.values()).allMatch(e -> !e.isBlank());
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> ruleExpressions() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
                out.put("rule " + name, String.valueOf(rule.get("expr")));
                assertThat(rule).as(name).containsKeys("expr", "labels", "annotations");
            }
        }
        assertThat(out).as("rules in " + RULES).hasSizeGreaterThan(5);
        return out;
    }

    private static final Pattern STRINGS = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$:])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan");

    /**
     * The metric names of a PromQL expression: what is left of its identifiers once strings, label matchers, ranges,
     * grouping labels, keywords and function calls (a name followed by "(") are taken out.
     */
    static Set<String> metricNames(String expr) {
        String s = STRINGS.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = s.replaceAll("\\boffset\\s+-?\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            String rest = s.substring(m.end()).stripLeading();
            if (!KEYWORDS.contains(name.toLowerCase()) && !rest.startsWith("(")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition (histograms' _bucket, _sum, _count included). */
    static Set<String> exported(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(line);
                if (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    private double overdue() throws Exception {
        double sum = 0;
        for (String grade : List.of("A", "B", "C", "D")) {
            double v = gauge("hub_complaints_overdue{grade=\"" + grade + "\"}");
            assertThat(v).as("grade " + grade).isNotNaN();
            sum += v;
        }
        return sum;
    }

    /** A sample's value in /actuator/prometheus; NaN when it is missing. */
    private double gauge(String sample) throws Exception {
        for (String line : management("/actuator/prometheus").split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).strip());
            }
        }
        return Double.NaN;
    }

    private String management(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}
