package org.complainthub.outbound;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A message to send to a customer, as it waits on complaints.outbound.send: only the complaint id, the kind and (for a
 * kind a complaint may get more than once) a tag; the content is built from the ledger, the complaint's history and the
 * templates when it is sent, never from inbound headers. One message of each kind and tag per complaint: the tag is the
 * round for THANKS and REOPENED (the n-th reopening), the progress note's key for PROGRESS.
 */
public record OutboundRequest(String complaintId, Kind kind, String tag) {

    @JsonCreator
    public OutboundRequest(@JsonProperty("complaintId") String complaintId, @JsonProperty("kind") Kind kind,
                           @JsonProperty("tag") String tag) {
        this.complaintId = complaintId;
        this.kind = kind;
        this.tag = tag;
    }

    public OutboundRequest(String complaintId, Kind kind) {
        this(complaintId, kind, null);
    }

    /** How it is recorded in outbound_sent (at most 16 characters): the kind, and the tag after a colon. */
    public String sentKind() {
        return tag == null ? kind.name() : kind.name() + ":" + tag;
    }

    public enum Kind {
        /** received: reference, department, promised answer time */
        ACK,
        /** the due time passed with no resolution: an interim message */
        OVERDUE,
        /** resolved: thanks and a satisfaction request */
        THANKS,
        /** the desk's progress note (an IN_PROGRESS status event with notify=true) */
        PROGRESS,
        /** reopened because the customer was not satisfied: raised grade, new answer time */
        REOPENED
    }
}
