package org.complainthub.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules' patterns, split into their alternatives and indexed by the characters a match can start with, so that a
 * complaint is read once and an alternative is tried only where its first character stands.
 * <p>
 * Why: a rule is a long alternation of keywords, and Java's regex engine tries every alternative at every position of
 * the text (hundreds of microseconds per rule for a 500-character complaint). Here "快递员(?:暴力|乱扔)" is tried only
 * at a 快, and "\b(?:court|sue)\b" is split into "\bcourt\b" (tried at c or C) and "\bsue\b" (at s or S).
 * <p>
 * The first characters are worked out from the pattern text by a small reader of regular-expression syntax. Where it
 * cannot tell (a pattern that may start with any character, or may match nothing), the alternative is searched for in
 * the whole text as before: slower, never wrong.
 */
final class KeywordIndex {

    /**
     * One alternative of one rule.
     *
     * @param prefix    the plain text every match starts with ("the press" for "\bthe press\b"); may be empty
     * @param second    when the prefix is one character: the characters that can follow it, sorted; else null
     * @param wordStart whether a match can only start where a word starts (the pattern begins with \b and a letter)
     */
    record Alternative(int id, int rule, Pattern pattern, String prefix, char[] second, boolean wordStart) {

        /** A cheap test of the plain prefix (the index already checked the first two characters and word start). */
        boolean mayStartAt(String text, int i) {
            return prefix.length() <= 2 || text.regionMatches(true, i, prefix, 0, prefix.length());
        }

        static boolean isAsciiWordChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
    }

    private static final int MAX_EXPANSION = 400;
    /** Above this many possible second characters an alternative is filed under "any second character". */
    private static final int MAX_SECOND = 64;

    /** What the scan does with an alternative at a place where it may match. */
    interface Visitor {
        void visit(Alternative a, int at);
    }

    /** The alternatives that start with one character, split by where they may start and by the second character. */
    private static final class Bucket {
        final Alternative[] anySecond;
        final char[] seconds;
        final Alternative[][] bySecond;

        Bucket(List<Alternative> any, Map<Character, List<Alternative>> bySecond) {
            this.anySecond = any.toArray(new Alternative[0]);
            List<Character> keys = new ArrayList<>(bySecond.keySet());
            keys.sort(null);
            this.seconds = new char[keys.size()];
            this.bySecond = new Alternative[keys.size()][];
            for (int i = 0; i < keys.size(); i++) {
                seconds[i] = keys.get(i);
                this.bySecond[i] = bySecond.get(keys.get(i)).toArray(new Alternative[0]);
            }
        }

        void visit(String text, int i, char second, Visitor v) {
            for (Alternative a : anySecond) {
                if (a.mayStartAt(text, i)) {
                    v.visit(a, i);
                }
            }
            if (seconds.length > 0 && second != 0) {
                int k = Arrays.binarySearch(seconds, second);
                if (k >= 0) {
                    for (Alternative a : bySecond[k]) {
                        if (a.mayStartAt(text, i)) {
                            v.visit(a, i);
                        }
                    }
                }
            }
        }
    }

    /** Per first character (lower case): alternatives that may start anywhere, and those that need a word start. */
    private final Bucket[][] anywhere = new Bucket[256][];
    private final Bucket[][] atWordStart = new Bucket[256][];
    private final Alternative[] everywhere;
    private final List<Alternative> all;
    private final int size;

