package org.complainthub.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import java.time.Duration;
import org.complainthub.HubExchange;
import org.complainthub.complaint.Complaint;
import org.complainthub.dedup.SourceMessages;
import org.complainthub.health.ChannelHealth;
import org.complainthub.complaint.RecordJson;
import org.complainthub.intake.FieldError;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.intake.SubmissionRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the HTTP channels answer. Every answer starts from no headers at all: platform-http would otherwise copy the
 * exchange's headers (the complaint's JMS properties, the request's own) into the response (STACK.md 7).
 */
@Component
public class HttpAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAnswers.class);
    private static final String JSON = "application/json; charset=utf-8";
    /** The page has inline script and style and talks only to the hub. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final int retryAfterSeconds;
    private final IntakeMetrics metrics;
    private final SourceMessages sources;
    private final ChannelHealth health;

    public HttpAnswers(@Value("${hub.retry-after-seconds:30}") int retryAfterSeconds, IntakeMetrics metrics,
                       SourceMessages sources, ChannelHealth health) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.metrics = metrics;
        this.sources = sources;
        this.health = health;
    }

    /**
     * 202 {"id", "dueAt"}: the complaint is on its queue. A submission that already was a complaint (the same form
     * token or Idempotency-Key) gets that complaint's answer: its id and its due time as dispatched (while it is still
     * on its way: counted from when it was received with this submission's time limit).
     */
    public void accepted(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Complaint c = exchange.getMessage().getMandatoryBody(Complaint.class);
        String duplicateOf = exchange.getProperty(HubExchange.DUPLICATE_OF, String.class);
        Map<String, Object> body = new LinkedHashMap<>();
        if (duplicateOf == null) {
            body.put("id", c.getId());
            body.put("dueAt", c.getDueAt());
            metrics.count(c.getChannel(), "accepted");
        } else {
            Duration limit = Duration.between(c.getReceivedAt(), c.getDueAt());
            body.put("id", duplicateOf);
            // the first complaint's due time as dispatched; before that, its receipt plus this submission's limit
            body.put("dueAt", sources.dispatchedDueAt(duplicateOf)
                    .map(due -> due.withOffsetSameInstant(c.getDueAt().getOffset()))
                    .or(() -> sources.firstReceived(c.getChannel(), c.getSourceId())
                            .map(first -> first.withOffsetSameInstant(c.getDueAt().getOffset()).plus(limit)))
                    .orElse(c.getDueAt()));
            metrics.count(c.getChannel(), "duplicate");
        }
        health.succeeded(c.getChannel());
        answer(exchange, 202, RecordJson.write(body));
    }

    /** 4xx with the per-field errors. */
    public void rejected(Exchange exchange) {
        SubmissionRejected e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SubmissionRejected.class);
        LOG.info("{} rejected a submission: {} {}", exchange.getFromRouteId(), e.status(),
                e.errors().stream().map(f -> f.field() + ":" + f.code()).toList());
        metrics.count(IntakeMetrics.channelOf(exchange), "rejected");
        answer(exchange, e.status(), errors(e.errors()));
        if (e instanceof SubmissionRateLimit.TooMany tooMany) {
            exchange.getMessage().setHeader("Retry-After", tooMany.retryAfterSeconds());
        }
    }

    /** 503 with Retry-After: the broker did not confirm the send, so nothing was queued. */
    public void brokerUnavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("{}: broker unavailable, answering 503: {}", exchange.getFromRouteId(), e.toString());
        metrics.count(IntakeMetrics.channelOf(exchange), "unavailable");
        health.failed(healthChannel(exchange), "broker unavailable (" + e.getClass().getSimpleName() + ")");
        answer(exchange, 503, RecordJson.write(Map.of("error",
                "The complaint could not be stored right now. Nothing was recorded; please try again shortly.")));
        exchange.getMessage().setHeader("Retry-After", retryAfterSeconds);
    }

    /** 503 with Retry-After: the hub's database failed (at any step), so nothing was recorded; the caller sends again. */
    public void databaseUnavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("{}: database unavailable, answering 503: {}", exchange.getFromRouteId(), e.toString());
        metrics.count(IntakeMetrics.channelOf(exchange), "unavailable");
        health.failed(healthChannel(exchange), "database unavailable (" + e.getClass().getSimpleName() + ")");
        answer(exchange, 503, RecordJson.write(Map.of("error",
                "The complaint could not be stored right now. Nothing was recorded; please try again shortly.")));
        exchange.getMessage().setHeader("Retry-After", retryAfterSeconds);
    }

    /** 500: a fault of the hub's own; logged with the route, never with the payload. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("{} failed on a submission", exchange.getFromRouteId(), e);
        metrics.count(IntakeMetrics.channelOf(exchange), "failed");
        health.failed(healthChannel(exchange), "internal error (" + (e == null ? "unknown" : e.getClass().getSimpleName()) + ")");
        answer(exchange, 500, RecordJson.write(Map.of("error", "Internal error. Nothing was recorded; please try again.")));
    }

    /** 200 with the body as an HTML page. */
    public void html(Exchange exchange) {
        String page = exchange.getMessage().getBody(String.class);
        answer(exchange, 200, page);
        Message m = exchange.getMessage();
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        m.setHeader("Content-Security-Policy", PAGE_POLICY);
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("Cache-Control", "no-store");
    }

    /**
     * The channel whose health a failed request counts against: a webhook's platform (one platform's request may carry
     * messages of several channels: meta's messenger, instagram, whatsapp), else the request's channel. Only the
     * type of the exception goes into the reason: its message may quote the request.
     */
    private static String healthChannel(Exchange exchange) {
        String platform = exchange.getProperty(HubExchange.WEBHOOK_PLATFORM, String.class);
        return platform != null ? platform : IntakeMetrics.channelOf(exchange);
    }

    public static String errors(List<FieldError> errors) {
        return RecordJson.write(Map.of("errors", errors));
    }

    private static void answer(Exchange exchange, int status, String body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, JSON);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setBody(body);
    }
}
