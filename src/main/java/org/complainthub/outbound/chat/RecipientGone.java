package org.complainthub.outbound.chat;

/**
 * The platform says the customer cannot be reached there any more: they blocked or unfollowed the account, or their
 * account is gone. Refused for good like any {@link ReplyRefused}, and the address is marked undeliverable, so the
 * hub does not try that platform id again (OutboundGuard).
 */
public class RecipientGone extends ReplyRefused {

    public RecipientGone(String message) {
        super(message);
    }
}
