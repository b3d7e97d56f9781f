package org.complainthub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.classify.ComplaintClassifier;
import org.complainthub.classify.LabelledComplaint;
import org.complainthub.classify.SecondOpinion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The classification of one complaint with the learned second opinion beside the rules alone, on one thread, over
 * every labelled complaint (development and held-out sets, Chinese and English, 20 to 300 characters): the model adds
 * a feature extraction and a linear evaluation for the complaints where it is asked (silent or conflicting rules) and
 * for every grade. Alternating rounds after a warm-up; medians of the rounds. Target: under 1 ms per complaint.
 * {@code ./mvnw -B -o test -Pbenchmark -Dtest=ClassificationBenchmark}
 */
@Tag("benchmark")
class ClassificationBenchmark {

    static final int ROUNDS = Integer.getInteger("bench.classify.rounds", 7);
    static final int PASSES = Integer.getInteger("bench.classify.passes", 20);

    @Test
    void meanClassificationTimeWithTheModelBesideTheRulesAlone() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("opennlp")).setLevel(ch.qos.logback.classic.Level.WARN);
        ClassificationRules rules = ClassificationRules.load(Path.of("mappings/rules/classification.yaml"));
        List<Path> files = new ArrayList<>(List.of(Path.of("mappings/rules/labelled-complaints.yaml")));
        Path heldOut = Path.of("mappings/rules/heldout-complaints.yaml");
        if (Files.isRegularFile(heldOut)) {
            files.add(heldOut);
        }
        List<LabelledComplaint> items = new ArrayList<>();
        files.forEach(f -> items.addAll(LabelledComplaint.read(f)));

        long t0 = System.nanoTime();
        SecondOpinion opinion = SecondOpinion.train(files);
        double trainMs = (System.nanoTime() - t0) / 1e6;
        ComplaintClassifier alone = new ComplaintClassifier(rules);
        ComplaintClassifier withModel = new ComplaintClassifier(rules, opinion);

        for (int i = 0; i < 5; i++) { // warm-up: the JIT compiles both paths
            pass(alone, items, PASSES);
            pass(withModel, items, PASSES);
        }
        double[] rulesUs = new double[ROUNDS];
        double[] modelUs = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rulesUs[r] = pass(alone, items, PASSES);
            modelUs[r] = pass(withModel, items, PASSES);
        }
        double rulesMedian = median(rulesUs);
        double modelMedian = median(modelUs);
        System.out.printf("%nBENCHMARK classification, %d labelled complaints x %d passes, %d rounds each, one thread%n",
                items.size(), PASSES, ROUNDS);
        System.out.printf("BENCHMARK model trained on %d complaints in %.0f ms%n", opinion.examples(), trainMs);
        System.out.printf("BENCHMARK rules alone:        median %.1f us per complaint  %s%n", rulesMedian,
                Arrays.toString(round(rulesUs)));
        System.out.printf("BENCHMARK rules + model:      median %.1f us per complaint  %s%n", modelMedian,
                Arrays.toString(round(modelUs)));
        System.out.printf("BENCHMARK ratio model/rules: %.2f  target < 1 ms per complaint: %s%n%n",
                modelMedian / rulesMedian, modelMedian < 1000 ? "met" : "NOT met");
        assertThat(modelMedian).as("microseconds per complaint with the model").isLessThan(1000);
    }

    /** Mean microseconds per complaint over {@code passes} passes over the items. */
    private static double pass(ComplaintClassifier c, List<LabelledComplaint> items, int passes) {
        long start = System.nanoTime();
        int sink = 0;
        for (int p = 0; p < passes; p++) {
            for (LabelledComplaint it : items) {
                sink += c.classify(it.text(), it.language(), it.knownType(), it.amount()).signals().size();
            }
        }
        long elapsed = System.nanoTime() - start;
        if (sink < 0) {
            throw new IllegalStateException(); // keeps the results alive
        }
        return elapsed / 1e3 / ((double) passes * items.size());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray();
    }
}
