package org.complainthub.outbound;

import java.time.Instant;

/**
 * What the outbound path does with one request: send it on a transport, leave it (with the reason), send it later,
 * or record that it cannot be sent (to complaints.outbound.dead, with the reason). {@code outsideWindow}: a platform's
 * reply window has closed, so it goes as that platform's template message (or tagged message).
 */
public record OutboundDecision(Action action, String transport, String recipient, String reason, Instant notBefore,
                               boolean outsideWindow) {

    public enum Action { SEND, SKIP, DELAY, FAIL }

    static OutboundDecision send(String transport, String recipient) {
        return new OutboundDecision(Action.SEND, transport, recipient, null, null, false);
    }

    static OutboundDecision sendOutsideWindow(String transport, String recipient) {
        return new OutboundDecision(Action.SEND, transport, recipient, null, null, true);
    }

    static OutboundDecision skip(String reason) {
        return new OutboundDecision(Action.SKIP, null, null, reason, null, false);
    }

    static OutboundDecision delay(String transport, String reason, Instant until) {
        return new OutboundDecision(Action.DELAY, transport, null, reason, until, false);
    }

    static OutboundDecision fail(String reason) {
        return new OutboundDecision(Action.FAIL, null, null, reason, null, false);
    }
}
