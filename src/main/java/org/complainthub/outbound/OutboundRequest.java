package org.complainthub.outbound;

/**
 * A message to send to a customer, as it waits on complaints.outbound.send: only the complaint id and the kind; the
 * content is built from the ledger and the templates when it is sent, never from inbound headers.
 */
public record OutboundRequest(String complaintId, Kind kind) {

    public enum Kind {
        /** received: reference, department, promised answer time */
        ACK,
        /** the due time passed with no resolution: an interim message */
        OVERDUE,
        /** resolved: thanks and a satisfaction request */
        THANKS
    }
}
