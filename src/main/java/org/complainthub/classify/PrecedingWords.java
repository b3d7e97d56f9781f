package org.complainthub.classify;

import java.util.Comparator;
import java.util.List;

/**
 * Recognises a cue word standing just before a position, with at most a few filler words between: 没有(任何)(人员)|受伤,
 * not (really) |angry, 花了|一万二, paid (about) |450. A scan backwards over plain word lists, no regular expression: it
 * runs for every keyword match, so it has to be cheap.
 * <p>
 * Words starting with an ASCII letter must stand as whole words (the character before is not a letter or digit);
 * other words (Chinese) may touch what is before them. Exceptions are phrases that contain a cue word but do not count
 * (不得不, 没想到, not only): when the text before the position ends with one, the answer is no.
 */
final class PrecedingWords {

    private final WordList cues;
    private final WordList fillers;
    private final WordList exceptions;
    private final int maxFillers;

    PrecedingWords(List<String> cues, List<String> fillers, List<String> exceptions, int maxFillers) {
        this.cues = new WordList(cues);
        this.fillers = new WordList(fillers);
        this.exceptions = new WordList(exceptions);
        this.maxFillers = maxFillers;
    }

    /** Words grouped by their last character (lower case), longest first, so a lookup compares only a few. */
    private static final class WordList {
        private final char[] lastChars;
        private final String[][] words;

        WordList(List<String> list) {
            java.util.TreeMap<Character, List<String>> byLast = new java.util.TreeMap<>();
            for (String w : list) {
                if (!w.isEmpty()) {
                    byLast.computeIfAbsent(Character.toLowerCase(w.charAt(w.length() - 1)),
                            k -> new java.util.ArrayList<>()).add(w);
                }
            }
            lastChars = new char[byLast.size()];
            words = new String[byLast.size()][];
            int i = 0;
            for (java.util.Map.Entry<Character, List<String>> e : byLast.entrySet()) {
                lastChars[i] = e.getKey();
                words[i++] = longestFirst(e.getValue());
            }
        }

        String[] endingWith(char c) {
            int i = java.util.Arrays.binarySearch(lastChars, Character.toLowerCase(c));
            return i < 0 ? null : words[i];
        }
    }

    /** Whether text[from, end) ends with a cue word followed only by fillers and spaces. */
    boolean endsWithCue(String text, int from, int end) {
        int e = skipSpacesBack(text, from, end);
        for (int step = 0; ; step++) {
            if (endingWord(text, from, e, exceptions) > 0) {
                return false;
            }
            if (endingWord(text, from, e, cues) > 0) {
                return true;
            }
            if (step == maxFillers) {
                return false;
            }
            int f = endingWord(text, from, e, fillers);
            if (f <= 0) {
                return false;
            }
            e = skipSpacesBack(text, from, e - f);
        }
    }

    /** The length of the first (longest) listed word that text[from, end) ends with, or -1. */
    private static int endingWord(String text, int from, int end, WordList list) {
        String[] words = end > from ? list.endingWith(text.charAt(end - 1)) : null;
        if (words == null) {
            return -1;
        }
        for (String w : words) {
            int s = end - w.length();
            if (s >= from && text.regionMatches(true, s, w, 0, w.length())
                    && (!isAsciiLetter(w.charAt(0)) || s == 0 || !Character.isLetterOrDigit(text.charAt(s - 1)))) {
                return w.length();
            }
        }
        return -1;
    }

    private static int skipSpacesBack(String text, int from, int end) {
        while (end > from && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String[] longestFirst(List<String> words) {
        return words.stream().sorted(Comparator.comparingInt(String::length).reversed()).toArray(String[]::new);
    }
}
