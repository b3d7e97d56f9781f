package org.complainthub.outbound;

import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.springframework.stereotype.Component;

/**
 * Reads the broker's copy of every dispatched complaint (a divert, so intake sends once): writes the contact ledger
 * and asks for the acknowledgement. Follow-ups of an open complaint get no second acknowledgement; one on the
 * complaint's own channel moves the start of that platform's reply window.
 */
@Component
public class OutboundIntake {

    private final ContactLedger ledger;

    public OutboundIntake(ContactLedger ledger) {
        this.ledger = ledger;
    }

    /** The acknowledgement request for this complaint, or null when none is due. */
    public String record(String recordJson) {
        Complaint c = RecordJson.read(recordJson);
        if (c.getThreadOf() != null) {
            ledger.followUp(c.getThreadOf(), c.getChannel(), c.getReceivedAt());
            return null;
        }
        ledger.record(c);
        return RecordJson.write(new OutboundRequest(c.getId(), OutboundRequest.Kind.ACK));
    }
}
