package org.complainthub.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;
import org.junit.jupiter.api.Test;

/**
 * Measures the rules in mappings/rules/classification.yaml against the hand-labelled complaints in
 * mappings/rules/labelled-complaints.yaml (see mappings/rules/README.md). Prints the accuracy of type and grade, overall
 * and per language, and every item classified differently from its label, with the signals that fired: the report to
 * read when tuning the rules. Improve the rules, never the labels; a label that looks wrong is raised with its author.
 */
class ClassificationAccuracyTest {

    static final Path RULES = Path.of("mappings/rules/classification.yaml");
    static final Path LABELLED = Path.of("mappings/rules/labelled-complaints.yaml");
    static final double REQUIRED = 0.90;

    record Item(String id, String language, String text, ComplaintType type, Grade grade, ComplaintType knownType,
                Complaint.Amount amount, String note) {
    }

    record Result(Item item, Classification got) {
        boolean typeRight() {
            return got.type() == item.type();
        }

        boolean gradeRight() {
            return got.grade() == item.grade();
        }
    }

    @Test
    void typeAndGradeAccuracyOnTheLabelledSet() throws IOException {
        List<Item> items = new ObjectMapper(new YAMLFactory())
                .readValue(Files.readString(LABELLED), new TypeReference<List<Item>>() { });
        ComplaintClassifier classifier = new ComplaintClassifier(ClassificationRules.load(RULES));
        List<Result> results = new ArrayList<>();
        for (Item it : items) {
            results.add(new Result(it, classifier.classify(it.text(), it.language(), it.knownType(), it.amount())));
        }

        StringBuilder report = new StringBuilder("\n== Classification accuracy on " + LABELLED + " (" + items.size()
                + " items) ==\n");
        report.append(String.format("%-8s %6s %14s %14s%n", "", "items", "type", "grade"));
        line(report, "all", results, r -> true);
        Map<String, List<Result>> byLanguage = new TreeMap<>();
        results.forEach(r -> byLanguage.computeIfAbsent(r.item().language(), k -> new ArrayList<>()).add(r));
        byLanguage.forEach((lang, rs) -> line(report, lang, rs, r -> true));

        report.append("\n-- grade: expected (rows) x got (columns) --\n      A    B    C    D\n");
        for (Grade want : Grade.values()) {
            report.append(want).append(' ');
            for (Grade got : Grade.values()) {
                long n = results.stream().filter(r -> r.item().grade() == want && r.got().grade() == got).count();
                report.append(String.format("%4d ", n));
            }
            report.append('\n');
        }

        report.append("\n-- misclassified --\n");
        for (Result r : results) {
            if (r.typeRight() && r.gradeRight()) {
                continue;
            }
            Item it = r.item();
            report.append(String.format("%s [%s] %s%s%n", it.id(), it.language(),
                    r.typeRight() ? "" : "type " + it.type() + " got " + r.got().type() + "  ",
                    r.gradeRight() ? "" : "grade " + it.grade() + " got " + r.got().grade()));
            report.append("    ").append(it.text()).append('\n');
            report.append("    signals ").append(r.got().signals())
                    .append(it.note() == null ? "" : "   note: " + it.note()).append('\n');
        }
        System.out.println(report);

        double type = share(results, Result::typeRight);
        double grade = share(results, Result::gradeRight);
        assertThat(type).as("type accuracy").isGreaterThanOrEqualTo(REQUIRED);
        assertThat(grade).as("grade accuracy").isGreaterThanOrEqualTo(REQUIRED);
    }

    private static void line(StringBuilder report, String label, List<Result> rs, Predicate<Result> filter) {
        List<Result> sel = rs.stream().filter(filter).toList();
        long type = sel.stream().filter(Result::typeRight).count();
        long grade = sel.stream().filter(Result::gradeRight).count();
        report.append(String.format("%-8s %6d %7.1f%% %3d/%-3d %6.1f%% %3d/%-3d%n", label, sel.size(),
                100.0 * type / sel.size(), type, sel.size(), 100.0 * grade / sel.size(), grade, sel.size()));
    }

    private static double share(List<Result> rs, Predicate<Result> right) {
        return rs.isEmpty() ? 0 : (double) rs.stream().filter(right).count() / rs.size();
    }
}
