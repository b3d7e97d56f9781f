package org.complainthub.classify;

import java.time.Duration;
import java.util.List;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;

/**
 * What the classifier decided about one complaint.
 *
 * @param type       what it is about
 * @param grade      how severe it is
 * @param department where it goes (one queue per department)
 * @param timeLimit  how long the department has to complete it, by grade
 * @param amount     the amount the channel stated, else the largest amount read from the text; null when none
 * @param signals    the ids of the rules that fired, such as {@code type:delivery-late}, {@code grade:12315},
 *                   {@code amount>3000}: the reasons, for the desk and for tuning the rules
 */
public record Classification(ComplaintType type, Grade grade, String department, Duration timeLimit,
                             Complaint.Amount amount, List<String> signals) {
}
