package org.complainthub.classify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;

/**
 * Gives a complaint its type, grade, department and time limit from the {@link ClassificationRules}
 * (DOMAIN.md 1.5, 1.6).
 * <ul>
 * <li>Type: every type rule whose patterns match adds its weight to its type; the highest score wins, a tie goes to
 * the type whose first matching rule comes first in the file; nothing matched gives OTHER. A type the channel already
 * knows always wins over the text.</li>
 * <li>Grade: starts at the default; each matching problem rule raises it to at least its grade; an amount raises it to
 * A over the threshold and to at least B otherwise; when no problem signal and no amount was found, the first
 * matching suggestion rule sets it (D); a set rule with {@code overrides: C} (a withdrawal) applies even after
 * problem signals that left the grade at C or below.</li>
 * <li>A text that mixes Chinese characters and Latin words is tried against the patterns of every language.</li>
 * <li>A match does not count when it is negated: a negation word just before it in the same clause ("没有受伤", "not
 * injured", "不是很生气"), or the rule's own {@code unless} pattern anywhere in the same clause.</li>
 * </ul>
 * With a {@link SecondOpinion} (a model learned from labelled complaints), the rules still decide first; the model
 * decides the type only where they are silent (no type rule fired: the model's type if it is sure enough, else OTHER)
 * or in conflict (types within the margin of the best score: the model picks among them; a very sure model also
 * overrules a type resting on topic words alone), and it may raise the grade, never lower it. When it decides,
 * {@code signals} says so with its confidence ({@code model:DELIVERY:0.83}, {@code model:grade:B:0.91}); when it agrees
 * with the rules nothing changes, not even the signals.
 * <p>
 * Thread-safe: the rules are immutable and every pattern was compiled when they were loaded; a call allocates only
 * matchers, never a pattern.
 */
public final class ComplaintClassifier {

    private final ClassificationRules rules;
    private final AmountReader amountReader;
    private final SecondOpinion opinion;

    /** The rules alone. */
    public ComplaintClassifier(ClassificationRules rules) {
        this(rules, null);
    }

    /** The rules, and the model's opinion where they are silent or in conflict (null: the rules alone). */
    public ComplaintClassifier(ClassificationRules rules, SecondOpinion opinion) {
        this.rules = rules;
        this.amountReader = new AmountReader(rules.homeCurrency());
        this.opinion = opinion;
    }

    /** The learned second opinion, or null. */
    public SecondOpinion opinion() {
        return opinion;
    }

    public ClassificationRules rules() {
        return rules;
    }

    /**
     * @param text         subject and description
     * @param language     "zh" or "en" (a tag such as "zh-CN" is cut to its language); null or unknown: all languages
     * @param knownType    the type the channel already knows (a form's category), or null
     * @param statedAmount the amount the channel stated (a form field), or null
     */
    public Classification classify(String text, String language, ComplaintType knownType,
                                   Complaint.Amount statedAmount) {
        ComplaintText t = ComplaintText.of(text, rules.clauseBreaks());
        // a text in two scripts ("我的order还没ship") is tried against every language's patterns
        String lang = mixesScripts(t.text) ? null : rules.language(language);
        boolean[] fired = fire(t, lang);
        List<String> signals = new ArrayList<>(8);

        ComplaintType type;
        if (knownType != null) {
            type = knownType;
            signals.add("type:known");
        } else {
            type = typeOf(fired, signals, text);
        }

        Grade grade = rules.defaultGrade();
        boolean problem = false;
        for (ClassificationRules.Rule r : rules.raiseRules()) {
            if (fired[r.index]) {
                grade = grade.atLeast(r.raise);
                problem = true;
                signals.add(r.signal);
            }
        }

        Complaint.Amount amount = statedAmount != null ? statedAmount : largest(amountReader.read(t.text));
        if (amount != null && amount.value() != null && amount.value().signum() > 0) {
            problem = true;
            BigDecimal home = rules.toHomeCurrency(amount);
            if (home != null && home.compareTo(rules.gradeAOver()) > 0) {
                grade = grade.atLeast(Grade.A);
                signals.add("amount>" + rules.gradeAOver().toPlainString());
            } else {
                grade = grade.atLeast(rules.anyLossAtLeast());
                signals.add("amount");
            }
        }

        for (ClassificationRules.Rule r : rules.setRules()) {
            // a suggestion counts only when no problem is stated; a withdrawal ("my mistake, please ignore") also
            // after problem words, as long as they raised the grade no higher than its 'overrides'
            boolean applies = !problem || (r.overrides != null && grade.compareTo(r.overrides) >= 0);
            if (applies && fired[r.index]) {
                grade = r.set;
                signals.add(r.signal);
                break;
            }
        }
        grade = raisedByModel(grade, text, signals);

        return new Classification(type, grade, rules.departmentFor(type), rules.timeLimit(grade), amount,
                List.copyOf(signals));
    }

