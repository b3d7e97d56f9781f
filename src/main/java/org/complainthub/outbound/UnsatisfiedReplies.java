package org.complainthub.outbound;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * Whether a customer's reply to the thank-you says they are not satisfied (the complaint is then reopened, as after a
 * low score). Deliberately simple and explicit: the reply contains one of these phrases (Chinese or English, case and
 * width folded); nothing is guessed from tone. A negated phrase ("not unsatisfied") is rare in a reply to a thank-you
 * and is taken at its word; a reply without one of them is a message like any other (a new complaint or a follow-up).
 */
public final class UnsatisfiedReplies {

    static final List<String> PHRASES = List.of(
            "不满意", "不太满意", "很不满", "没解决", "没有解决", "未解决", "还没解决", "并没有解决", "问题依旧", "问题还在",
            "问题仍然存在", "不接受", "不认可",
            "not satisfied", "unsatisfied", "dissatisfied", "not happy", "unhappy with", "not resolved", "not solved",
            "not fixed", "still broken", "still not working", "still doesn't work", "still does not work");

    private UnsatisfiedReplies() {
    }

    public static boolean says(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('’', '\'')
                .replaceAll("\\s+", " ");
        return PHRASES.stream().anyMatch(t::contains);
    }
}
