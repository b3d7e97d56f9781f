package org.complainthub.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Measures the classifier (the rules in mappings/rules/classification.yaml, with and without the learned second
 * opinion) on labelled complaints (format: mappings/rules/README.md):
 * <ul>
 * <li>on the held-out set (mappings/rules/heldout-complaints.yaml, written by someone who did not look at the rules;
 * nobody tunes on it), the model trained on the development set (labelled-complaints.yaml) only. Issue 19 asks for
 * department 0.92, type 0.90, grade 0.90 there, and the hub does not reach it yet (the figures are printed beside
 * it): the default run fails below the figures reached so far (FLOOR: a change that makes the classifier worse on
 * unseen text fails), {@code -Dclassify.require-target=true} fails below the target;</li>
 * <li>by 5-fold cross-validation over all labelled data (development + held-out): in each fold the model learns from
 * the other four. The rules were tuned on the development part, so its figures there are optimistic.</li>
 * </ul>
 * Prints the accuracy of department, type and grade (overall and per language), the confusion matrices and the worst
 * cases with the signals that fired: the report to read when tuning the rules on the development set. Improve the
 * rules, never the labels; a label that looks wrong is raised with its author.
 * <p>
 * The report is also written to target/classification-accuracy.txt (Surefire keeps a test's output in its report
 * folder) and is the message of a failure. {@code -Dclassify.sweep=true} also prints the model's thresholds tried by cross-validation on the development set
 * only (how the defaults in {@link SecondOpinion} were chosen).
 */
class ClassificationAccuracyTest {

    static final Path RULES = Path.of(System.getProperty("classify.rules", "mappings/rules/classification.yaml"));
    static final Path DEVELOPMENT = Path.of("mappings/rules/labelled-complaints.yaml");
    static final Path HELD_OUT = Path.of(System.getProperty("classify.heldout",
            "mappings/rules/heldout-complaints.yaml"));
    /** Issue 19's target on the held-out set, asserted with -Dclassify.require-target=true. */
    static final double DEPARTMENT_TARGET = 0.92;
    static final double TYPE_TARGET = 0.90;
    static final double GRADE_TARGET = 0.90;
    static final boolean REQUIRE_TARGET = Boolean.getBoolean("classify.require-target");
    /** What the held-out set gets today (rounded down): raise these as the classifier improves, never lower them. */
    static final double DEPARTMENT_FLOOR = 0.75;
    static final double TYPE_FLOOR = 0.74;
    static final double GRADE_FLOOR = 0.85;
    static final double DEPARTMENT_REQUIRED = REQUIRE_TARGET ? DEPARTMENT_TARGET : DEPARTMENT_FLOOR;
    static final double TYPE_REQUIRED = REQUIRE_TARGET ? TYPE_TARGET : TYPE_FLOOR;
    static final double GRADE_REQUIRED = REQUIRE_TARGET ? GRADE_TARGET : GRADE_FLOOR;
    static final int FOLDS = 5;
    static final Path REPORT = Path.of("target/classification-accuracy.txt");

    record Result(LabelledComplaint item, Classification got, String department) {
        boolean typeRight() {
            return got.type() == item.type();
        }

        boolean gradeRight() {
            return got.grade() == item.grade();
        }

        boolean departmentRight() {
            return got.department().equals(department);
        }

        /** How bad a miss is: a wrong department first, then a grade off by more. */
        int badness() {
            return (departmentRight() ? 0 : 10) + (typeRight() ? 0 : 1)
                    + Math.abs(got.grade().ordinal() - item.grade().ordinal()) * 2;
        }
    }

    @Test
    void accuracyOnTheHeldOutSetAndByCrossValidation() throws java.io.IOException {
        // OpenNLP's trainer logs every iteration at INFO
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("opennlp")).setLevel(ch.qos.logback.classic.Level.WARN);
        ClassificationRules rules = ClassificationRules.load(RULES);
        List<LabelledComplaint> development = LabelledComplaint.read(DEVELOPMENT);
        List<LabelledComplaint> heldOut = Files.isRegularFile(HELD_OUT) ? LabelledComplaint.read(HELD_OUT) : List.of();
        StringBuilder report = new StringBuilder();

