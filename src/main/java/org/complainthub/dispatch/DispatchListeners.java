package org.complainthub.dispatch;

import java.util.List;
import org.complainthub.complaint.Complaint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What else must be written once complaints are on the broker (a social account's thread, for its next message), for a
 * whole batch at a time. A failure propagates to the intake that dispatched them; the complaints stay dispatched.
 */
@Component
public class DispatchListeners {

    /** Told of every batch of complaints just dispatched (duplicates not included). */
    public interface Listener {
        void dispatched(List<Complaint> complaints);
    }

    private final ObjectProvider<Listener> listeners;

    public DispatchListeners(ObjectProvider<Listener> listeners) {
        this.listeners = listeners;
    }

    public void dispatched(List<Complaint> complaints) {
        if (!complaints.isEmpty()) {
            listeners.orderedStream().forEach(l -> l.dispatched(complaints));
        }
    }
}
