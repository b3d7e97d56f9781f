package org.complainthub.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.complainthub.support.EmbeddedPostgres;
import org.complainthub.support.HubIntegrationTest;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every Flyway migration on a fresh PostgreSQL, and the hub itself on PostgreSQL (its own embedded broker): a
 * complaint through the JSON API, Meta webhooks and a hotline file each land on their queues, and a redelivered webhook
 * and a file dropped again are duplicates. The same hub tests run on H2 everywhere else.
 */
@Import(MigrationsOnPostgresTest.PostgresLifetime.class)
class MigrationsOnPostgresTest extends HubIntegrationTest {

    static EmbeddedPostgres postgres;
    static Path dropFolder;

    @DynamicPropertySource
    static void onPostgres(DynamicPropertyRegistry r) throws Exception {
        postgres = EmbeddedPostgres.start();
        dropFolder = Files.createTempDirectory(Path.of("target", "test-data").toAbsolutePath(), "hotline-drop-");
        for (String s : postgres.hubSettings("postgres")) {
            String[] kv = s.split("=", 2);
            r.add(kv[0], () -> kv[1]);
        }
        r.add("hub.hotline.folder", dropFolder::toString);
        r.add("hub.hotline.poll-interval-ms", () -> "200");
        r.add("hub.hotline.read-lock-check-ms", () -> "200");
        r.add("hub.webhooks.meta.enabled", () -> "true");
        r.add("hub.webhooks.meta.app-secret", () -> "meta-app-secret-demo");
        r.add("hub.webhooks.meta.verify-token", () -> "verify-demo");
    }

    /**
     * The database outlives the hub: it is stopped as a bean the DataSource depends on, so after the hub's routes and
     * pool are closed (a JUnit @AfterAll would run before Spring closes the class's context).
     */
    @TestConfiguration
    static class PostgresLifetime {
        @Bean(destroyMethod = "close")
        EmbeddedPostgres embeddedPostgres() {
            return postgres;
        }

        @Bean
        static BeanFactoryPostProcessor dataSourceNeedsPostgres() {
            return factory -> {
                BeanDefinition dataSource = factory.getBeanDefinition("dataSource");
                List<String> dependsOn = new ArrayList<>(dataSource.getDependsOn() == null ? List.of() : List.of(dataSource.getDependsOn()));
                dependsOn.add("embeddedPostgres");
                dataSource.setDependsOn(dependsOn.toArray(String[]::new));
            };
        }
    }

    @Test
    void everyMigrationRunsOnAFreshDatabaseUpToTheHighestFile() throws Exception {
        String db = postgres.createDatabase("fresh");
        Flyway flyway = Flyway.configure().dataSource(postgres.dataSource(db)).locations("classpath:db/migration").load();
        flyway.migrate();
        MigrationInfo current = flyway.info().current();
        assertThat(current).isNotNull();
        assertThat(current.getVersion().getVersion()).isEqualTo(String.valueOf(highestMigrationFile()));
        assertThat(flyway.info().pending()).isEmpty();
        // the schema is usable as the hub uses it: the view, the sequence in blocks of 100
        JdbcTemplate jdbc = new JdbcTemplate(postgres.dataSource(db));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_message_state", Integer.class)).isZero();
        long first = jdbc.queryForObject("SELECT nextval('complaint_reference_seq')", Long.class);
        assertThat(jdbc.queryForObject("SELECT nextval('complaint_reference_seq')", Long.class)).isEqualTo(first + 100);
    }