    private KeywordIndex(List<Alternative> indexed, Map<Alternative, BitSet> firsts, List<Alternative> everywhere,
                         int size) {
        // first char -> (second char or 0 for any) -> alternatives, separately for word-start ones
        Map<Character, Map<Character, List<Alternative>>> free = new LinkedHashMap<>();
        Map<Character, Map<Character, List<Alternative>>> word = new LinkedHashMap<>();
        for (Alternative a : indexed) {
            BitSet first = lowerCased(firsts.get(a));
            List<Character> seconds = new ArrayList<>();
            if (a.prefix().length() > 1) {
                seconds.add(lower(a.prefix().charAt(1)));
            } else if (a.second() != null && a.second().length <= MAX_SECOND) {
                BitSet sec = new BitSet();
                for (char c : a.second()) {
                    sec.set(lower(c));
                }
                sec.stream().forEach(c -> seconds.add((char) c));
            } else {
                seconds.add((char) 0);
            }
            Map<Character, Map<Character, List<Alternative>>> target = a.wordStart() ? word : free;
            for (int c = first.nextSetBit(0); c >= 0; c = first.nextSetBit(c + 1)) {
                Map<Character, List<Alternative>> bySecond = target.computeIfAbsent((char) c, k -> new LinkedHashMap<>());
                for (char sc : seconds) {
                    bySecond.computeIfAbsent(sc, k -> new ArrayList<>()).add(a);
                }
            }
        }
        fill(anywhere, free);
        fill(atWordStart, word);
        this.everywhere = everywhere.toArray(new Alternative[0]);
        List<Alternative> every = new ArrayList<>(indexed);
        every.addAll(everywhere);
        every.sort((x, y) -> Integer.compare(x.id(), y.id()));
        this.all = List.copyOf(every);
        this.size = size;
    }

    /** Every alternative, by id. */
    List<Alternative> alternatives() {
        return all;
    }

    private static void fill(Bucket[][] pages, Map<Character, Map<Character, List<Alternative>>> byFirst) {
        for (Map.Entry<Character, Map<Character, List<Alternative>>> e : byFirst.entrySet()) {
            char c = e.getKey();
            List<Alternative> any = e.getValue().getOrDefault((char) 0, List.of());
            Map<Character, List<Alternative>> bySecond = new LinkedHashMap<>(e.getValue());
            bySecond.remove((char) 0);
            Bucket[] page = pages[c >>> 8];
            if (page == null) {
                page = pages[c >>> 8] = new Bucket[256];
            }
            page[c & 0xFF] = new Bucket(any, bySecond);
        }
    }

    private static BitSet lowerCased(BitSet chars) {
        BitSet out = new BitSet();
        chars.stream().forEach(c -> out.set(lower((char) c)));
        return out;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** Calls the visitor for every alternative at every place of the text where it may match, left to right. */
    void scan(String text, Visitor v) {
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char c = lower(text.charAt(i));
            Bucket[] page = anywhere[c >>> 8];
            Bucket free = page == null ? null : page[c & 0xFF];
            page = atWordStart[c >>> 8];
            Bucket word = page == null ? null : page[c & 0xFF];
            if (free == null && word == null) {
                continue;
            }
            char second = i + 1 < len ? lower(text.charAt(i + 1)) : 0;
            if (free != null) {
                free.visit(text, i, second, v);
            }
            if (word != null && (i == 0 || !Alternative.isAsciiWordChar(text.charAt(i - 1)))) {
                word.visit(text, i, second, v);
            }
        }
    }

    /** Alternatives whose first character could not be told: search the whole text for them. */
    Alternative[] everywhere() {
        return everywhere;
    }

    /** How many alternatives there are (their ids run from 0). */
    int size() {
        return size;
    }

    /** Builds the index; patterns.get(r) holds the pattern texts of rule r (already checked to compile). */
    static KeywordIndex of(List<List<String>> patterns, int flags) {
        List<Alternative> indexed = new ArrayList<>();
        Map<Alternative, BitSet> firsts = new java.util.IdentityHashMap<>();
        List<Alternative> everywhere = new ArrayList<>();
        Map<String, Pattern> compiled = new LinkedHashMap<>();
        boolean ci = (flags & Pattern.CASE_INSENSITIVE) != 0;
        int id = 0;
        for (int rule = 0; rule < patterns.size(); rule++) {
            for (String source : patterns.get(rule)) {
                for (String alt : expand(source)) {
                    Pattern p = compiled.computeIfAbsent(alt, a -> Pattern.compile(a, flags));
                    First f = firstOf(alt, ci);
                    String prefix = literalPrefix(alt);
                    Alternative a = new Alternative(id++, rule, p, prefix,
                            prefix.length() > 1 ? null : secondOf(alt, ci), startsAtWord(alt, f));
                    if (f == null || f.any || f.nullable) {
                        everywhere.add(a);
                    } else {
                        indexed.add(a);
                        firsts.put(a, f.chars);
                    }
                }
            }
        }
        return new KeywordIndex(indexed, firsts, everywhere, id);
    }

