package org.complainthub.outbound;

import java.time.OffsetDateTime;

/**
 * One row of the contact ledger: how to reach the customer of a complaint, and where the complaint stands. replyRef is
 * the record's: the channel's reference for answering in the customer's own thread (email: the customer's Message-ID).
 * repeatOf is the record's too: the earlier complaint a repeat complaint repeats (its acknowledgement names it).
 */
public record Contact(String complaintId, String channel, String name, String email, String phone, String handle,
                      String language, String subject, String grade, String department, OffsetDateTime receivedAt,
                      OffsetDateTime dueAt, String status, OffsetDateTime resolvedAt, String resolution, String agent,
                      OffsetDateTime overdueAt, OffsetDateTime optedOutAt, Integer satisfactionScore, String sourceId,
                      OffsetDateTime lastMessageAt, String replyRef, String repeatOf) {

    public static final String OPEN = "OPEN";
    public static final String RESOLVED = "RESOLVED";
    /** Closed without a thank-you (invalid, withdrawn): done, like RESOLVED, but nobody calls back. */
    public static final String CLOSED = "CLOSED";
    /** Open again: the customer was not satisfied with the resolution. */
    public static final String REOPENED = "REOPENED";

    /** Done: resolved or closed (no interim message, no follow-up joins it). */
    public boolean resolved() {
        return RESOLVED.equals(status) || CLOSED.equals(status);
    }

    public boolean optedOut() {
        return optedOutAt != null;
    }

    /** The customer's last message on the complaint's channel: where a platform's reply window starts. */
    public OffsetDateTime lastMessage() {
        return lastMessageAt != null ? lastMessageAt : receivedAt;
    }
}
