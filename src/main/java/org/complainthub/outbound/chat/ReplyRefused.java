package org.complainthub.outbound.chat;

/**
 * The message cannot be delivered as it is (the customer blocked the account, the reply window closed, a bad
 * setting): retrying would not help, so it goes straight to complaints.outbound.dead with this reason, to be sent
 * again (POST /actuator/outbound) once something changed. Never a token or a customer's id in the message.
 */
public class ReplyRefused extends RuntimeException {

    public ReplyRefused(String message) {
        super(message);
    }
}
