package org.complainthub.intake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.complainthub.broker.DepartmentNames;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.classify.ComplaintClassifier;
import org.complainthub.classify.Classification;
import org.complainthub.classify.SecondOpinion;
import org.complainthub.complaint.Complaint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The classify step of the pipeline: type, grade, department and due time from the rules file an operator edits
 * (hub.rules-file, read at start-up), with a second opinion learned at start-up from the labelled complaints
 * (hub.classify.training-files: the labelled sets and the desk's exported corrections; files that do not exist are
 * skipped, an empty list means the rules alone). The rules decide first; see ComplaintClassifier. A type the channel already knows (set by its mapping) wins over the text. The
 * rules only: a follow-up (threadOf) is sent where the complaint it follows is handled, which dispatch decides with
 * its group ({@code ComplaintDispatch}), where the threads and the ledger are.
 * The rules' departments are also the department queues the broker is given.
 */
@Component("complaintClassification")
public class ComplaintClassification implements DepartmentNames, org.complainthub.classify.GradeTimeLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ComplaintClassification.class);

    private final ClassificationRules rules;
    private final ComplaintClassifier classifier;

    @Autowired
    public ComplaintClassification(@Value("${hub.rules-file}") Path rulesFile,
                                   @Value("${hub.classify.training-files:}") String trainingFiles) {
        this(rulesFile, paths(trainingFiles));
    }

    /** The rules, and a model trained on those of the labelled files that exist (none: the rules alone). */
    public ComplaintClassification(Path rulesFile, List<Path> trainingFiles) {
        this.rules = ClassificationRules.load(rulesFile);
        List<Path> present = trainingFiles.stream().filter(Files::isRegularFile).toList();
        SecondOpinion opinion = null;
        if (!present.isEmpty()) {
            long start = System.nanoTime();
            try {
                // an unreadable file stops the start-up (its message names it); too few examples only the model
                opinion = SecondOpinion.trainedOn(present);
                LOG.info("Classification model trained on {} labelled complaints from {} ({} ms)",
                        opinion.examples(), present, (System.nanoTime() - start) / 1_000_000);
            } catch (IllegalArgumentException e) {
                LOG.warn("No classification model, the rules alone: {}", e.getMessage());
            }
        }
        this.classifier = new ComplaintClassifier(rules, opinion);
        LOG.info("Classification rules loaded from {}; departments {}", rulesFile, rules.departments());
    }

    /** The rules, and the model trained on the labelled files beside them (as the hub's defaults): for the tools. */
    public ComplaintClassification(Path rulesFile) {
        this(rulesFile, defaultTrainingFiles(rulesFile));
    }

    /** A comma-separated list of files (plain paths: Spring's Path conversion would look on the class path). */
    public static List<Path> paths(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated == null ? new String[0] : commaSeparated.split(","))
                .map(String::trim).filter(f -> !f.isEmpty()).map(Path::of).toList();
    }

    /** labelled-complaints.yaml, heldout-complaints.yaml and corrections.yaml in the rules file's folder. */
    public static List<Path> defaultTrainingFiles(Path rulesFile) {
        Path dir = rulesFile.toAbsolutePath().getParent();
        return List.of(dir.resolve("labelled-complaints.yaml"), dir.resolve("heldout-complaints.yaml"),
                dir.resolve("corrections.yaml"));
    }

    public Complaint apply(Complaint c) {
        classify(c);
        return c;
    }

    /** Classifies {@code c} as {@link #apply} does, and returns the classification (its time limit, the rules that fired). */
    public Classification classify(Complaint c) {
        Classification result = classifier.classify(c.text(), c.getCustomer().language(), c.getType(), c.getAmount());
        c.setType(result.type());
        c.setGrade(result.grade());
        c.setDepartment(result.department());
        c.setDueAt(c.getReceivedAt().plus(result.timeLimit()));
        if (c.getAmount() == null) {
            c.setAmount(result.amount());
        }
        List<String> signals = new ArrayList<>(c.getSignals());
        signals.addAll(result.signals());
        c.setSignals(signals);
        return result;
    }

    /** The rules' time to complete a complaint of this grade (dispatch's, for a repeat it grades higher). */
    @Override
    public java.time.Duration timeLimit(org.complainthub.complaint.Grade grade) {
        return rules.timeLimit(grade);
    }

    @Override
    public java.util.Set<String> departments() {
        return rules.departments();
    }
}
