package org.complainthub.report;

import java.time.OffsetDateTime;

/**
 * One complaint of the month as the report sees it, read by {@link MonthHistory} from complaint_history (what it was
 * when dispatched) and its complaint_event rows (what happened after, up to now).
 *
 * @param department       where it is now: the department of its latest event (by time, then event id), else the one
 *                         it was dispatched to
 * @param grade            the grade at dispatch (a reopening raises it later: counted as reopened, not regraded here)
 * @param dueAt            the due time set at dispatch (the grade's time limit)
 * @param firstAnsweredAt  the first IN_PROGRESS or RESOLVED event, or null
 * @param firstResolvedAt  the first RESOLVED event, or null
 * @param lastState        the latest of its RESOLVED, CLOSED and REOPENED events (null: none yet)
 * @param overdueEvents    OVERDUE events
 * @param reassignments    REASSIGNED events
 * @param reopenings       REOPENED events
 * @param score            the score (1-5) of its latest SATISFACTION event, or null
 */
public record ComplaintFacts(String complaintId, String channel, String type, String grade, String department,
                             OffsetDateTime receivedAt, OffsetDateTime dueAt, String repeatOf, String orderNo,
                             String product, String store, String staff, String signals,
                             OffsetDateTime firstAnsweredAt, OffsetDateTime firstResolvedAt, String lastState,
                             int overdueEvents, int reassignments, int reopenings, Integer score) {

    /** Serious and above (A, B): answered within three days; general (C, D): the same day (DOMAIN.md 1.6). */
    public boolean serious() {
        return "A".equals(grade) || "B".equals(grade);
    }

    /** Not RESOLVED or CLOSED now (never resolved, or reopened since). */
    public boolean open() {
        return !"RESOLVED".equals(lastState) && !"CLOSED".equals(lastState);
    }
}
