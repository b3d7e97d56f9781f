package org.complainthub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Intake does not slow down as the hub's memory grows (issue 15): two hubs, each its own process, broker and H2 database,
 * take the same web form JSON load (16 clients) in alternating phases: one starts empty, the other with 1,000,000 stored
 * source message claims (received over the last 89 days, mostly marked dispatched in batches) and 200,000 known
 * customers (a phone and an email linked to each, and one earlier complaint each within the repeat window), seeded
 * directly into its database. Every request of the seeded side comes from a different known customer, so each one's
 * links and earlier complaint are read and compared (the matter differs: no repeat); on the empty side every customer is
 * new. Repeat detection is on for both. Prints the medians side by side and their ratio; target: seeded/empty >= 0.90.
 * Run: ./mvnw -B -o test -Pbenchmark -Dtest=IntakeWithHistoryBenchmark (127.0.0.1 only; seeding takes a minute or two).
 * -Dbench.history.claims, -Dbench.history.customers, -Dbench.history.per-phase, -Dbench.history.rounds change the sizes.
 */
@Tag("benchmark")
class IntakeWithHistoryBenchmark {

    static final int CLAIMS = Integer.getInteger("bench.history.claims", 1_000_000);
    static final int CUSTOMERS = Integer.getInteger("bench.history.customers", 200_000);
    static final int CLIENTS = Integer.getInteger("bench.history.clients", 16);
    static final int PER_PHASE = Integer.getInteger("bench.history.per-phase", 3000);
    static final int ROUNDS = Integer.getInteger("bench.history.rounds", 5);
    static final List<String> SETTINGS = List.of("hub.intake.max-per-minute-per-client=0", "hub.repeat.enabled=true",
            "logging.level.org.apache.camel=ERROR", "logging.level.org.complainthub=WARN");

