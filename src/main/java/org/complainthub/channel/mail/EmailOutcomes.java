package org.complainthub.channel.mail;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.health.ChannelHealth;
import org.complainthub.intake.HubFault;
import org.complainthub.intake.IntakeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What became of each mail of a batch, which {@link Mailbox#finish} acts on: processed (its complaint is on the broker,
 * or it was automated mail left alone), quarantined (its raw bytes are on complaints.quarantine), or nothing yet.
 * <p>
 * Failed attempts per mail (by folder, UIDVALIDITY and UID): under hub.email.max-attempts the mail is left without an
 * outcome, so it stays in the folder for the next poll; at the limit it is quarantined, so one poisonous mail never
 * blocks the rest of the mailbox. Counted in memory: a restart gives every mail its attempts again.
 * <p>
 * Only faults of the mail count. A fault of the hub's own infrastructure ({@link HubFault#in}: database, broker, the
 * data directory; timeouts of those) leaves the mail in the folder uncounted, however long it lasts and wherever in
 * the pipeline it surfaces: otherwise a database that fails in the middle of three batches quarantines good mail.
 */
@Component
public class EmailOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(EmailOutcomes.class);


    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final int maxAttempts;
    private final IntakeMetrics metrics;
    private final ChannelHealth health;

    public EmailOutcomes(@Value("${hub.email.max-attempts}") int maxAttempts, IntakeMetrics metrics, ChannelHealth health) {
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
        this.health = health;
    }

    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        FetchedMail mail = exchange.getProperty(HubExchange.MAIL, FetchedMail.class);
        if (HubFault.in(e)) {
            LOG.warn("email: the hub's own infrastructure failed, the mail stays for the next poll (not counted as an "
                    + "attempt): {}", e.toString());
            metrics.count("email", "hub-fault");
            // the poll reached the mailbox but could not take its mail: no success of the channel
            health.failed("email", "the hub's own broker, database or disk failed (" + e.getClass().getSimpleName() + ")");
            exchange.setProperty(HubExchange.EMAIL_OUTCOME, "retry");
            return;
        }
        int n = attempts.merge(mail.key(), 1, Integer::sum);
        if (n < maxAttempts) {
            LOG.warn("email: attempt {} of {} failed, the mail stays for the next poll: {}", n, maxAttempts, e.toString());
            metrics.count("email", "failed");
            exchange.setProperty(HubExchange.EMAIL_OUTCOME, "retry");
            return;
        }
        attempts.remove(mail.key());
        exchange.setProperty(HubExchange.EMAIL_OUTCOME, "quarantine");
        exchange.setProperty(HubExchange.EMAIL_REASON, "failed " + n + " times: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        metrics.count("email", "quarantined");
    }

    /** Refused by the pipeline (validation): the same mail would be refused every time, so no retry. */
    public void refused(Exchange exchange) {
        metrics.count("email", "quarantined");
    }

    /** Automated mail (auto-reply, bounce, list mail): never a complaint, never answered, done with. */
    public void automated(Exchange exchange) {
        exchange.getProperty(HubExchange.MAIL, FetchedMail.class).processed();
    }

    /** Its raw bytes are on complaints.quarantine: moved to the quarantine folder. */
    public void quarantined(Exchange exchange) {
        exchange.getProperty(HubExchange.MAIL, FetchedMail.class).quarantined();
    }

    public void succeeded(Exchange exchange) {
        exchange.getProperty(HubExchange.MAIL, FetchedMail.class).processed();
        attempts.remove(exchange.getProperty(HubExchange.MAIL, FetchedMail.class).key());
        if (exchange.getProperty(HubExchange.DUPLICATE_OF) != null) {
            metrics.count("email", "duplicate");
        } else {
            metrics.count("email", "accepted");
        }
    }
}
