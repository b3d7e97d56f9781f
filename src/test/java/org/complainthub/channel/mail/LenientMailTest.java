package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mail that mail clients show, though a strict MIME parser refuses it (fixtures in src/test/resources/email/lenient,
 * written by make_fixtures.py there): each is read, with the text and the address a desk agent would see. Only mail
 * with no address at all or no readable text is left for quarantine.
 */
class LenientMailTest {

    private static final long MAX = 10 * 1024 * 1024;
    private final MailDecoder decoder = new MailDecoder();

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = LenientMailTest.class.getResourceAsStream("/email/lenient/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing_start_boundary.eml      | wang.fang@example.cn | Broken fridge  | stopped cooling after two days
            boundary_mismatch.eml           | wang.fang@example.cn | Late delivery  | My parcel 7731 is ten days late.
            stray_semicolon_parameters.eml  | wang.fang@example.cn | Charged twice  | I was charged twice for invoice 9921.
            unquoted_boundary_specials.eml  | wang.fang@example.cn | Rude staff     | rude to my mother
            iso_2022_jp.eml                 | yamada@example.jp    | 炊飯器の故障     | 注文した炊飯器が壊れていました。返金してください。
            shift_jis.eml                   | sato@example.jp      | 配送遅延         | 荷物が一週間届きません。
            korean_ks_c_5601.eml            | minsu@example.kr     | 세탁기 고장       | 세탁기가 고장났습니다. 환불해 주세요.
            from_unparseable_reply_to.eml   | li.lei@example.com   | Refund please  | The kettle leaks.
            from_name_only_sender.eml       | zhao@example.org     | Broken screen  | The phone screen cracked on day one.
            only_return_path.eml            | qian@example.net     | No sender header | Nobody called me back
            malformed_headers.eml           | wang.fang@example.cn | Missing parts  | Two screws were missing
            """)
    void readsWhatAMailClientShows(String file, String address, String subject, String text) throws Exception {
        DecodedMail m = decoder.decode(fixture(file), MAX);
        assertThat(m.fromAddress()).as("address").isEqualTo(address);
        assertThat(m.subject()).as("subject").isEqualTo(subject);
        assertThat(m.text()).as("text").contains(text);
    }

    /** Japanese and Korean labels are read as the Windows supersets mailers really write (no U+FFFD). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Shift_JIS       | ①髙橋の注文
            ISO-2022-JP     | ①カタカナの注文
            EUC-KR          | 똠방각하 주문
            ks_c_5601-1987  | 똠방각하 주문
            """)
    void japaneseAndKoreanLabelsAreReadAsTheirWindowsSupersets(String label, String text) throws Exception {
        java.nio.charset.Charset windows = switch (label) {
            case "Shift_JIS" -> java.nio.charset.Charset.forName("windows-31j");
            case "ISO-2022-JP" -> java.nio.charset.Charset.forName("x-windows-50220");
            default -> java.nio.charset.Charset.forName("x-windows-949");
        };
        byte[] body = text.getBytes(windows);
        byte[] head = ("From: a@example.com\r\nSubject: t\r\nMessage-ID: <cs@example.com>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=" + label + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] raw = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, raw, head.length, body.length);
        assertThat(decoder.decode(raw, MAX).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            stray_semicolon_parameters.eml | invoice.pdf | application/pdf
            """)
    void keepsTheAttachmentsOfASloppyStructure(String file, String name, String type) throws Exception {
        DecodedMail m = decoder.decode(fixture(file), MAX);
        assertThat(m.attachments()).extracting(MailAttachment::fileName, MailAttachment::contentType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(name, type));
    }
}
