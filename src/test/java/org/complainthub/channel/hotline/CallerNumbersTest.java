package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.intake.ComplaintValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Caller numbers as call logs write them, to E.164; withheld and impossible numbers to nothing (no SMS). */
class CallerNumbersTest {

    private final CallerNumbers numbers = new CallerNumbers(
            new HotlineSettings("generic", StandardCharsets.UTF_8, ZoneId.of("Asia/Shanghai"), 0, 0, 0, 0,
                    List.of("anonymous", "Restricted", "unknown", "unavailable", "private", "withheld"), List.of("9"), Map.of()),
            new ComplaintValidator("CN", 20000, new RecordSchema()), "CN");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "13800138000            | +8613800138000",
            "+86 138 0013 8000      | +8613800138000",
            "008613800138000        | +8613800138000",
            "8613800138000          | +8613800138000",
            "013800138000           | +8613800138000",
            "913800138000           | +8613800138000",
            "9013800138000          | +8613800138000",
            "138-0013-8000          | +8613800138000",
            "010-62345678-801       | +861062345678",
            "010 6234 5678 ext. 801 | +861062345678",
            "(010) 6234 5678        | +861062345678",
            "+44 7911 123456        | +447911123456"})
    void numbersAsCallLogsWriteThemBecomeE164(String raw, String e164) {
        assertThat(numbers.e164(raw)).isEqualTo(e164);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"anonymous", "Anonymous", "RESTRICTED", "unknown", " Unavailable ", "private", "0", "0000000000",
            "+000000", "12345", "abc", "=1+1"})
    void withheldOrImpossibleNumbersGiveNoPhone(String raw) {
        assertThat(numbers.e164(raw)).isNull();
    }
}