    @Test
    void intakeWithAMillionClaimsAndTwoHundredThousandCustomersAgainstAnEmptyHub() throws Exception {
        int requests = PER_PHASE * (ROUNDS + 1);
        assertThat(requests).as("each request a different seeded customer").isLessThanOrEqualTo(CUSTOMERS);
        Path emptyData = java.nio.file.Files.createTempDirectory("history-bench-empty-");
        Path seededData = java.nio.file.Files.createTempDirectory("history-bench-seeded-");
        // the seeded hub's schema comes from its own migrations: start it once, stop it, then fill its database
        try (HubProcess first = HubProcess.start(seededData, "512m", SETTINGS)) {
            assertThat(first.isAlive()).isTrue();
        }
        long seeding = System.nanoTime();
        seed(seededData);
        System.out.printf("BENCHMARK seeded %,d claims and %,d customers in %.0f s%n", CLAIMS, CUSTOMERS,
                (System.nanoTime() - seeding) / 1e9);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (HubProcess empty = HubProcess.start(emptyData, "512m", SETTINGS);
             HubProcess seeded = HubProcess.start(seededData, "512m", SETTINGS)) {
            // customers numbered from 1 on both sides (known to the seeded hub only), phase after phase
            int[] offset = {0, 0};
            IntFunction<IntFunction<HttpRequest>> load = side -> {
                HubProcess hub = side == 0 ? empty : seeded;
                int from = offset[side];
                offset[side] += PER_PHASE;
                return i -> request(hub, from + i);
            };
            LoadPhases.run(http, CLIENTS, load.apply(0), 202, PER_PHASE, "warm-up empty");
            LoadPhases.run(http, CLIENTS, load.apply(1), 202, PER_PHASE, "warm-up seeded");
            List<Double> emptyRates = new ArrayList<>();
            List<Double> seededRates = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                emptyRates.add(LoadPhases.run(http, CLIENTS, load.apply(0), 202, PER_PHASE, "empty #" + round));
                seededRates.add(LoadPhases.run(http, CLIENTS, load.apply(1), 202, PER_PHASE, "seeded #" + round));
            }
            double e = LoadPhases.median(emptyRates);
            double s = LoadPhases.median(seededRates);
            System.out.printf("%nBENCHMARK %d clients, %d complaints per phase, %d rounds each, web form JSON intake, repeats on%n",
                    CLIENTS, PER_PHASE, ROUNDS);
            System.out.printf("BENCHMARK empty hub:                                    median %.0f complaints/s  %s%n", e, emptyRates);
            System.out.printf("BENCHMARK %,d claims, %,d known customers: median %.0f complaints/s  %s%n", CLAIMS, CUSTOMERS, s,
                    seededRates);
            System.out.printf("BENCHMARK ratio seeded/empty: %.2f  target >= 0.90: %s%n%n", s / e, s / e >= 0.9 ? "met" : "NOT met");
        } finally {
            HubProcess.delete(emptyData);
            HubProcess.delete(seededData);
        }
    }

    /** Customer n's complaint: their phone, a matter other than the one the seeded hub holds for them. */
    private static HttpRequest request(HubProcess hub, int n) {
        int customer = n + 1;
        String body = "{\"customer\": {\"phone\": \"" + phone(customer) + "\", \"email\": \"" + email(customer) + "\"},"
                + " \"description\": \"快递三天都没送到，电话也打不通，物流信息一直不更新。\", \"target\": {\"order\": \"NEW-"
                + customer + "\"}}";
        return HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String phone(int customer) {
        return "139" + String.format("%08d", customer);
    }

    private static String email(int customer) {
        return "customer" + customer + "@example.com";
    }

    /** Fills the stopped hub's H2 database, as the hub itself would have written it (keys hashed the same way). */
    private static void seed(Path dataDir) throws Exception {
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("hub") + ";DB_CLOSE_ON_EXIT=FALSE";
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Random random = new Random(15);
        try (Connection db = DriverManager.getConnection(url, "hub", "")) {
            db.setAutoCommit(false);
            long batches = CLAIMS / 100;
            try (PreparedStatement batch = db.prepareStatement("INSERT INTO dispatched_batch (batch_id, dispatched_at) VALUES (?,?)")) {
                for (long b = 1; b <= batches; b++) {
                    batch.setLong(1, -b); // the hub's own batch ids are positive
                    batch.setObject(2, now.minusMinutes(b * 89 * 24 * 60 / batches));
                    batch.addBatch();
                }
                batch.executeBatch();
            }
            String[] channels = {"webform", "hotline", "email", "wechat", "whatsapp", "telegram"};
            try (PreparedStatement claim = db.prepareStatement("INSERT INTO source_message (source_key, channel, complaint_id, "
                    + "received_at, dispatched_at, batch_id) VALUES (?,?,?,?,?,?)")) {
                for (int i = 0; i < CLAIMS; i++) {
                    String channel = channels[i % channels.length];
                    long b = i / 100 + 1;
                    OffsetDateTime at = now.minusMinutes(b * 89 * 24 * 60 / batches);
                    claim.setString(1, channel + ":" + UUID.nameUUIDFromBytes(("seed-" + i).getBytes(StandardCharsets.UTF_8)));
                    claim.setString(2, channel);
                    claim.setString(3, "C-" + at.toLocalDate().toString().replace("-", "") + "-" + (900000 + i % 100000));
                    claim.setObject(4, at);
                    if (i % 50 == 0) { // some taken on their own, marked one by one
                        claim.setObject(5, at);
                        claim.setObject(6, null);
                    } else {
                        claim.setObject(5, null);
                        claim.setLong(6, -b);
                    }
                    claim.addBatch();
                    if (i % 10_000 == 9_999) {
                        claim.executeBatch();
                        db.commit();
                    }
                }
                claim.executeBatch();
            }
            try (PreparedStatement link = db.prepareStatement("INSERT INTO customer_contact (contact_key, customer_id, linked_at, "
                    + "last_seen_at) VALUES (?,?,?,?)");
                 PreparedStatement matter = db.prepareStatement("INSERT INTO customer_complaint (complaint_id, customer_id, "
                         + "channel, department, grade, received_at, order_no, text_sketch) VALUES (?,?,?,?,?,?,?,?)")) {
                for (int c = 1; c <= CUSTOMERS; c++) {
                    String phoneKey = sha256("phone:+86" + phone(c));
                    OffsetDateTime at = now.minusMinutes(random.nextInt(29 * 24 * 60));
                    for (String key : List.of(phoneKey, sha256("email:" + email(c)))) {
                        link.setString(1, key);
                        link.setString(2, phoneKey); // a customer is named by its first contact, as the hub does
                        link.setObject(3, at);
                        link.setObject(4, at);
                        link.addBatch();
                    }
                    matter.setString(1, "C-SEED-" + c);
                    matter.setString(2, phoneKey);
                    matter.setString(3, "webform");
                    matter.setString(4, "quality");
                    matter.setString(5, "C");
                    matter.setObject(6, at);
                    matter.setString(7, "OLD-" + c);
                    matter.setString(8, "洗衣机用了三天就坏了要求退货" + c);
                    matter.addBatch();
                    if (c % 10_000 == 0) {
                        link.executeBatch();
                        matter.executeBatch();
                        db.commit();
                    }
                }
                link.executeBatch();
                matter.executeBatch();
            }
            db.commit();
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
