package org.complainthub.channel.hotline;

/** A file that is not a call log of the configured format at all: it goes to the error folder, nothing is queued. */
public class CallLogUnreadable extends RuntimeException {
    public CallLogUnreadable(String message) {
        super(message);
    }
}
