package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SmsGateway;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The hotline channel end to end: call-log fixtures of each format and encoding (src/test/resources/hotline, written by
 * make_fixtures.py) are dropped into the hub's drop folder; the records are read off complaints.desk field by field,
 * the unreadable rows off complaints.quarantine with their line numbers, the files found in done/ and error/, and the
 * acknowledgements received by a local HTTP server standing in for the SMS gateway.
 * The "callcentre-gbk" format is defined here in properties only: a new export format is settings and a mapping.
 */
@TestPropertySource(properties = {"hub.hotline.read-lock-check-ms=200", "hub.hotline.poll-interval-ms=200",
        "hub.outbound.sms.token=gateway-token-demo", "hub.outbound.sms.sender=SHOP",
        "hub.outbound.max-per-recipient-per-hour=100",
        "hub.hotline.formats.callcentre-gbk.header=true",
        "hub.hotline.formats.callcentre-gbk.encoding=GB18030",
        "hub.hotline.formats.callcentre-gbk.columns=callerNumber,callerName,agent,startTime,duration,disposition,category,notes,demand,orderNumber,callId",
        "hub.hotline.formats.callcentre-gbk.header-names=主叫号码,客户姓名,坐席,开始时间,通话时长,处理结果,投诉类别,备注,客户诉求,订单号,通话ID",
        "hub.hotline.formats.callcentre-gbk.mapping=hotline-generic.jsonata",
        "hub.hotline.formats.callcentre-gbk.id-column=callId",
        "hub.hotline.formats.callcentre-gbk.caller-column=callerNumber",
        "hub.hotline.formats.callcentre-gbk.time-columns=startTime",
        "hub.hotline.formats.callcentre-gbk.take=$exists(notes) and disposition = \"已接通\""})