    // ---- splitting a pattern into alternatives ----

    /**
     * The alternatives of a pattern: its top-level alternatives, and where one of those begins with a non-capturing
     * group, the group's alternatives each with what surrounds the group: "\b(?:a|b)c" gives "\bac" and "\bbc".
     */
    static List<String> expand(String regex) {
        List<String> out = new ArrayList<>();
        for (String alt : split(regex, 0, regex.length())) {
            expandInto(alt, out);
            if (out.size() > MAX_EXPANSION) {
                return split(regex, 0, regex.length());
            }
        }
        return out;
    }

    private static void expandInto(String alt, List<String> out) {
        List<int[]> items = items(alt);
        int k = 0;
        while (k < items.size() && zeroWidth(alt, items.get(k))) {
            k++;
        }
        if (k < items.size()) {
            int[] it = items.get(k);
            boolean plainGroup = alt.startsWith("(?:", it[0]) && it[2] == it[1]; // no quantifier
            if (plainGroup) {
                String before = alt.substring(0, it[0]);
                String after = alt.substring(it[1]);
                List<String> inner = split(alt, it[0] + 3, it[1] - 1);
                if (inner.size() > 1 || !before.isEmpty() || !after.isEmpty()) {
                    for (String in : inner) {
                        if (out.size() > MAX_EXPANSION) {
                            return;
                        }
                        expandInto(before + in + after, out);
                    }
                    return;
                }
            }
        }
        out.add(alt);
    }