        long t0 = System.nanoTime();
        SecondOpinion fromDevelopment = SecondOpinion.train(development);
        report.append(String.format(Locale.ROOT, "%nmodel trained on %d development items in %d ms%n",
                development.size(), (System.nanoTime() - t0) / 1_000_000));

        List<Result> heldOutResults = List.of();
        if (heldOut.isEmpty()) {
            report.append("\n(no held-out set at ").append(HELD_OUT).append(": only cross-validation)\n");
        } else {
            section(report, "held-out " + HELD_OUT + ", rules alone", run(new ComplaintClassifier(rules), heldOut, rules),
                    false);
            heldOutResults = run(new ComplaintClassifier(rules, fromDevelopment), heldOut, rules);
            section(report, "held-out " + HELD_OUT + ", rules + model (trained on the development set)",
                    heldOutResults, true);
        }

        List<LabelledComplaint> all = new ArrayList<>(development);
        all.addAll(heldOut);
        section(report, "development " + DEVELOPMENT + ", rules alone (tuned on it: optimistic)",
                run(new ComplaintClassifier(rules), development, rules), Boolean.getBoolean("classify.details"));
        section(report, FOLDS + "-fold cross-validation over all " + all.size() + " labelled items (development "
                + development.size() + " + held-out " + heldOut.size() + "), rules + model",
                crossValidate(rules, all, o -> o), true);
        if (Boolean.getBoolean("classify.sweep")) {
            sweep(report, rules, development);
        }
        // Surefire sends a test's output to target/surefire-reports (redirectTestOutputToFile): the report also goes to
        // its own file, and a failure carries it, so that it shows on the console where it matters
        if (!heldOut.isEmpty()) {
            report.append(String.format(Locale.ROOT, "%nheld-out, rules + model: department %.3f, type %.3f, grade %.3f; "
                            + "issue 19's target %.2f / %.2f / %.2f (%s); this run fails below %.2f / %.2f / %.2f%n",
                    share(heldOutResults, Result::departmentRight), share(heldOutResults, Result::typeRight),
                    share(heldOutResults, Result::gradeRight), DEPARTMENT_TARGET, TYPE_TARGET, GRADE_TARGET,
                    share(heldOutResults, Result::departmentRight) >= DEPARTMENT_TARGET
                            && share(heldOutResults, Result::typeRight) >= TYPE_TARGET
                            && share(heldOutResults, Result::gradeRight) >= GRADE_TARGET ? "reached" : "NOT reached",
                    DEPARTMENT_REQUIRED, TYPE_REQUIRED, GRADE_REQUIRED));
        }
        System.out.println(report);
        Files.writeString(REPORT, report);

