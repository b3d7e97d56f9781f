package org.complainthub.dispatch;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether two complaint texts are about the same matter: cosine similarity over the character bigrams of the normalised
 * texts (NFKC, lower-case, everything but letters and digits removed). Bigrams of characters work the same for Chinese
 * (no spaces between words; two characters are a typical word) and English (subwords), and are no keyword list: the
 * whole text counts, weighted by how often each bigram occurs.
 */
public final class MatterSimilarity {

    /** What is kept of a text to compare later (customer_complaint.text_sketch). */
    public static final int SKETCH_LENGTH = 500;

    private MatterSimilarity() {
    }

    /** The text as compared: NFKC, lower-case, letters and digits only. */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(n.length());
        n.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** The normalised text bounded to {@link #SKETCH_LENGTH} characters (whole code points). */
    public static String sketch(String text) {
        String n = normalise(text);
        if (n.length() <= SKETCH_LENGTH) {
            return n;
        }
        int end = n.offsetByCodePoints(0, Math.min(SKETCH_LENGTH, n.codePointCount(0, n.length())));
        while (end > SKETCH_LENGTH) { // a surrogate pair must not be cut, nor overflow the column
            end = n.offsetByCodePoints(0, n.codePointCount(0, end) - 1);
        }
        return n.substring(0, end);
    }

    /** Cosine of the two normalised texts' bigram counts, 0 (nothing shared) to 1 (the same bigrams as often). */
    public static double similarity(String normalisedA, String normalisedB) {
        Map<String, Integer> a = bigrams(normalisedA);
        Map<String, Integer> b = bigrams(normalisedB);
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        double dot = 0;
        for (Map.Entry<String, Integer> e : a.entrySet()) {
            Integer other = b.get(e.getKey());
            if (other != null) {
                dot += (double) e.getValue() * other;
            }
        }
        return dot / (norm(a) * norm(b));
    }

    private static Map<String, Integer> bigrams(String s) {
        Map<String, Integer> counts = new HashMap<>();
        int[] cps = s.codePoints().toArray();
        if (cps.length == 1) {
            counts.put(new String(cps, 0, 1), 1);
        }
        for (int i = 0; i + 1 < cps.length; i++) {
            counts.merge(new String(cps, i, 2), 1, Integer::sum);
        }
        return counts;
    }

    private static double norm(Map<String, Integer> v) {
        double sum = 0;
        for (int n : v.values()) {
            sum += (double) n * n;
        }
        return Math.sqrt(sum);
    }
}