    /** The top-level alternatives of regex[from, to). */
    static List<String> split(String regex, int from, int to) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i = escapeEnd(regex, i) - 1;
            } else if (c == '[') {
                i = classEnd(regex, i) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(regex.substring(start, to));
        return parts;
    }

    /**
     * The items of a sequence without top-level alternation: each {start, end of atom, end with quantifier}.
     */
    private static List<int[]> items(String s) {
        List<int[]> items = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int atomEnd = atomEnd(s, i);
            int end = quantifierEnd(s, atomEnd);
            items.add(new int[] {i, atomEnd, end});
            i = end;
        }
        return items;
    }

    private static int atomEnd(String s, int i) {
        char c = s.charAt(i);
        if (c == '\\') {
            return escapeEnd(s, i);
        }
        if (c == '[') {
            return classEnd(s, i);
        }
        if (c == '(') {
            int depth = 0;
            for (int j = i; j < s.length(); j++) {
                char d = s.charAt(j);
                if (d == '\\') {
                    j = escapeEnd(s, j) - 1;
                } else if (d == '[') {
                    j = classEnd(s, j) - 1;
                } else if (d == '(') {
                    depth++;
                } else if (d == ')' && --depth == 0) {
                    return j + 1;
                }
            }
            return s.length();
        }
        return i + 1;
    }

    private static int quantifierEnd(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        int j = i;
        if (c == '?' || c == '*' || c == '+') {
            j = i + 1;
        } else if (c == '{') {
            int close = s.indexOf('}', i);
            if (close < 0) {
                return i;
            }
            j = close + 1;
        } else {
            return i;
        }
        if (j < s.length() && (s.charAt(j) == '?' || s.charAt(j) == '+')) {
            j++; // lazy or possessive
        }
        return j;
    }

    private static int escapeEnd(String s, int i) {
        if (i + 1 >= s.length()) {
            return s.length();
        }
        char e = s.charAt(i + 1);
        switch (e) {
            case 'Q': {
                int q = s.indexOf("\\E", i + 2);
                return q < 0 ? s.length() : q + 2;
            }
            case 'u':
                return Math.min(s.length(), i + 6);
            case 'x':
                if (i + 2 < s.length() && s.charAt(i + 2) == '{') {
                    int close = s.indexOf('}', i);
                    return close < 0 ? s.length() : close + 1;
                }
                return Math.min(s.length(), i + 4);
            case 'p': case 'P': case 'k': case 'N':
                if (i + 2 < s.length() && (s.charAt(i + 2) == '{' || s.charAt(i + 2) == '<')) {
                    int close = s.indexOf(s.charAt(i + 2) == '{' ? '}' : '>', i);
                    return close < 0 ? s.length() : close + 1;
                }
                return Math.min(s.length(), i + 3);
            case 'c':
                return Math.min(s.length(), i + 3);
            default:
                return i + 2;
        }
    }

    private static int classEnd(String s, int i) {
        int depth = 0;
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j = escapeEnd(s, j) - 1;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && j > i + 1 && !(j == i + 2 && s.charAt(i + 1) == '^') && --depth == 0) {
                return j + 1;
            }
        }
        return s.length();
    }

    private static boolean zeroWidth(String s, int[] item) {
        if (item[2] != item[1]) {
            return false; // quantified: leave it alone
        }
        String atom = s.substring(item[0], item[1]);
        return atom.equals("^") || atom.equals("$") || atom.equals("\\b") || atom.equals("\\B")
                || atom.equals("\\A") || atom.equals("\\G") || atom.equals("\\z") || atom.equals("\\Z")
                || atom.startsWith("(?=") || atom.startsWith("(?!") || atom.startsWith("(?<=")
                || atom.startsWith("(?<!");
    }

    // ---- which characters a match can start with ----

    /**
     * When the pattern starts with one plain character, the characters that can come second (sorted); else null.
     */
    static char[] secondOf(String alt, boolean ci) {
        try {
            List<int[]> items = items(alt);
            int k = 0;
            while (k < items.size() && zeroWidth(alt, items.get(k))) {
                k++;
            }
            if (k >= items.size() || items.get(k)[2] != items.get(k)[1] || !singleChar(alt, items.get(k))) {
                return null;
            }
            First rest = sequence(alt.substring(items.get(k)[2]), ci);
            if (rest.any || rest.nullable) {
                return null;
            }
            char[] out = new char[rest.chars.cardinality()];
            int n = 0;
            for (int c = rest.chars.nextSetBit(0); c >= 0; c = rest.chars.nextSetBit(c + 1)) {
                out[n++] = (char) c;
            }
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The plain characters every match starts with: "order " for "\border (?:is |was )?late". */
    static String literalPrefix(String alt) {
        try {
            StringBuilder out = new StringBuilder();
            List<int[]> items = items(alt);
            int k = 0;
            while (k < items.size() && zeroWidth(alt, items.get(k))) {
                k++;
            }
            for (; k < items.size(); k++) {
                int[] it = items.get(k);
                if (it[2] != it[1] || !singleChar(alt, it)) {
                    break;
                }
                out.append(alt.charAt(it[1] - 1));
            }
            return out.toString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static boolean singleChar(String s, int[] item) {
        char c = s.charAt(item[0]);
        int len = item[1] - item[0];
        if (c == '\\') {
            return len == 2 && !Character.isLetterOrDigit(s.charAt(item[0] + 1));
        }
        return len == 1 && c != '.' && c != '^' && c != '$' && c != '[' && c != '(';
    }

    /** Whether the pattern begins with \b followed by letters and digits only: it can match only at a word start. */
    private static boolean startsAtWord(String alt, First f) {
        if (f == null || f.any || f.nullable || !alt.startsWith("\\b")) {
            return false;
        }
        for (int c = f.chars.nextSetBit(0); c >= 0; c = f.chars.nextSetBit(c + 1)) {
            if (!Character.isLetterOrDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** The first characters of a pattern; null when the reader does not understand it. */
    static final class First {
        final BitSet chars = new BitSet();
        boolean any;
        boolean nullable;
    }

    static First firstOf(String regex, boolean caseInsensitive) {
        try {
            return alternation(regex, 0, regex.length(), caseInsensitive);
        } catch (RuntimeException e) {
            return null; // not understood: the caller searches everywhere
        }
    }

    private static First alternation(String s, int from, int to, boolean ci) {
        First result = new First();
        for (String alt : split(s, from, to)) {
            First f = sequence(alt, ci);
            result.chars.or(f.chars);
            result.any |= f.any;
            result.nullable |= f.nullable;
        }
        return result;
    }

    private static First sequence(String s, boolean ci) {
        First result = new First();
        for (int[] item : items(s)) {
            if (zeroWidth(s, item)) {
                continue;
            }
            First f = atom(s, item[0], item[1], ci);
            result.chars.or(f.chars);
            result.any |= f.any;
            boolean optional = item[2] > item[1] && optionalQuantifier(s.substring(item[1], item[2]));
            if (!(f.nullable || optional)) {
                return result;
            }
        }
        result.nullable = true;
        return result;
    }

    private static boolean optionalQuantifier(String q) {
        return q.startsWith("?") || q.startsWith("*") || q.startsWith("{0") || q.startsWith("{,");
    }

    private static First atom(String s, int from, int to, boolean ci) {
        First f = new First();
        char c = s.charAt(from);
        if (c == '.') {
            f.any = true;
        } else if (c == '[') {
            charClass(s, from, to, f, ci);
        } else if (c == '(') {
            if (s.startsWith("(?:", from) || s.startsWith("(?>", from)) {
                return alternation(s, from + 3, to - 1, ci);
            }
            if (s.startsWith("(?<", from) && !s.startsWith("(?<=", from) && !s.startsWith("(?<!", from)) {
                return alternation(s, s.indexOf('>', from) + 1, to - 1, ci); // named group
            }
            if (s.startsWith("(?", from)) {
                f.any = true; // inline flags and the like: give up
            } else {
                return alternation(s, from + 1, to - 1, ci);
            }
        } else if (c == '\\') {
            escape(s, from, f, ci);
        } else if (c == '^' || c == '$') {
            f.nullable = true;
        } else {
            add(f, c, ci);
        }
        return f;
    }

    private static void escape(String s, int at, First f, boolean ci) {
        char e = s.charAt(at + 1);
        switch (e) {
            case 'd' -> f.chars.set('0', '9' + 1);
            case 's' -> {
                for (char w : new char[] {' ', '\t', '\n', '\u000B', '\f', '\r'}) {
                    f.chars.set(w);
                }
            }
            case 't' -> f.chars.set('\t');
            case 'n' -> f.chars.set('\n');
            case 'r' -> f.chars.set('\r');
            case 'f' -> f.chars.set('\f');
            case 'u' -> add(f, (char) Integer.parseInt(s.substring(at + 2, at + 6), 16), ci);
            case 'Q' -> {
                if (at + 2 < s.length() && s.charAt(at + 2) != '\\') {
                    add(f, s.charAt(at + 2), ci);
                } else {
                    f.any = true;
                }
            }
            default -> {
                if (Character.isLetterOrDigit(e)) {
                    f.any = true; // \w \S \p{..} \x.. back-references...: give up
                } else {
                    add(f, e, ci); // an escaped punctuation mark: \. \$ \(
                }
            }
        }
    }

    private static void charClass(String s, int from, int to, First f, boolean ci) {
        int i = from + 1;
        if (s.charAt(i) == '^' || s.indexOf("&&", from) >= 0 && s.indexOf("&&", from) < to) {
            f.any = true;
            return;
        }
        int end = to - 1; // the closing ]
        while (i < end) {
            char c = s.charAt(i);
            char lo;
            if (c == '[') {
                f.any = true; // a nested class
                return;
            }
            if (c == '\\') {
                char e = s.charAt(i + 1);
                if (e == 'u') {
                    lo = (char) Integer.parseInt(s.substring(i + 2, i + 6), 16);
                    i += 6;
                } else if (e == 'd') {
                    f.chars.set('0', '9' + 1);
                    i += 2;
                    continue;
                } else if (e == 's') {
                    escape(s, i, f, ci);
                    i += 2;
                    continue;
                } else if (e == 'n' || e == 't' || e == 'r' || e == 'f') {
                    lo = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : '\f';
                    i += 2;
                } else if (Character.isLetterOrDigit(e)) {
                    f.any = true;
                    return;
                } else {
                    lo = e;
                    i += 2;
                }
            } else {
                lo = c;
                i++;
            }
            if (i + 1 < end && s.charAt(i) == '-' && s.charAt(i + 1) != '\\') {
                char hi = s.charAt(i + 1);
                for (int x = lo; x <= hi; x++) {
                    add(f, (char) x, ci);
                }
                i += 2;
            } else {
                add(f, lo, ci);
            }
        }
    }

    private static void add(First f, char c, boolean ci) {
        f.chars.set(c);
        if (ci && c < 128) {
            f.chars.set(Character.toLowerCase(c));
            f.chars.set(Character.toUpperCase(c));
        }
    }
}