        if (!heldOut.isEmpty()) {
            assertThat(share(heldOutResults, Result::departmentRight))
                    .as("department accuracy on the held-out set (report: %s)%s", REPORT, report)
                    .isGreaterThanOrEqualTo(DEPARTMENT_REQUIRED);
            assertThat(share(heldOutResults, Result::typeRight))
                    .as("type accuracy on the held-out set (report: %s)%s", REPORT, report)
                    .isGreaterThanOrEqualTo(TYPE_REQUIRED);
            assertThat(share(heldOutResults, Result::gradeRight))
                    .as("grade accuracy on the held-out set (report: %s)%s", REPORT, report)
                    .isGreaterThanOrEqualTo(GRADE_REQUIRED);
        } else {
            List<Result> dev = crossValidate(rules, development, o -> o);
            assertThat(share(dev, Result::typeRight))
                    .as("type accuracy, development set, cross-validated (report: %s)%s", REPORT, report)
                    .isGreaterThanOrEqualTo(TYPE_TARGET);
            assertThat(share(dev, Result::gradeRight))
                    .as("grade accuracy, development set, cross-validated (report: %s)%s", REPORT, report)
                    .isGreaterThanOrEqualTo(GRADE_TARGET);
        }
    }

    static List<Result> run(ComplaintClassifier classifier, List<LabelledComplaint> items, ClassificationRules rules) {
        List<Result> out = new ArrayList<>();
        for (LabelledComplaint it : items) {
            out.add(new Result(it, classifier.classify(it.text(), it.language(), it.knownType(), it.amount()),
                    rules.departmentFor(it.type())));
        }
        return out;
    }

    /** Each item classified by a model trained on the other folds (a fixed shuffle, so runs compare). */
    static List<Result> crossValidate(ClassificationRules rules, List<LabelledComplaint> items,
                                      Function<SecondOpinion, SecondOpinion> tune) {
        return crossValidateFolds(rules, folds(items), tune);
    }

    record Fold(List<LabelledComplaint> test, SecondOpinion trained) {
    }

    static List<Fold> folds(List<LabelledComplaint> items) {
        List<LabelledComplaint> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(19));
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            List<LabelledComplaint> train = new ArrayList<>();
            List<LabelledComplaint> test = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                (i % FOLDS == f ? test : train).add(shuffled.get(i));
            }
            folds.add(new Fold(test, SecondOpinion.train(train)));
        }
        return folds;
    }

    static List<Result> crossValidateFolds(ClassificationRules rules, List<Fold> folds,
                                           Function<SecondOpinion, SecondOpinion> tune) {
        List<Result> out = new ArrayList<>();
        for (Fold f : folds) {
            out.addAll(run(new ComplaintClassifier(rules, tune.apply(f.trained())), f.test(), rules));
        }
        return out;
    }

    private static void sweep(StringBuilder report, ClassificationRules tuned, List<LabelledComplaint> development) {
        // -Dclassify.sweep.rules=FILE: rules not tuned on the part scored (-Dclassify.sweep.from=L195: only ids from it)
        ClassificationRules rules = System.getProperty("classify.sweep.rules") == null ? tuned
                : ClassificationRules.load(Path.of(System.getProperty("classify.sweep.rules")));
        String from = System.getProperty("classify.sweep.from", "");
        Predicate<Result> scored = r -> from.isEmpty() || (r.item().id().length() == from.length()
                && r.item().id().compareTo(from) >= 0);
        report.append("\n== threshold sweep, ").append(FOLDS).append("-fold CV on the development set only ==\n");
        report.append(String.format(Locale.ROOT, "%-64s %6s %6s %6s%n", "", "dept", "type", "grade"));
        sweepLine(report, "rules alone", run(new ComplaintClassifier(rules), development, rules).stream()
                .filter(scored).toList());
        List<Fold> folds = folds(development);
        for (double min : new double[] {0.3}) {
            for (int margin : new int[] {-1, 0, 1, 2}) {
                for (double overrule : new double[] {0.4, 0.5, 0.6, 0.8, 2}) {
                    for (double lead : new double[] {0, 0.1, 0.2, 0.3}) {
                        sweepLine(report, String.format(Locale.ROOT,
                                "min %.2f margin %2d overrule %.2f lead %.2f", min, margin, overrule, lead),
                                crossValidateFolds(rules, folds, o -> o.with(min, margin, overrule,
                                        SecondOpinion.WEAK_SCORE, SecondOpinion.GRADE_RAISE_CONFIDENCE, lead))
                                        .stream().filter(scored).toList());
                    }
                }
            }
        }
        // the grade: raised by the model at this confidence (never lowered), the type thresholds as they are
        for (double raise : new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 2}) {
            sweepLine(report, String.format(Locale.ROOT, "grade raised at %.2f", raise),
                    crossValidateFolds(rules, folds, o -> o.with(SecondOpinion.MIN_CONFIDENCE, SecondOpinion.CONFLICT_MARGIN,
                            SecondOpinion.OVERRULE_CONFIDENCE, SecondOpinion.WEAK_SCORE, raise, SecondOpinion.CONFLICT_LEAD))
                            .stream().filter(scored).toList());
        }
    }

    private static void sweepLine(StringBuilder report, String label, List<Result> rs) {
        report.append(String.format(Locale.ROOT, "%-64s %6.3f %6.3f %6.3f%n", label,
                share(rs, Result::departmentRight), share(rs, Result::typeRight), share(rs, Result::gradeRight)));
    }

    private static void section(StringBuilder report, String title, List<Result> results, boolean details) {
        report.append("\n== ").append(title).append(" (").append(results.size()).append(" items) ==\n");
        report.append(String.format(Locale.ROOT, "%-8s %6s %18s %18s %18s%n", "", "items", "department", "type",
                "grade"));
        line(report, "all", results);
        Map<String, List<Result>> byLanguage = new TreeMap<>();
        results.forEach(r -> byLanguage.computeIfAbsent(r.item().language(), k -> new ArrayList<>()).add(r));
        byLanguage.forEach((lang, rs) -> line(report, lang, rs));
        long decided = results.stream().filter(r -> r.got().signals().stream().anyMatch(s -> s.startsWith("model:")))
                .count();
        report.append(String.format(Locale.ROOT, "the model decided or raised something in %d of %d%n", decided,
                results.size()));
        if (!details) {
            return;
        }
        accuracyBy(report, "department", results, r -> r.department, Result::departmentRight);
        accuracyBy(report, "type", results, r -> r.item().type().name(), Result::typeRight);
        accuracyBy(report, "grade", results, r -> r.item().grade().name(), Result::gradeRight);
        confusion(report, "type", results, r -> r.item().type().name(), r -> r.got().type().name());
        confusion(report, "department", results, r -> r.department, r -> r.got().department());
        confusion(report, "grade", results, r -> r.item().grade().name(), r -> r.got().grade().name());

        List<Result> wrong = new ArrayList<>(results.stream()
                .filter(r -> !(r.typeRight() && r.gradeRight() && r.departmentRight())).toList());
        wrong.sort(Comparator.comparingInt(Result::badness).reversed());
        int shown = Math.min(Integer.getInteger("classify.worst", 25), wrong.size());
        report.append("\n-- worst cases (").append(shown).append(" of ").append(wrong.size())
                .append(" misclassified) --\n");
        for (Result r : wrong.subList(0, shown)) {
            LabelledComplaint it = r.item();
            report.append(String.format("%s [%s] %s%s%s%n", it.id(), it.language(),
                    r.departmentRight() ? "" : "department " + r.department + " got " + r.got().department() + "  ",
                    r.typeRight() ? "" : "type " + it.type() + " got " + r.got().type() + "  ",
                    r.gradeRight() ? "" : "grade " + it.grade() + " got " + r.got().grade()));
            report.append("    ").append(it.text()).append('\n');
            report.append("    signals ").append(r.got().signals())
                    .append(it.note() == null ? "" : "   note: " + it.note()).append('\n');
        }
    }

    private static void accuracyBy(StringBuilder report, String what, List<Result> results,
                                   Function<Result, String> expected, Predicate<Result> right) {
        Map<String, List<Result>> by = new TreeMap<>();
        results.forEach(r -> by.computeIfAbsent(expected.apply(r), k -> new ArrayList<>()).add(r));
        report.append("\n-- accuracy per ").append(what).append(" (recall: expected ").append(what)
                .append(" found) --\n");
        by.forEach((k, rs) -> {
            long n = rs.stream().filter(right).count();
            report.append(String.format(Locale.ROOT, "%-18s %4d/%-4d %6.1f%%%n", k, n, rs.size(), 100.0 * n / rs.size()));
        });
    }

    private static void confusion(StringBuilder report, String what, List<Result> results,
                                  Function<Result, String> expected, Function<Result, String> got) {
        TreeSet<String> labels = new TreeSet<>();
        results.forEach(r -> {
            labels.add(expected.apply(r));
            labels.add(got.apply(r));
        });
        report.append("\n-- ").append(what).append(": expected (rows) x got (columns) --\n");
        report.append(String.format("%-18s", ""));
        for (String l : labels) {
            report.append(String.format("%6s", l.length() > 5 ? l.substring(0, 5) : l));
        }
        report.append('\n');
        for (String want : labels) {
            report.append(String.format("%-18s", want));
            for (String g : labels) {
                long n = results.stream().filter(r -> expected.apply(r).equals(want) && got.apply(r).equals(g)).count();
                report.append(String.format("%6s", n == 0 ? "." : Long.toString(n)));
            }
            report.append('\n');
        }
    }

    private static void line(StringBuilder report, String label, List<Result> rs) {
        report.append(String.format(Locale.ROOT, "%-8s %6d %s %s %s%n", label, rs.size(),
                cell(rs, Result::departmentRight), cell(rs, Result::typeRight), cell(rs, Result::gradeRight)));
    }

    private static String cell(List<Result> rs, Predicate<Result> right) {
        long n = rs.stream().filter(right).count();
        return String.format(Locale.ROOT, "%7.1f%% %4d/%-4d", 100.0 * n / rs.size(), n, rs.size());
    }

    static double share(List<Result> rs, Predicate<Result> right) {
        return rs.isEmpty() ? 0 : (double) rs.stream().filter(right).count() / rs.size();
    }
}
