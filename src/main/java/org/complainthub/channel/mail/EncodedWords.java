package org.complainthub.channel.mail;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded-words in header values (CHANNEL_FORMATS C1).
 * <p>
 * Adjacent encoded-words with the same charset are joined at the byte level before the charset is applied, because
 * real mailers split a multibyte character across two words ({@code =?UTF-8?B?5oqV6A==?= =?UTF-8?B?r4k=?=} is 投诉);
 * Jakarta's {@code MimeUtility.decodeText} decodes word by word and gives 投 + 3 × U+FFFD there. Whitespace between two
 * encoded-words is dropped, whitespace next to ordinary text is kept. Words inside quoted strings are decoded too,
 * since mailers put them there. A word that does not decode (bad base64) is left as it was.
 * <p>
 * The result is safe to copy into a header: folding is undone, and CR, LF, TAB and other control characters
 * (including ones smuggled in as {@code =0D=0A}, C7 E5) become a single space.
 */
final class EncodedWords {

    // charset and text exclude '?' and whitespace, so each match attempt stops at the next '?': linear in practice
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]{1,64})\\?([bBqQ])\\?([^?\\s]*)\\?=");
    private static final Pattern CONTROLS = Pattern.compile("[\\p{Cntrl}\\u0085\\u2028\\u2029]+");
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    private EncodedWords() {
    }

    static String decode(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        String value = unfold(headerValue);
        StringBuilder out = new StringBuilder(value.length());
        Matcher m = WORD.matcher(value);
        int pos = 0;
        String pendingCharset = null;          // charset of the bytes collected so far
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (m.find()) {
            String between = value.substring(pos, m.start());
            byte[] bytes = wordBytes(m.group(2), m.group(3));
            if (bytes == null) {               // undecodable: keep it literally, as ordinary text
                continue;
            }
            String charset = m.group(1).toLowerCase(Locale.ROOT);
            boolean adjacent = pendingCharset != null && between.isBlank();
            if (adjacent && sameCharset(pendingCharset, charset)) {
                pending.writeBytes(bytes);
            } else {
                flush(out, pendingCharset, pending);
                if (!adjacent) {
                    out.append(between);
                }
                pendingCharset = charset;
                pending.writeBytes(bytes);
            }
            pos = m.end();
        }
        flush(out, pendingCharset, pending);
        out.append(value, pos, value.length());
        return clean(out.toString());
    }

    /** Undo header folding: CRLF (or a bare LF/CR) followed by whitespace is removed, the whitespace kept. */
    static String unfold(String value) {
        return value.replaceAll("\\r?\\n(?=[ \\t])|\\r(?=[ \\t])", "");
    }

    /** Control characters (CR, LF, TAB, NUL, ...) become one space; runs of spaces collapse; ends trimmed. */
    static String clean(String s) {
        return SPACES.matcher(CONTROLS.matcher(s).replaceAll(" ")).replaceAll(" ").strip();
    }

    private static boolean sameCharset(String a, String b) {
        return a.equals(b) || MailCharsets.forLabel(a).equals(MailCharsets.forLabel(b))
                && MailCharsets.forLabel(a).isPresent();
    }

    private static void flush(StringBuilder out, String charset, ByteArrayOutputStream pending) {
        if (charset != null && pending.size() > 0) {
            out.append(MailCharsets.decode(pending.toByteArray(), charset));
        }
        pending.reset();
    }

    private static byte[] wordBytes(String encoding, String text) {
        if (encoding.equalsIgnoreCase("B")) {
            try {
                return Base64.getDecoder().decode(text);   // strict: a word with junk stays literal
            } catch (IllegalArgumentException badBase64) {
                return null;
            }
        }
        ByteArrayOutputStream q = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                q.write(' ');
            } else if (c == '=' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                q.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                q.write(c < 0x80 ? c : '?');
            }
        }
        return q.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }
}
