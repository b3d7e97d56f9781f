package org.complainthub.channel.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.complainthub.intake.IntakeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Failed attempts per mail (by Message-ID, else by size and date): under hub.email.max-attempts the failure is thrown
 * again so the mail stays in the folder for the next poll; at the limit the mail is quarantined, so one poisonous
 * mail never blocks the rest of the mailbox. Counted in memory: a restart gives every mail its attempts again.
 */
@Component
public class EmailFailures {

    private static final Logger LOG = LoggerFactory.getLogger(EmailFailures.class);

    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final int maxAttempts;
    private final IntakeMetrics metrics;

    public EmailFailures(@Value("${hub.email.max-attempts}") int maxAttempts, IntakeMetrics metrics) {
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
    }

    public void failed(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String key = key(exchange.getMessage().getBody(Message.class), exchange);
        int n = attempts.merge(key, 1, Integer::sum);
        if (n < maxAttempts) {
            LOG.warn("email: attempt {} of {} failed, the mail stays for the next poll: {}", n, maxAttempts, e.toString());
            metrics.count("email", "failed");
            throw e;
        }
        attempts.remove(key);
        exchange.setProperty(EmailIntake.REASON, "failed " + n + " times: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        if (exchange.getProperty("hubEmailRaw") == null) {
            exchange.setProperty("hubEmailRaw", new byte[0]);
        }
        metrics.count("email", "quarantined");
    }

    /** Refused by the pipeline (validation): the same mail would be refused every time, so no retry. */
    public void refused(Exchange exchange) {
        if (exchange.getProperty("hubEmailRaw") == null) {
            exchange.setProperty("hubEmailRaw", new byte[0]);
        }
        metrics.count("email", "quarantined");
    }

    public void succeeded(Exchange exchange) {
        if (exchange.getProperty("hubDuplicateOf") != null) {
            metrics.count("email", "duplicate");
        } else {
            metrics.count("email", "accepted");
        }
    }

    private String key(Message m, Exchange exchange) {
        try {
            String[] ids = m == null ? null : m.getHeader("Message-ID");
            if (ids != null && ids.length > 0) {
                return ids[0];
            }
            return m == null ? exchange.getExchangeId() : m.getSize() + "|" + m.getSentDate();
        } catch (MessagingException e) {
            return exchange.getExchangeId();
        }
    }
}
