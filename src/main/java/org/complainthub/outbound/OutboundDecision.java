package org.complainthub.outbound;

import java.time.Instant;

/** What the outbound path does with one request: send it on a transport, leave it (with the reason), or send it later. */
public record OutboundDecision(Action action, String transport, String recipient, String reason, Instant notBefore) {

    public enum Action { SEND, SKIP, DELAY }

    static OutboundDecision send(String transport, String recipient) {
        return new OutboundDecision(Action.SEND, transport, recipient, null, null);
    }

    static OutboundDecision skip(String reason) {
        return new OutboundDecision(Action.SKIP, null, null, reason, null);
    }

    static OutboundDecision delay(String transport, String reason, Instant until) {
        return new OutboundDecision(Action.DELAY, transport, null, reason, until);
    }
}
