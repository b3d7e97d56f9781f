package org.complainthub.channel.mail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * MIME charset names to Java charsets, with the Chinese rules of CHANNEL_FORMATS C2.
 * <ul>
 *   <li>{@code gb2312}, {@code gbk}, {@code x-gbk}, {@code cp936}, {@code euc-cn}, {@code gb18030}: GB18030, a
 *       superset of all of them. Mail labelled gb2312 often carries GBK-only characters (镕 = E9 46), which Java's
 *       strict GB2312 turns into U+FFFD.</li>
 *   <li>{@code big5} and its variants ({@code big5-hkscs}, {@code cp950}, ...): Big5-HKSCS, a superset.</li>
 *   <li>Japanese and Korean labels as mailers write them, each read with the Windows superset they stand for in
 *       practice: {@code shift_jis} (and {@code sjis}, {@code cp932}, ...) as Windows-31J (① = 87 40, 髙 = FB FC);
 *       {@code iso-2022-jp} as CP50220 (the NEC and IBM rows, ① = ESC $ B 2D 21, half-width katakana);
 *       {@code euc-kr} and Outlook's {@code ks_c_5601-1987} as Windows-949 (UHC: 똠 = 8C 63, not in EUC-KR). Java's
 *       strict charsets turn those characters into U+FFFD; Java even maps {@code cp932} to an IBM code page.</li>
 *   <li>no charset, {@code us-ascii}, or a charset Java does not know: strict UTF-8 if the bytes are valid UTF-8,
 *       otherwise GB18030 (every byte sequence decodes in GB18030, unknown ones to U+FFFD). Pure ASCII decodes the
 *       same either way.</li>
 *   <li>{@code utf-8} on bytes that are not UTF-8 (Chinese mailers label GBK text so): the same fallback, so the text
 *       is read rather than turned into U+FFFD and stray Greek and Latin letters.</li>
 * </ul>
 */
final class MailCharsets {

    static final Charset GB18030 = Charset.forName("GB18030");
    static final Charset BIG5_HKSCS = Charset.forName("Big5-HKSCS");
    static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    static final Charset CP50220 = Charset.forName("x-windows-50220");
    static final Charset WINDOWS_949 = Charset.forName("x-windows-949");

    private MailCharsets() {
    }

    /** The Java charset for a MIME charset label, empty when the label is absent, ASCII or unknown. */
    static Optional<Charset> forLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String l = label.trim().toLowerCase(Locale.ROOT);
        if (l.startsWith("\"") && l.endsWith("\"") && l.length() >= 2) {
            l = l.substring(1, l.length() - 1).trim();
        }
        int star = l.indexOf('*');  // RFC 2231 language suffix: utf-8*en
        if (star >= 0) {
            l = l.substring(0, star);
        }
        switch (l) {
            case "", "us-ascii", "ascii", "us_ascii", "ansi_x3.4-1968":
                return Optional.empty();
            case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn", "gb_2312-80",
                 "csgb2312", "gb18030", "gb-18030":
                return Optional.of(GB18030);
            case "big5", "big-5", "big5-hkscs", "big5hkscs", "cp950", "ms950", "x-windows-950", "windows-950",
                 "x-big5", "csbig5":
                return Optional.of(BIG5_HKSCS);
            case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932",
                 "ms932", "x-ms-cp932", "windows-932":
                return Optional.of(WINDOWS_31J);
            case "iso-2022-jp", "csiso2022jp", "iso2022jp", "x-windows-50220", "cp50220", "cp50221":
                return Optional.of(CP50220);
            case "euc-kr", "euckr", "cseuckr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601", "ks_c_5601-1989",
                 "ksc5601-1987", "cp949", "ms949", "windows-949", "x-windows-949", "uhc", "korean":
                return Optional.of(WINDOWS_949);
            case "utf8", "utf-8":
                return Optional.of(StandardCharsets.UTF_8);
            default:
                try {
                    return Optional.of(Charset.forName(l));
                } catch (IllegalArgumentException unknownOrIllegal) {
                    return Optional.empty();
                }
        }
    }

    /** Whether Java knows the label (an unknown label is decoded with the fallback and reported as a warning). */
    static boolean isKnown(String label) {
        if (label == null) {
            return true;
        }
        String l = label.trim().toLowerCase(Locale.ROOT);
        return l.isEmpty() || l.equals("us-ascii") || l.equals("ascii") || forLabel(label).isPresent();
    }

    /** Decode with the label's charset, or with the fallback (strict UTF-8, else GB18030). */
    static String decode(byte[] bytes, String label) {
        return forLabel(label).filter(cs -> !cs.equals(StandardCharsets.UTF_8)).map(cs -> new String(bytes, cs))
                .orElseGet(() -> decodeFallback(bytes));
    }

    static String decodeFallback(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, GB18030);
        }
    }
}
