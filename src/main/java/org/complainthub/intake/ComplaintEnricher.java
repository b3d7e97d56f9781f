package org.complainthub.intake;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.complainthub.HubProperties;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.Complaint.Customer;
import org.complainthub.complaint.ReferenceNumbers;
import org.springframework.stereotype.Component;

/** Fills in what the hub knows and the channel does not: the reference, when it arrived, the channel, the language. */
@Component
public class ComplaintEnricher {

    private final ReferenceNumbers references;
    private final HubProperties hub;
    private final Clock clock;

    public ComplaintEnricher(ReferenceNumbers references, HubProperties hub, Clock clock) {
        this.references = references;
        this.hub = hub;
        this.clock = clock.withZone(hub.timeZone());
    }

    public Complaint enrich(Complaint c, String channel) {
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
        c.setReceivedAt(now);
        c.setId(references.next(now));
        c.setChannel(channel);
        Customer customer = c.getCustomer() == null ? new Customer(null, null, null, null, null, null) : c.getCustomer();
        if (customer.language() == null) {
            c.setCustomer(customer.withLanguage(LanguageGuess.of(c.text())));
        }
        return c;
    }
}
