package org.complainthub.channel.mail;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a bounce says: the addresses that failed for good (never those only delayed) and the Message-ID of the mail
 * that bounced, {@code <id@domain>} with its angle brackets. Both may be empty: a bounce that says nothing usable.
 */
public record BounceReport(List<String> failedRecipients, Optional<String> originalMessageId) {

    public BounceReport {
        failedRecipients = List.copyOf(failedRecipients);
    }

    public static BounceReport empty() {
        return new BounceReport(List.of(), Optional.empty());
    }

    public boolean isEmpty() {
        return failedRecipients.isEmpty() && originalMessageId.isEmpty();
    }

    /**
     * Whether the bounced mail was one the hub sent: its Message-ID ends in {@code @domain>}
     * ({@code hub.outbound.email.message-id-domain}). Anyone can forge that; see {@link Bounces}.
     */
    public boolean aboutMailFrom(String messageIdDomain) {
        String suffix = "@" + messageIdDomain.trim().toLowerCase(Locale.ROOT) + ">";
        return originalMessageId.map(id -> id.toLowerCase(Locale.ROOT).endsWith(suffix)).orElse(false);
    }
}
