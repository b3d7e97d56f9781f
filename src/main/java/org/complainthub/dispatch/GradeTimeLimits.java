package org.complainthub.dispatch;

import java.time.Duration;
import org.complainthub.complaint.Grade;

/**
 * The time to complete a complaint of each grade (the classification rules'), for a complaint whose grade dispatch
 * raises (a repeat): its dueAt follows its new grade. Implemented by intake's classification (dispatch never calls back
 * into intake: intake hands this in).
 */
public interface GradeTimeLimits {
    Duration timeLimit(Grade grade);
}
