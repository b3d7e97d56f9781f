package org.complainthub.intake;

/** zh or en from the text itself: Chinese when a fair share of its letters are Han characters. */
public final class LanguageGuess {

    private LanguageGuess() {
    }

    public static String of(String text) {
        if (text == null) {
            return "zh";
        }
        int han = 0;
        int latin = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                han++;
            } else if (Character.isLetter(cp)) {
                latin++;
            }
            i += Character.charCount(cp);
        }
        // one Han character carries about a word's meaning: weigh it against roughly four Latin letters
        return han * 4 >= latin && han > 0 ? "zh" : latin > 0 ? "en" : "zh";
    }
}