    @Test
    void theHubTakesComplaintsOnPostgresAndKnowsARedeliveryAsADuplicate() throws Exception {
        JdbcTemplate hubDb = new JdbcTemplate(postgres.dataSource("postgres"));
        assertThat(hubDb.queryForObject("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success",
                Integer.class)).isEqualTo(highestMigrationFile());
        drain("complaints.desk");

        // the JSON API (web form channel): no source id, a reference from the PostgreSQL sequence
        HttpResponse<String> api = postJson("/api/complaints", """
                {"customer": {"name": "Li Lei", "email": "li.lei@example.com", "phone": "138 0013 8000"},
                 "subject": "Courier lost my parcel",
                 "description": "My parcel for order 4411 is a week late and the courier does not answer. Where is it?",
                 "target": {"order": "4411"}, "demands": ["EXPLANATION"]}""");
        assertThat(api.statusCode()).as(api.body()).isEqualTo(202);
        String apiId = json(api.body()).get("id").asText();
        assertThat(take("complaints.logistics").record().get("id").asText()).isEqualTo(apiId);

        // a signed Meta batch of two messages, then the same batch again (a platform's retry)
        byte[] batch = metaBatch("pg-1", "pg-2").getBytes(StandardCharsets.UTF_8);
        assertThat(meta(batch).statusCode()).isEqualTo(200);
        assertThat(meta(batch).statusCode()).isEqualTo(200);

        // a hotline file, then the same file again
        assertThat(drop("calls.csv")).isEqualTo("done");
        assertThat(drop("calls.csv")).isEqualTo("done");

        await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.desk") >= 5);
        // and stays there: a late duplicate would show within this
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> depth("complaints.desk") == 5);
        Map<String, Integer> bySource = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode r : drain("complaints.desk")) {
            ids.add(r.get("id").asText());
            bySource.merge(r.get("channel").asText() + ":" + r.path("sourceId").asText(""), 1, Integer::sum);
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates().contains(apiId);
        assertThat(bySource).containsEntry("messenger:m_pg-1", 1).containsEntry("messenger:m_pg-2", 1)
                .containsEntry("hotline:PG-CALL-1", 1).containsEntry("hotline:PG-CALL-2", 1);
        assertThat(hubDb.queryForObject("SELECT COUNT(*) FROM source_message_state WHERE dispatched_at IS NOT NULL",
                Integer.class)).isEqualTo(4);
    }

    static String metaBatch(String... mids) {
        StringBuilder messaging = new StringBuilder();
        for (int i = 0; i < mids.length; i++) {
            messaging.append(i == 0 ? "" : ",").append("{\"sender\":{\"id\":\"65432109876").append(mids[i].hashCode() & 0xfffff)
                    .append("\"},\"recipient\":{\"id\":\"112233445566778\"},\"timestamp\":1718000000045,\"message\":{\"mid\":\"m_")
                    .append(mids[i]).append("\",\"text\":\"My order #4411 arrived broken (").append(mids[i]).append(")\"}}");
        }
        return "{\"object\":\"page\",\"entry\":[{\"id\":\"112233445566778\",\"time\":1718000000123,\"messaging\":["
                + messaging + "]}]}";
    }

    static String metaSignature(byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("meta-app-secret-demo".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private HttpResponse<String> meta(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/webhooks/meta")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", metaSignature(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Two calls in the generic export's format, dropped under a temporary name and renamed; "done" or "error". */
    private String drop(String name) throws Exception {
        String csv = "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\n"
                + "13800138000,张伟,王敏,2026-11-20 09:15:02,405,Answered,物流,快递三天都没送到，客服电话也打不通。,退款,DD20261120001,PG-CALL-1\n"
                + "13900139000,Li Qiang,王敏,2026-11-20 09:30:00,120,Answered,,The washing machine broke after 3 days.,,,PG-CALL-2\n";
        Path tmp = dropFolder.resolve(name + ".part");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        long before = count("done") + count("error");
        Files.move(tmp, dropFolder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("done") + count("error") > before);
        return count("error") > 0 ? "error" : "done";
    }

    private long count(String folder) throws Exception {
        Path dir = dropFolder.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** The highest V<n>__ migration on the class path: helpers add migrations, so the count is not written here. */
    static int highestMigrationFile() throws Exception {
        URL folder = MigrationsOnPostgresTest.class.getClassLoader().getResource("db/migration");
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        int highest = 0;
        try (Stream<Path> files = Files.list(Path.of(URI.create(folder.toString())))) {
            for (Path p : files.toList()) {
                Matcher m = version.matcher(p.getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(highest).isPositive();
        return highest;
    }
}
