package org.complainthub.channel.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header values of a mail read defensively: a header that cannot be read counts as absent, values are unfolded and
 * cut to a bounded length so that a hostile megabyte-long header costs no more than a short one.
 */
final class MailHeaders {

    /** Longer values are cut: every header this package looks at is short in a real mail. */
    static final int MAX_VALUE = 4096;

    private MailHeaders() {
    }

    /** Every value of the header (names are case-insensitive in Jakarta Mail), unfolded, cut; empty when absent. */
    static List<String> all(Part part, String name) {
        String[] values;
        try {
            values = part.getHeader(name);
        } catch (MessagingException | RuntimeException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v != null) {
                    out.add(unfold(v));
                }
            }
        }
        return out;
    }

    static boolean present(Part part, String name) {
        return !all(part, name).isEmpty();
    }

    /** Folding CRLFs (and any stray CR or LF) become one space; the value is cut to {@link #MAX_VALUE}. */
    static String unfold(String value) {
        String v = value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value;
        return v.replaceAll("[\\r\\n]+", " ");
    }

    /**
     * The first token of a structured value, lower-cased: RFC 5322 comments removed, cut at the first ';', ',' or
     * whitespace. {@code " Auto-Replied (vacation); owner=x"} gives {@code "auto-replied"}.
     */
    static String token(String value) {
        String v = stripComments(value).trim();
        int end = 0;
        while (end < v.length() && ";,".indexOf(v.charAt(end)) < 0 && !Character.isWhitespace(v.charAt(end))) {
            end++;
        }
        return v.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** Removes (possibly nested) parenthesised comments; quoted strings are left alone. Linear in the length. */
    static String stripComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && (quoted || depth > 0)) {
                if (depth == 0) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
