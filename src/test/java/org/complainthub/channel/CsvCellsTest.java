package org.complainthub.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cells a spreadsheet would run as formulas are written as text; others are left alone. */
class CsvCellsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "=1+1                           | '=1+1",
            "=HYPERLINK(\"http://x.example/\") | '=HYPERLINK(\"http://x.example/\")",
            "+8613800138000                 | '+8613800138000",
            "-5                             | '-5",
            "@SUM(A1)                       | '@SUM(A1)",
            "13800138000                    | 13800138000",
            "张伟                           | 张伟",
            "a=b                            | a=b"})
    void formulaCellsAreWrittenAsText(String cell, String written) {
        assertThat(CsvCells.neutralise(cell)).isEqualTo(written);
    }

    @org.junit.jupiter.api.Test
    void tabAndCarriageReturnStartsAreNeutralisedToo() {
        assertThat(CsvCells.neutralise("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.neutralise("\r=1")).isEqualTo("'\r=1");
        assertThat(CsvCells.neutralise("")).isEmpty();
        assertThat(CsvCells.neutralise(null)).isNull();
    }
}
