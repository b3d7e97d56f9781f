package org.complainthub.intake;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.complainthub.broker.DepartmentNames;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.classify.ComplaintClassifier;
import org.complainthub.classify.Classification;
import org.complainthub.complaint.Complaint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The classify step of the pipeline: type, grade, department and due time from the rules file an operator edits
 * (hub.rules-file, read at start-up). A type the channel already knows (set by its mapping) wins over the text. The
 * rules only: a follow-up (threadOf) is sent where the complaint it follows is handled, which dispatch decides with
 * its group ({@code ComplaintDispatch}), where the threads and the ledger are.
 * The rules' departments are also the department queues the broker is given.
 */
@Component("complaintClassification")
public class ComplaintClassification implements DepartmentNames, org.complainthub.classify.GradeTimeLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ComplaintClassification.class);

    private final ClassificationRules rules;
    private final ComplaintClassifier classifier;

    public ComplaintClassification(@Value("${hub.rules-file}") Path rulesFile) {
        this.rules = ClassificationRules.load(rulesFile);
        this.classifier = new ComplaintClassifier(rules);
        LOG.info("Classification rules loaded from {}; departments {}", rulesFile, rules.departments());
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
