package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;

import com.dashjoin.jsonata.Jsonata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.intake.BatchIntake.Item;
import org.complainthub.intake.ComplaintValidator;
import org.junit.jupiter.api.Test;

/**
 * A refused call-log row carries what it takes to read it again alone (the quarantine replay): the file's header row,
 * the encoding and whether a byte-order mark chose it, the format, file and line; read again with the settings fixed,
 * it is the same call (same line, same source id) as if the whole file had been read with them.
 */
class CallLogRereadTest {

    static final String HEADER = "Call ID,Notes,Start Time,Caller Number";
    static final List<String> COLUMNS = List.of("callId", "notes", "startTime", "callerNumber");

    @Test
    void aRowWithAnUnreadableTimeIsTheSameCallOnceTheTimePatternIsFixed() throws Exception {
        HotlineSettings broken = settings(format("yyyy-MM-dd HH:mm:ss"), StandardCharsets.UTF_8);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        file.writeBytes((HEADER + "\r\nCALL-1,快递没送到,2026-11-20 09:10:00,13800138000\r\n"
                + "CALL-2,洗衣机坏了,20.11.2026 09:20,13900139000\r\n").getBytes(StandardCharsets.UTF_8));
        List<Item> items = read(file.toByteArray(), broken);
        Item refused = items.get(1);
        assertThat(refused.reason()).contains("unreadable time");
        assertThat(refused.properties()).containsEntry("payloadKind", "call-log-row").containsEntry("fileName", "calls.csv")
                .containsEntry("lineNumber", "3").containsEntry("hotlineFormat", "generic").containsEntry("encoding", "UTF-8")
                .containsEntry("encodingFromBom", "true").containsEntry("header", HEADER).doesNotContainKey("sourceId");
        assertThat(items.get(0).properties()).containsEntry("sourceId", "CALL-1");

        HotlineSettings fixed = settings(format("dd.MM.yyyy HH:mm"), StandardCharsets.UTF_8);
        Optional<Item> again = CallLog.reread(refused.raw(), refused.properties().get("header"), true, "calls.csv", 3,
                fixed.formats().get("generic"), fixed, Jsonata.jsonata("true"), callers(fixed));
        assertThat(again).isPresent();
        assertThat(again.get().reason()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> call = (Map<String, Object>) ((Map<String, Object>) again.get().payload()).get("call");
        assertThat(call).containsEntry("sourceId", "CALL-2").containsEntry("line", 3).containsEntry("file", "calls.csv")
                .containsEntry("phone", "+8613900139000");
        assertThat(((Map<?, ?>) again.get().payload()).get("startTime")).isEqualTo("2026-11-20T09:20+08:00");
    }

    @Test
    void aRowInTheWrongEncodingIsReadOnceTheEncodingIsFixedAndStaysRefusedBefore() throws Exception {
        Charset gb = Charset.forName("GB18030");
        HotlineSettings utf8 = settings(format("yyyy-MM-dd HH:mm:ss"), StandardCharsets.UTF_8);
        byte[] row = "CALL-9,冰箱不制冷,2026-11-20 09:30:00,13700137000".getBytes(gb);
        Optional<Item> still = CallLog.reread(row, HEADER, false, "export.csv", 7, utf8.formats().get("generic"), utf8,
                Jsonata.jsonata("true"), callers(utf8));
        assertThat(still.get().reason()).contains("not valid UTF-8");

        HotlineSettings gbk = settings(format("yyyy-MM-dd HH:mm:ss"), gb);
        Item taken = CallLog.reread(row, HEADER, false, "export.csv", 7, gbk.formats().get("generic"), gbk,
                Jsonata.jsonata("true"), callers(gbk)).orElseThrow();
        assertThat(taken.reason()).isNull();
        assertThat(((Map<?, ?>) taken.payload()).get("notes")).isEqualTo("冰箱不制冷");
        assertThat(taken.properties()).containsEntry("lineNumber", "7").containsEntry("sourceId", "CALL-9");
    }

    @Test
    void aCallTheFixedFilterSkipsIsNoItem() {
        HotlineSettings settings = settings(format("yyyy-MM-dd HH:mm:ss"), StandardCharsets.UTF_8);
        byte[] row = "CALL-5,,2026-11-20 09:30:00,13700137000".getBytes(StandardCharsets.UTF_8);
        assertThat(CallLog.reread(row, HEADER, false, "x.csv", 2, settings.formats().get("generic"), settings,
                Jsonata.jsonata("$exists(notes)"), callers(settings))).isEmpty();
    }

    private static List<Item> read(byte[] file, HotlineSettings settings) throws Exception {
        List<Item> items = new ArrayList<>();
        try (CallLog log = new CallLog(new ByteArrayInputStream(file), "calls.csv", settings.formats().get("generic"),
                settings, Jsonata.jsonata("true"), callers(settings), null)) {
            while (log.hasNext()) {
                items.addAll(log.next());
            }
        }
        return items;
    }

    private static HotlineSettings.Format format(String timePattern) {
        return new HotlineSettings.Format(true, COLUMNS, List.of("Call ID", "Notes", "Start Time", "Caller Number"), ",",
                "rfc4180", "hotline-generic.jsonata", "callId", "callerNumber", List.of("startTime"), timePattern, List.of(),
                "true", null);
    }

    private static HotlineSettings settings(HotlineSettings.Format format, Charset encoding) {
        return new HotlineSettings("generic", encoding, ZoneId.of("Asia/Shanghai"), 100, 0, 0, 0, List.of(), List.of(),
                Map.of("generic", format));
    }

    private static CallerNumbers callers(HotlineSettings settings) {
        return new CallerNumbers(settings, new ComplaintValidator("CN", 20000, new RecordSchema()), "CN");
    }
}