    /**
     * Of the candidate types (those of one department, say legal: CONTRACT and PRIVACY), the one the type rules score
     * highest for this text; the first candidate when none scores. For labelling a desk's reassignment, which names a
     * department, not a type.
     */
    public ComplaintType typeAmong(String text, String language, java.util.Collection<ComplaintType> candidates) {
        ComplaintText t = ComplaintText.of(text, rules.clauseBreaks());
        boolean[] fired = fire(t, mixesScripts(t.text) ? null : rules.language(language));
        int[] score = new int[ComplaintType.values().length];
        for (ClassificationRules.Rule r : rules.typeRules()) {
            if (fired[r.index]) {
                score[r.type.ordinal()] += r.weight;
            }
        }
        ComplaintType best = null;
        for (ComplaintType c : candidates) {
            if (best == null || score[c.ordinal()] > score[best.ordinal()]) {
                best = c;
            }
        }
        return best;
    }

    private ComplaintType typeOf(boolean[] fired, List<String> signals, String text) {
        ComplaintType[] types = ComplaintType.values();
        int[] score = new int[types.length];
        int[] firstRule = new int[types.length];
        Arrays.fill(firstRule, Integer.MAX_VALUE);
        for (ClassificationRules.Rule r : rules.typeRules()) {
            if (fired[r.index]) {
                int k = r.type.ordinal();
                score[k] += r.weight;
                firstRule[k] = Math.min(firstRule[k], r.index);
                signals.add(r.signal);
            }
        }
        int best = -1;
        for (int k = 0; k < types.length; k++) {
            if (score[k] > 0 && (best < 0 || score[k] > score[best]
                    || (score[k] == score[best] && firstRule[k] < firstRule[best]))) {
                best = k;
            }
        }
        if (opinion == null) {
            return best < 0 ? ComplaintType.OTHER : types[best];
        }
        return secondOpinion(score, best, text, signals);
    }

    /** Where the rules are silent or in conflict, the model's type (see the class comment); else the rules'. */
    private ComplaintType secondOpinion(int[] score, int best, String text, List<String> signals) {
        ComplaintType[] types = ComplaintType.values();
        if (best < 0) {
            double[] p = opinion.typeProbabilities(text);
            int m = argMax(p);
            if (types[m] != ComplaintType.OTHER && p[m] >= opinion.minConfidence) {
                signals.add(SecondOpinion.signal(types[m].name(), p[m]));
                return types[m];
            }
            return ComplaintType.OTHER;
        }
        int second = -1;
        for (int k = 0; k < types.length; k++) {
            if (k != best && score[k] > 0 && (second < 0 || score[k] > score[second])) {
                second = k;
            }
        }
        boolean conflict = second >= 0 && score[best] - score[second] <= opinion.conflictMargin;
        boolean weak = score[best] <= opinion.weakScore;
        if (!conflict && !weak) {
            return types[best];
        }
        double[] p = opinion.typeProbabilities(text);
        int pick = best;
        if (conflict) {
            for (int k = 0; k < types.length; k++) {
                if (score[k] > 0 && score[best] - score[k] <= opinion.conflictMargin && p[k] > p[pick]
                        && p[k] >= p[best] + opinion.conflictLead) {
                    pick = k;
                }
            }
        }
        int m = argMax(p);
        if (weak && m != pick && p[m] >= opinion.overruleConfidence) {
            pick = m;
        }
        if (pick != best) {
            signals.add(SecondOpinion.signal(types[pick].name(), p[pick]));
        }
        return types[pick];
    }

