package org.complainthub.classify;

import java.util.Arrays;

/**
 * A complaint text prepared once per classification: full-width forms folded to ASCII and the clause boundaries found,
 * so that rules can ask "which clause is this match in?" without splitting the text into new strings.
 */
final class ComplaintText {

    final String text;
    /** Sorted positions of the clause separators; a clause runs from just after one to just before the next. */
    private final int[] breaks;
    private final int breakCount;

    private ComplaintText(String text, int[] breaks, int breakCount) {
        this.text = text;
        this.breaks = breaks;
        this.breakCount = breakCount;
    }

    /** Folds the text and finds its clauses: any of clauseBreaks ends one, except a full stop before a digit (1.5). */
    static ComplaintText of(String raw, String clauseBreaks) {
        String text = fold(raw == null ? "" : raw);
        int[] breaks = new int[16];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (clauseBreaks.indexOf(c) >= 0
                    && !(c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
                if (n == breaks.length) {
                    breaks = Arrays.copyOf(breaks, n * 2);
                }
                breaks[n++] = i;
            }
        }
        return new ComplaintText(text, breaks, n);
    }

    /** Start of the clause that holds position pos. */
    int clauseStart(int pos) {
        int i = Arrays.binarySearch(breaks, 0, breakCount, pos);
        int before = i >= 0 ? i - 1 : -i - 2; // index of the last break strictly before pos
        return before < 0 ? 0 : breaks[before] + 1;
    }

    /** End (exclusive) of the clause that holds position pos. */
    int clauseEnd(int pos) {
        int i = Arrays.binarySearch(breaks, 0, breakCount, pos);
        int next = i >= 0 ? i : -i - 1; // index of the first break at or after pos
        return next < breakCount ? breaks[next] : text.length();
    }

    /**
     * Folds the forms that Chinese input methods produce into the ASCII ones the rules are written with: full-width
     * letters, digits and punctuation (！，；？＄), the ideographic space, ￥ and curly apostrophes; and traditional
     * Chinese characters into simplified ones ({@link TraditionalChinese}). One char for one char, so positions do not
     * move. Returns the same string when there is nothing to fold.
     */
    static String fold(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char r = c;
            if (c >= '\uFF01' && c <= '\uFF5E') {
                r = (char) (c - 0xFEE0);
            } else if (c == '\u3000') {
                r = ' ';
            } else if (c == '\uFFE5') {
                r = '\u00A5'; // ￥ -> ¥
            } else if (c == '\uFFE1') {
                r = '\u00A3'; // ￡ -> £
            } else if (c == '\u2019' || c == '\u2018') {
                r = '\'';
            } else if (c >= '\u4E00') {
                r = TraditionalChinese.simplified(c);
            }
            if (r != c) {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = r;
            }
        }
        return out == null ? s : new String(out);
    }
}