@Import(SharedTestClock.class)
class HotlineIntakeTest extends HubIntegrationTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final TestClock CLOCK = SharedTestClock.CLOCK;
    static final Path FIXTURES = Path.of("src/test/resources/hotline");
    static SmsGateway gateway;
    static Path dropFolder;
    static Path reports;


    @DynamicPropertySource
    static void hotline(DynamicPropertyRegistry registry) throws IOException {
        gateway = new SmsGateway();
        dropFolder = Files.createTempDirectory("hotline-drop-");
        registry.add("hub.outbound.sms.url", gateway::url);
        registry.add("hub.hotline.folder", dropFolder::toString);
        reports = Files.createTempDirectory("hotline-reports-");
        registry.add("hub.hotline.reports-folder", reports::toString);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @BeforeEach
    void daytime() {
        CLOCK.set(ZonedDateTime.now(SHANGHAI).withHour(10).withMinute(0).toInstant());
    }

    @Test
    void genericExportInUtf8WithBomBecomesOneComplaintPerCallWithNotes() throws Exception {
        String done = drop("generic.csv", "");
        assertThat(done).isEqualTo("done");
        Map<String, JsonNode> records = deskRecords();
        assertThat(records).containsOnlyKeys("CALL-0001", "CALL-0002", "CALL-0004", "CALL-0008");

        JsonNode first = records.get("CALL-0001");
        assertThat(first.get("channel").asText()).isEqualTo("hotline");
        assertThat(first.at("/customer/name").asText()).isEqualTo("张伟");
        assertThat(first.at("/customer/phone").asText()).isEqualTo("+8613800138000");
        assertThat(first.get("description").asText()).isEqualTo("快递三天都没送到，客服电话也打不通。");
        assertThat(first.at("/target/order").asText()).isEqualTo("DD20261120001");
        assertThat(first.at("/target/staff").asText()).isEqualTo("王敏");
        assertThat(first.get("demands").toString()).isEqualTo("[\"REFUND\"]");
        assertThat(first.get("type").asText()).isEqualTo("DELIVERY");
        assertThat(first.get("department").asText()).isEqualTo("logistics");
        assertThat(first.get("occurredAt").asText()).isEqualTo("2026-11-20T09:15:02+08:00");
        assertThat(first.at("/raw/inline").asText()).startsWith("13800138000,张伟,");

        JsonNode second = records.get("CALL-0002");
        assertThat(second.at("/customer/name").asText()).as("a formula stays text in the record").isEqualTo("=1+1");
        assertThat(second.at("/customer/phone").asText()).isEqualTo("+8613900139000");
        assertThat(second.get("description").asText())
                .isEqualTo("Washing machine broke after 3 days, \"really\" angry.\nSecond line of the notes.");
        assertThat(second.get("demands").toString()).isEqualTo("[\"REFUND\",\"REPAIR\"]");
        assertThat(second.at("/customer/language").asText()).isEqualTo("en");

        JsonNode withheld = records.get("CALL-0004");
        assertThat(withheld.at("/customer/phone").isMissingNode()).isTrue();
        assertThat(withheld.at("/customer/handle").asText()).isEqualTo("hotline-call:CALL-0004");
        assertThat(withheld.get("type").asText()).isEqualTo("SERVICE");

        JsonNode trunk = records.get("CALL-0008");
        assertThat(trunk.at("/customer/phone").asText()).as("outside-line prefix 9 taken off").isEqualTo("+8613800138001");
        assertThat(trunk.at("/customer/name").asText()).isEqualTo("@SUM(A1)");

        List<Quarantined> bad = quarantined();
        assertThat(bad).extracting(Quarantined::line).containsExactly("7", "8", "9", "11");
        assertThat(bad).allSatisfy(q -> assertThat(q.file()).isEqualTo("generic.csv"));
        assertThat(bad.get(0).reason()).contains("unreadable time in column startTime");
        assertThat(bad.get(0).raw()).isEqualTo("13600136000,赵六,王敏,20.11.2026 9:55,60,Answered,,有问题,,,CALL-0005");
        assertThat(bad.get(1).reason()).contains("broken quoting");
        assertThat(bad.get(2).reason()).contains("expected 11 columns, found 12");
        assertThat(bad.get(3).raw()).as("the quarantine keeps the row as it was").startsWith("+8613900139001,=HYPERLINK(");

        // the same rows in the CSV report for whoever fixes the export: formula cells neutralised there only
        List<String> report = report("generic.csv");
        assertThat(report.get(0)).isEqualTo("\"line\",\"reason\",\"row\"");
        assertThat(report).hasSize(5);
        assertThat(report.get(1)).startsWith("\"7\",\"unreadable time in column startTime");
        assertThat(report.get(4)).isEqualTo("\"11\",\"expected 11 columns, found 12\","
                + "\"'+8613900139001,=HYPERLINK(\"\"http://evil.example/\"\"),王敏,2026-11-20 10:20:00,60,Answered,,备注,,,CALL-0009,extra\"");

        // acknowledgements by SMS, in E.164, to the callers who gave a number, none to the withheld one
        JsonNode sms = json(smsFor(first.get("id").asText()).body());
        assertThat(sms.get("to").asText()).isEqualTo("+8613800138000");
        assertThat(smsFor(second.get("id").asText()).authorization()).isEqualTo("Bearer gateway-token-demo");
        assertThat(json(smsFor(trunk.get("id").asText()).body()).get("to").asText()).isEqualTo("+8613800138001");
        assertThat(smsFor(trunk.get("id").asText()).path()).isEqualTo("/v1/sms");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(gateway.received()).noneMatch(r -> r.body().contains(withheld.get("id").asText()));

        // the same file dropped again: done, and nothing new on any queue (calls by their ids, bad rows by their place)
        assertThat(drop("generic.csv", "")).isEqualTo("done");
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void gb18030ExportFromChineseExcelWithChineseColumnTitles() throws Exception {
        assertThat(drop("callcentre-gbk.csv", "callcentre-gbk")).isEqualTo("done");
        Map<String, JsonNode> records = deskRecords();
        assertThat(records).containsOnlyKeys("GBK-0001", "GBK-0002");
        JsonNode first = records.get("GBK-0001");
        assertThat(first.at("/customer/name").asText()).isEqualTo("𠮷田");
        assertThat(first.at("/customer/phone").asText()).isEqualTo("+8613800138002");
        assertThat(first.get("description").asText()).isEqualTo("电视屏幕有坏点，要求换货。");
        assertThat(first.get("type").asText()).isEqualTo("PRODUCT_QUALITY");
        assertThat(first.get("demands").toString()).isEqualTo("[\"EXCHANGE\"]");
        assertThat(first.at("/target/order").asText()).isEqualTo("SO-778");
        assertThat(records.get("GBK-0002").at("/customer/phone").isMissingNode()).isTrue();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void asteriskMasterCsvWithUniqueidAndUserfield() throws Exception {
        assertThat(drop("asterisk/Master.csv.1", "asterisk")).isEqualTo("done");
        Map<String, JsonNode> records = deskRecords();
        assertThat(records).containsOnlyKeys("1718010902.18", "1718013731.30", "1718014800.40");
        JsonNode zhang = records.get("1718010902.18");
        assertThat(zhang.at("/customer/name").asText()).isEqualTo("Zhang San");
        assertThat(zhang.at("/customer/phone").asText()).isEqualTo("+8613800138010");
        assertThat(zhang.get("description").asText()).isEqualTo("快递破损，订单4411，要求赔偿");
        assertThat(zhang.get("occurredAt").asText()).isEqualTo("2024-06-10T09:15:02+08:00");
        assertThat(records.get("1718013731.30").at("/customer/name").asText())
                .isEqualTo("=HYPERLINK(\"http://x.example/\",\"a\")");
        JsonNode anonymous = records.get("1718014800.40");
        assertThat(anonymous.at("/customer/phone").isMissingNode()).isTrue();
        assertThat(anonymous.at("/customer/name").isMissingNode()).isTrue();

        List<Quarantined> bad = quarantined();
        assertThat(bad).extracting(Quarantined::line).containsExactly("5", "6");
        assertThat(bad.get(0).reason()).isEqualTo("expected 18 columns, found 16");
        assertThat(bad.get(1).reason()).contains("duration is not a whole number");
        assertThat(bad).allSatisfy(q -> assertThat(q.file()).isEqualTo("asterisk/Master.csv.1"));

        // the per-account copy of the same call (accountlogs=yes) is not a second complaint
        assertThat(drop("asterisk/hotline.csv", "asterisk")).isEqualTo("done");
        assertThat(depth("complaints.desk")).isZero();
        // cdr.conf without loguniqueid/loguserfield: not this format, the whole file to error/, nothing queued
        assertThat(drop("asterisk/Master-16-columns.csv", "asterisk")).isEqualTo("error");
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void freeswitchCdrCsvWithUnescapedQuotes() throws Exception {
        assertThat(drop("freeswitch/Master.csv.2024-06-10-10-00-00", "freeswitch")).isEqualTo("done");
        Map<String, JsonNode> records = deskRecords();
        assertThat(records).containsOnlyKeys("3f1c2a8e-26f1-11ef-9a6b-0242ac120002", "6c1e0a15-26f4-11ef-9a6b-0242ac120002");
        JsonNode vip = records.get("6c1e0a15-26f4-11ef-9a6b-0242ac120002");
        assertThat(vip.at("/customer/name").asText()).isEqualTo("Wang \"VIP\" Wu");
        assertThat(vip.at("/customer/phone").asText()).isEqualTo("+8613600136020");
        assertThat(vip.get("description").asText()).isEqualTo("The \"premium\" plan was billed twice");
        assertThat(records.get("3f1c2a8e-26f1-11ef-9a6b-0242ac120002").get("description").asText()).isEqualTo("安装师傅迟到了三个小时");
        List<Quarantined> bad = quarantined();
        assertThat(bad).extracting(Quarantined::line).containsExactly("4");
        assertThat(bad.get(0).reason()).contains("expected 16 quoted columns, found 17");
    }

    @Test
    void rowsThatWouldMisleadTheOneParserOfTheirBatchAreEachReadOnTheirOwn(@TempDir Path staged) throws Exception {
        // line 3 has an even number of quotes yet leaves a quoted cell open, which line 4 closes; line 5 holds two calls
        // split by a bare CR. Read by one parser, 3 and 4 would be one record and 5 two, the count of records would
        // come out right and lines 4 and 5 would get the calls of line 5: each record must begin where its line does
        Path file = staged.resolve("mixed.csv");
        Files.writeString(file, "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\n"
                + "13800138000,钱一,王敏,2026-11-20 09:00:00,60,Answered,,快递一周没到,,DD-1,MIX-1\n"
                + "13800138000,a\"b,\"c,王敏,2026-11-20 09:01:00,60,Answered,,备注,,DD-2,MIX-2\n"
                + "1,客户\",坐席,x\"\n"
                + "13800138000,孙二,王敏,2026-11-20 09:02:00,60,Answered,,备注,,DD-3,MIX-3\r"
                + "13800138000,周五,王敏,2026-11-20 09:02:00,60,Answered,,备注,,DD-5,MIX-5\n"
                + "13900139000,李三,王敏,2026-11-20 09:03:00,60,Answered,,安装师傅迟到两小时,,DD-4,MIX-4\n",
                StandardCharsets.UTF_8);
        assertThat(drop(file, "")).isEqualTo("done");
        Map<String, JsonNode> records = deskRecords();
        assertThat(records).containsOnlyKeys("MIX-1", "MIX-4");
        assertThat(records.get("MIX-1").get("description").asText()).isEqualTo("快递一周没到");
        assertThat(records.get("MIX-1").at("/target/order").asText()).isEqualTo("DD-1");
        assertThat(records.get("MIX-4").get("description").asText()).isEqualTo("安装师傅迟到两小时");
        assertThat(records.get("MIX-4").at("/customer/name").asText()).isEqualTo("李三");
        assertThat(records.get("MIX-4").at("/target/order").asText()).isEqualTo("DD-4");
        List<Quarantined> bad = quarantined();
        assertThat(bad).extracting(Quarantined::line).containsExactly("3", "4", "5");
        assertThat(bad.get(0).reason()).contains("broken quoting");
        assertThat(bad.get(1).reason()).isEqualTo("expected 11 columns, found 4");
        assertThat(bad.get(2).reason()).isEqualTo("a line break outside quotes inside the row");
    }

    @Test
    void aFileThatIsNoCallLogGoesToErrorAndAHalfCopiedOneWaits() throws Exception {
        long desk = depth("complaints.desk");
        long quarantined = depth("complaints.quarantine");
        assertThat(drop("garbage.csv", "")).isEqualTo("error");
        assertThat(depth("complaints.desk")).as("nothing queued from it").isEqualTo(desk);
        assertThat(depth("complaints.quarantine")).as("the file goes to error/, not row by row to quarantine")
                .isEqualTo(quarantined);

        // a file still being copied under a temporary name is left alone until it is renamed
        Path part = dropFolder.resolve("late.csv.part");
        Files.copy(FIXTURES.resolve("callcentre-gbk.csv"), part);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> Files.exists(part) && outcomeOf("late.csv.part") == null);
    }

    // ---- helpers ----

    record Quarantined(String file, String line, String reason, String raw) {
    }

    /** Copies a fixture in under a temporary name, renames it, and waits until the hub moved it to done/ or error/. */
    private String drop(String fixture, String subFolder) throws IOException {
        return drop(FIXTURES.resolve(fixture), subFolder);
    }

    private String drop(Path source, String subFolder) throws IOException {
        String name = source.getFileName().toString();
        Path folder = subFolder.isEmpty() ? dropFolder : dropFolder.resolve(subFolder);
        Files.createDirectories(folder);
        Path tmp = folder.resolve(name + ".part");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        long before = countIn("done", name) + countIn("error", name);
        Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> countIn("done", name) + countIn("error", name) > before);
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(folder.resolve(name)));
        return countIn("done", name) > 0 && latest(name).startsWith(dropFolder.resolve("done")) ? "done" : "error";
    }

    /** The first quarantine report written for a file, line by line. */
    private List<String> report(String name) throws IOException {
        try (Stream<Path> files = Files.list(reports)) {
            Path first = files.filter(p -> p.getFileName().toString().endsWith("-" + name + ".quarantined.csv")).sorted()
                    .findFirst().orElseThrow();
            return Files.readAllLines(first, StandardCharsets.UTF_8);
        }
    }

    private String outcomeOf(String name) throws IOException {
        return countIn("done", name) + countIn("error", name) == 0 ? null : "moved";
    }

    private long countIn(String folder, String name) throws IOException {
        Path dir = dropFolder.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-" + name)).count();
        }
    }

    private Path latest(String name) throws IOException {
        List<Path> all = new ArrayList<>();
        for (String folder : List.of("done", "error")) {
            Path dir = dropFolder.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(p -> p.getFileName().toString().endsWith("-" + name)).forEach(all::add);
                }
            }
        }
        all.sort((a, b) -> a.toFile().lastModified() == b.toFile().lastModified()
                ? a.getFileName().compareTo(b.getFileName()) : Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
        return all.get(all.size() - 1);
    }

    /** Every record on the desk queue, checked against the schema, by sourceId (each sourceId once). */
    private Map<String, JsonNode> deskRecords() throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        while (depth("complaints.desk") > 0) {
            JsonNode record = take("complaints.desk").record();
            assertThat(out.put(record.get("sourceId").asText(), record)).as("each call once").isNull();
        }
        return out;
    }

    private List<Quarantined> quarantined() throws Exception {
        List<Quarantined> out = new ArrayList<>();
        while (depth("complaints.quarantine") > 0) {
            Message m = jms.receive("complaints.quarantine");
            BytesMessage bytes = (BytesMessage) m;
            byte[] raw = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(raw);
            assertThat(m.getStringProperty("channel")).isEqualTo("hotline");
            out.add(new Quarantined(m.getStringProperty("fileName"), m.getStringProperty("lineNumber"),
                    m.getStringProperty("reason"), new String(raw, StandardCharsets.UTF_8)));
        }
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.line()), Integer.parseInt(b.line())));
        return out;
    }

    private SmsGateway.Request smsFor(String id) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> gateway.received().stream().filter(r -> r.body().contains(id)).findFirst(),
                java.util.Optional::isPresent).get();
    }
}
