package org.complainthub.outbound;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.complainthub.HubExchange;
import org.complainthub.outbound.chat.ReplyRefused;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What becomes of a request whose send failed: it goes back on complaints.outbound.send, scheduled by the broker for
 * later (growing delays), or to complaints.outbound.dead with the reason. The outbound-send route sends it where
 * {@link HubExchange#FAILED_TO} says in the JMS transaction that took the request off the queue, so it is neither lost nor doubled, and
 * the consumer never sleeps: other customers' messages go out meanwhile.
 * <p>
 * Permanent refusals (the SMS gateway's 4xx other than 408/429, an SMTP 5xx, a platform's refusal) go to the dead
 * queue at once. A fault of the hub's own database or broker is retried without counting as a try of the request.
 */
@Component
public class SendFailures {

    private static final Logger LOG = LoggerFactory.getLogger(SendFailures.class);
    /** JMS property: failed tries of this request so far (the hub's own faults not counted). */
    public static final String ATTEMPTS = "hubAttempts";
    /** JMS property: the hub's own faults (database, broker) in a row while sending this request. */
    static final String HUB_FAULTS = "hubHubFaults";
    private static final Pattern ENHANCED_STATUS = Pattern.compile("\\b[45]\\.\\d{1,3}\\.\\d{1,3}\\b");

    private final OutboundSender sender;
    private final OutboundMetrics metrics;
    private final int retries;
    private final long delayMs;
    private final long maxDelayMs;
    private final String sendQueue;
    private final String deadQueue;

    public SendFailures(OutboundSender sender, @Value("${hub.outbound.retries}") int retries,
                        @Value("${hub.outbound.retry-delay-ms}") long delayMs,
                        @Value("${hub.outbound.retry-max-delay-ms}") long maxDelayMs,
                        @Value("${hub.queues.outbound-send}") String sendQueue,
                        @Value("${hub.queues.outbound-dead}") String deadQueue, OutboundMetrics metrics) {
        this.sender = sender;
        this.metrics = metrics;
        this.retries = retries;
        this.delayMs = delayMs;
        this.maxDelayMs = maxDelayMs;
        this.sendQueue = sendQueue;
        this.deadQueue = deadQueue;
    }

    /** Called with the original request (as it came off the queue) and the exception; sets the headers and {@link HubExchange#FAILED_TO}. */
    public void failed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        sender.failed(exchange);
        Message m = exchange.getMessage();
        int attempts = m.getHeader(ATTEMPTS, 0, Integer.class);
        int hubFaults = m.getHeader(HUB_FAULTS, 0, Integer.class);
        String request = m.getBody(String.class);
        // everything else the request carried goes: its duplicate-detection id above all (the broker would drop the
        // retry as a duplicate of the request it came from)
        m.removeHeaders("*");
        m.setBody(request);
        String permanent = permanentRefusal(e);
        OutboundDecision decision = exchange.getProperty(HubExchange.OUTBOUND_DECISION, OutboundDecision.class);
        String transport = decision == null ? null : decision.transport();
        if (permanent == null && hubFault(e)) {
            long delay = delay(hubFaults);
            m.setHeader(ATTEMPTS, attempts);
            m.setHeader(HUB_FAULTS, hubFaults + 1);
            m.setHeader("_AMQ_SCHED_DELIVERY", System.currentTimeMillis() + delay);
            exchange.setProperty(HubExchange.FAILED_TO, sendQueue);
            metrics.count(transport, OutboundMetrics.HUB_FAULT);
            LOG.warn("outbound: the hub's own fault while sending a request (not counted as a try), again in {} ms: {}",
                    delay, e.getClass().getName());
        } else if (permanent == null && attempts < retries) {
            long delay = delay(attempts);
            m.setHeader(ATTEMPTS, attempts + 1);
            m.setHeader("_AMQ_SCHED_DELIVERY", System.currentTimeMillis() + delay);
            m.setHeader("hubLastFailure", reason(e));
            exchange.setProperty(HubExchange.FAILED_TO, sendQueue);
            metrics.count(transport, OutboundMetrics.FAILED);
            LOG.warn("outbound: send failed (try {} of {}), again in {} ms: {}", attempts + 1, retries + 1, delay, reason(e));
        } else {
            m.setHeader(ATTEMPTS, attempts + 1);
            m.setHeader("hubFailureReason", permanent != null ? "permanent: " + permanent : reason(e));
            m.setHeader("hubFailedRoute", exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class));
            exchange.setProperty(HubExchange.FAILED_TO, deadQueue);
            metrics.count(transport, OutboundMetrics.DEAD);
            LOG.warn("outbound: a request goes to {}: {}", deadQueue, m.getHeader("hubFailureReason"));
        }
    }

    /** retry-delay-ms doubled per earlier try, at most retry-max-delay-ms. */
    long delay(int earlierTries) {
        return Math.min(maxDelayMs, delayMs << Math.min(earlierTries, 30));
    }

    /**
     * Why retrying cannot help, or null: a platform's refusal, the SMS gateway's 4xx other than 408 (timeout) and 429
     * (too many requests), an SMTP 5xx reply (to the recipient, the sender or the message). Never the address itself.
     */
    static String permanentRefusal(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ReplyRefused refused) {
                return refused.getClass().getSimpleName() + ": " + refused.getMessage();
            }
            if (t instanceof HttpOperationFailedException http) {
                int s = http.getStatusCode();
                return s >= 400 && s < 500 && s != 408 && s != 429 ? "the SMS gateway refused it: HTTP " + s : null;
            }
            int smtp = t instanceof SMTPAddressFailedException a ? a.getReturnCode()
                    : t instanceof SMTPSendFailedException s ? s.getReturnCode()
                    : t instanceof SMTPSenderFailedException s ? s.getReturnCode() : 0;
            if (smtp >= 500 && smtp < 600) {
                // the server's text names the address: only the codes go into the reason
                Matcher enhanced = ENHANCED_STATUS.matcher(String.valueOf(t.getMessage()));
                return "the mail server refused it: SMTP " + smtp + (enhanced.find() ? " " + enhanced.group() : "")
                        + (t instanceof SMTPAddressFailedException ? " (recipient)" : t instanceof SMTPSenderFailedException
                        ? " (sender)" : " (message)");
            }
        }
        return null;
    }

    /** A fault of the hub's own database or broker, not of the request or the provider. */
    static boolean hubFault(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof org.springframework.dao.DataAccessException || t instanceof SQLException
                    || t instanceof org.springframework.jms.JmsException || t instanceof jakarta.jms.JMSException) {
                return true;
            }
        }
        return false;
    }

    /** The failure in one line, without the message's content. */
    static String reason(Throwable e) {
        return e == null ? "unknown" : e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replaceAll("[\\r\\n]+", " ");
    }
}
