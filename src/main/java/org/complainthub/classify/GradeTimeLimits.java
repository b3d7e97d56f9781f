package org.complainthub.classify;

import java.time.Duration;
import org.complainthub.complaint.Grade;

/**
 * The time to complete a complaint of each grade (the classification rules'), for a complaint whose grade is raised
 * after classification (a repeat, at dispatch; a reopening, in the desk's loop): its dueAt follows its new grade.
 * Implemented by intake's classification; a core interface, so that the later stages (dispatch, outbound) use it
 * without calling back into intake.
 */
public interface GradeTimeLimits {
    Duration timeLimit(Grade grade);
}