    /**
     * The model may raise the grade the rules gave when it is sure enough, by one level and never to A: A stays the
     * rules' (an amount, a threat, safety, the media), and the model never lowers a grade.
     */
    private Grade raisedByModel(Grade grade, String text, List<String> signals) {
        if (opinion == null || grade.ordinal() <= Grade.B.ordinal()) {
            return grade;
        }
        NgramModel.Guess g = opinion.grade(text);
        Grade guessed = Grade.valueOf(g.label());
        if (guessed.ordinal() < grade.ordinal() && g.probability() >= opinion.gradeRaiseConfidence) {
            Grade raised = Grade.values()[grade.ordinal() - 1];
            signals.add(SecondOpinion.signal("grade:" + raised, g.probability()));
            return raised;
        }
        return grade;
    }

    /** Chinese characters and a Latin word of three letters or more in one text. */
    static boolean mixesScripts(String s) {
        boolean han = false;
        boolean latin = false;
        int run = 0;
        for (int i = 0; i < s.length() && !(han && latin); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                latin |= ++run >= 3;
            } else {
                run = 0;
                han |= c >= '\u4E00' && c <= '\u9FFF';
            }
        }
        return han && latin;
    }

    private static int argMax(double[] p) {
        int m = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[m]) {
                m = i;
            }
        }
        return m;
    }

    /**
     * Which rules fire: one pass over the text, trying at each character only the alternatives that can start with
     * it, then a search for the few whose first character is unknown. A rule fires on its first match that is
     * neither negated nor cancelled by its unless.
     */
    private boolean[] fire(ComplaintText t, String lang) {
        List<ClassificationRules.Rule> all = rules.rules();
        boolean[] fired = new boolean[all.size()];
        KeywordIndex index = rules.index(lang);
        if (index == null) {
            return fired;
        }
        String s = t.text;
        int len = s.length();
        Matcher[] matchers = new Matcher[index.size()];
        index.scan(s, (a, i) -> {
            if (!fired[a.rule()] && matcher(matchers, a, s).region(i, len).lookingAt()
                    && counts(all.get(a.rule()), t, i, lang)) {
                fired[a.rule()] = true;
            }
        });
        for (KeywordIndex.Alternative a : index.everywhere()) {
            if (fired[a.rule()]) {
                continue;
            }
            Matcher m = matcher(matchers, a, s);
            while (m.find()) {
                if (counts(all.get(a.rule()), t, m.start(), lang)) {
                    fired[a.rule()] = true;
                    break;
                }
            }
        }
        return fired;
    }

    private static Matcher matcher(Matcher[] matchers, KeywordIndex.Alternative a, String text) {
        Matcher m = matchers[a.id()];
        if (m == null) {
            // transparent bounds: \b and look-behinds see the text before the start; no anchoring: ^ is the text start
            m = matchers[a.id()] = a.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        }
        return m;
    }

    /** A match counts unless a negation stands just before it or the rule's unless matches in its clause. */
    private boolean counts(ClassificationRules.Rule r, ComplaintText t, int start, String lang) {
        int clauseStart = t.clauseStart(start);
        if (r.negatable) {
            for (PrecedingWords negation : rules.negations(lang)) {
                if (negation.endsWithCue(t.text, clauseStart, start)) {
                    return false;
                }
            }
        }
        Pattern unless = r.unless(lang);
        return unless == null || !unless.matcher(t.text).region(clauseStart, t.clauseEnd(start))
                .useTransparentBounds(true).find();
    }

    /** The largest amount in home currency; amounts in a currency without a rate count only when nothing else does. */
    private Complaint.Amount largest(List<Complaint.Amount> found) {
        Complaint.Amount best = null;
        BigDecimal bestValue = null;
        for (Complaint.Amount a : found) {
            BigDecimal v = rules.toHomeCurrency(a);
            if (best == null || (v != null && (bestValue == null || v.compareTo(bestValue) > 0))) {
                best = a;
                bestValue = v;
            }
        }
        return best;
    }
}
