package org.complainthub.classify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.doccat.FeatureGenerator;

/**
 * The features the learned model sees in a text: for Chinese, character 1-, 2- and 3-grams inside each run of CJK
 * characters (Chinese has no spaces, so words are not known; overlapping short grams carry them); for other scripts,
 * words, word pairs and the character 3-grams of each word with its edges marked (catching stems: refund, refunded).
 * Digits are folded to 0 so that order numbers do not become features of their own. Stateless, so thread-safe.
 * <p>
 * The document is handed over as one token, the whole text: OpenNLP's whitespace tokens would split English only.
 * Public with a public no-argument constructor because OpenNLP instantiates the feature generators of a model by
 * their class name (its ExtensionLoader).
 */
public final class NgramFeatures implements FeatureGenerator {

    static final NgramFeatures INSTANCE = new NgramFeatures();

    public NgramFeatures() {
    }

    @Override
    public Collection<String> extractFeatures(String[] text, Map<String, Object> extraInformation) {
        List<String> out = new ArrayList<>(256);
        for (String t : text) {
            features(t, out);
        }
        return out;
    }

    static void features(String raw, List<String> out) {
        String s = ComplaintText.fold(raw).toLowerCase(Locale.ROOT);
        int n = s.length();
        int i = 0;
        String previousWord = null;
        while (i < n) {
            char c = s.charAt(i);
            if (isCjk(c)) {
                int end = i;
                while (end < n && isCjk(s.charAt(end))) {
                    end++;
                }
                for (int k = i; k < end; k++) {
                    out.add("c1=" + s.charAt(k));
                    if (k + 1 < end) {
                        out.add("c2=" + s.substring(k, k + 2));
                    }
                    if (k + 2 < end) {
                        out.add("c3=" + s.substring(k, k + 3));
                    }
                }
                i = end;
                previousWord = null;
            } else if (Character.isLetterOrDigit(c)) {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '\'')
                        && !isCjk(s.charAt(end))) {
                    end++;
                }
                String word = s.substring(i, end).replaceAll("[0-9]", "0");
                out.add("w=" + word);
                if (previousWord != null) {
                    out.add("ww=" + previousWord + "_" + word);
                }
                String padded = "<" + word + ">";
                if (word.length() > 2) {
                    for (int k = 0; k + 3 <= padded.length(); k++) {
                        out.add("w3=" + padded.substring(k, k + 3));
                    }
                }
                previousWord = word;
                i = end;
            } else {
                if (c != ' ') {
                    previousWord = null; // punctuation ends a phrase: no word pair across it
                }
                i++;
            }
        }
    }

    private static boolean isCjk(char c) {
        return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
    }
}
