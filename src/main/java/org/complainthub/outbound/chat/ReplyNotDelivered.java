package org.complainthub.outbound.chat;

/**
 * The platform did not take the message this time (down, busy, rate-limited, an expired token): the outbound path
 * tries again with growing delays. The message says what happened, never a token or a customer's id.
 */
public class ReplyNotDelivered extends RuntimeException {

    public ReplyNotDelivered(String message) {
        super(message);
    }
}
