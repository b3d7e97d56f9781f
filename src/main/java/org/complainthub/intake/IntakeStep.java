package org.complainthub.intake;

import org.complainthub.complaint.Complaint;

/**
 * One step of the intake pipeline, between a channel's mapping and dispatch, run for every complaint of every channel
 * (single ones from kamelet:complaint-intake and the items of a batch alike, see {@link IntakeSteps}). A step is a
 * Spring bean of this type; {@code @Order} places it among the others (the hub's own: {@link CoreIntakeSteps}).
 * <p>
 * A step works on the complaint its caller alone holds and may change it or return another one. It refuses a complaint
 * by throwing {@link SubmissionRejected} (a 400 for HTTP, the mail quarantined at once, the row of a file quarantined);
 * any other exception fails the complaint (or the whole batch) as a fault of the hub, to be tried again. Batch items run
 * on several threads at once: a step must be thread-safe, and should do no I/O per complaint that it could avoid.
 */
@FunctionalInterface
public interface IntakeStep {

    /** @param channel the channel's name, as the record will carry it (webform, email, hotline, ...) */
    Complaint apply(Complaint complaint, String channel);
}
