package org.complainthub.intake;

import java.util.List;
import java.util.Map;
import org.complainthub.complaint.Complaint;
import org.complainthub.mapping.ComplaintMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The intake pipeline, written once: a channel's payload mapped with the channel's mapping file, then every
 * {@link IntakeStep} in their order (validate, enrich, classify, and whatever steps are added). Single complaints come
 * here through kamelet:complaint-intake (the web form, mail, webhooks), the items of a batch through {@link BatchIntake}
 * (call-log files); both then go on to dispatch.
 */
@Component("intakeSteps")
public class IntakeSteps {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeSteps.class);

    private final ComplaintMapper mapper;
    private final List<IntakeStep> steps;

    /** {@code steps} in their {@code @Order} (Spring sorts a list it injects); {@code named} only names them in the log. */
    public IntakeSteps(ComplaintMapper mapper, List<IntakeStep> steps, Map<String, IntakeStep> named) {
        this.mapper = mapper;
        this.steps = List.copyOf(steps);
        LOG.info("Intake steps, in order: {}", this.steps.stream().map(step -> named.entrySet().stream()
                .filter(e -> e.getValue() == step).map(Map.Entry::getKey).findFirst().orElse("?")).toList());
    }

    /**
     * The complaint {@code payload} is (a parsed JSON tree as Map/List, or JSON text or bytes), mapped with
     * {@code mapping} and taken through every step, ready to dispatch. Throws {@link SubmissionRejected} when the hub
     * will not take it; a mapping that fails on this payload (an expression error on odd input) refuses it too.
     */
    public Complaint prepare(Object payload, String channel, String mapping) {
        if (channel == null || channel.isBlank()) {
            // a route that names the channel by an expression (channel: "${exchangeProperty...}") that gave nothing
            throw new IllegalStateException("no channel name for mapping " + mapping + ": check the channel parameter");
        }
        if (!mapper.has(mapping)) {
            // the hub's configuration, not this payload: fails the call (or the batch), refuses nothing
            throw new IllegalStateException("no mapping file " + mapping + " in the mappings folder (channel " + channel + ")");
        }
        return run(map(payload, mapping), channel);
    }

    /** The steps only, for a complaint record a caller already has. */
    public Complaint run(Complaint complaint, String channel) {
        Complaint c = complaint;
        for (IntakeStep step : steps) {
            c = step.apply(c, channel);
        }
        return c;
    }

    private Complaint map(Object payload, String mapping) {
        try {
            return mapper.map(payload, mapping);
        } catch (SubmissionRejected e) {
            throw e;
        } catch (RuntimeException e) {
            // the reason goes back to the sender or to the quarantine, beside the payload: never into the log
            throw SubmissionRejected.of(400, "", "invalid", "mapping " + mapping + " failed: " + e);
        }
    }
}
