package org.complainthub.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.complainthub.complaint.ComplaintType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The learned second opinion leaves the rules first: where it does not decide, the classification is the rules' own
 * (signals included); it never lowers a grade; a type the channel knows still wins; when it decides, a signal names it.
 */
class SecondOpinionTest {

    static ClassificationRules rules;
    static ComplaintClassifier rulesAlone;
    static ComplaintClassifier withModel;
    static List<LabelledComplaint> labelled;

    @BeforeAll
    static void train() {
        rules = ClassificationRules.load(Path.of("mappings/rules/classification.yaml"));
        labelled = LabelledComplaint.read(Path.of("mappings/rules/labelled-complaints.yaml"));
        rulesAlone = new ComplaintClassifier(rules);
        withModel = new ComplaintClassifier(rules, SecondOpinion.train(labelled));
    }

    @Test
    void whereTheModelDoesNotDecideTheClassificationIsTheRulesOwn() {
        int decided = 0;
        for (LabelledComplaint it : labelled) {
            Classification a = rulesAlone.classify(it.text(), it.language(), it.knownType(), it.amount());
            Classification b = withModel.classify(it.text(), it.language(), it.knownType(), it.amount());
            List<String> modelSignals = b.signals().stream().filter(s -> s.startsWith("model:")).toList();
            if (modelSignals.isEmpty()) {
                assertThat(b).as(it.id()).isEqualTo(a);
            } else {
                decided++;
                assertThat(b.signals().stream().filter(s -> !s.startsWith("model:")).toList()).as(it.id())
                        .isEqualTo(a.signals());
                assertThat(modelSignals).allMatch(s -> s.matches("model:(?:grade:)?[A-Z_]+:[01]\\.\\d\\d"));
            }
            assertThat(b.grade().ordinal()).as("%s: the model may raise a grade, never lower it", it.id())
                    .isLessThanOrEqualTo(a.grade().ordinal());
            assertThat(b.department()).isEqualTo(rules.departmentFor(b.type()));
        }
        assertThat(decided).as("items where the model decided something").isLessThan(labelled.size() / 4);
    }

    @Test
    void aTypeTheChannelKnowsStillWins() {
        Classification c = withModel.classify("The Aurora kiosk swallowed my loyalty card.", "en",
                ComplaintType.SERVICE, null);
        assertThat(c.type()).isEqualTo(ComplaintType.SERVICE);
        assertThat(c.signals()).contains("type:known").noneMatch(s -> s.startsWith("model:") && !s.contains("grade"));
    }

    @Test
    void whereTheRulesAreSilentTheModelNamesTheTypeWithItsConfidence() {
        String text = "The pizza turned up an hour and a half after we ordered it, stone cold, and the rider said the"
                + " restaurant was slow.";
        Classification r = rulesAlone.classify(text, "en", null, null);
        assertThat(r.signals()).as("no type rule fires").noneMatch(s -> s.startsWith("type:"));
        assertThat(r.type()).isEqualTo(ComplaintType.OTHER);
        Classification c = withModel.classify(text, "en", null, null);
        assertThat(c.type()).as("signals %s", c.signals()).isNotEqualTo(ComplaintType.OTHER);
        String signal = c.signals().stream().filter(s -> s.startsWith("model:" + c.type() + ":")).findFirst()
                .orElseThrow();
        assertThat(Double.parseDouble(signal.substring(signal.lastIndexOf(':') + 1)))
                .isGreaterThanOrEqualTo(SecondOpinion.MIN_CONFIDENCE);
        assertThat(c.department()).isEqualTo(rules.departmentFor(c.type()));
        assertThat(c.grade()).isEqualTo(r.grade());
    }
}
