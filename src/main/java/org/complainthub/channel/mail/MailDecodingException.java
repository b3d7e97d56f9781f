package org.complainthub.channel.mail;

/**
 * A mail that cannot be decoded at all (empty, over a limit, structurally unreadable). The message says why, in words
 * an operator can act on; the route should quarantine the raw bytes rather than retry, since decoding is deterministic.
 */
public class MailDecodingException extends Exception {

    public MailDecodingException(String reason) {
        super(reason);
    }

    public MailDecodingException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
