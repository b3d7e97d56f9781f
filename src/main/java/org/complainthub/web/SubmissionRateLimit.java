package org.complainthub.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.complainthub.intake.FieldError;
import org.complainthub.intake.SubmissionRejected;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Submissions per client address: a token bucket each (bucket4j), kept for the most recent 100,000 addresses, so a
 * script hammering the form gets 429 with Retry-After and the broker stays free for real customers. Behind a proxy,
 * set server.forward-headers-strategy=native so the client's address is the one counted.
 */
@Component
public class SubmissionRateLimit {

    private final int perMinute;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    public SubmissionRateLimit(@Value("${hub.intake.max-per-minute-per-client:30}") int perMinute) {
        this.perMinute = perMinute;
    }

    public void check(Exchange exchange) {
        if (perMinute <= 0) {
            return;
        }
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        String client = request == null ? "unknown" : request.getRemoteAddr();
        Bucket bucket = buckets.get(client, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new TooMany(seconds);
        }
    }

    /** 429: too many submissions from one client; retry after the given seconds. */
    public static class TooMany extends SubmissionRejected {
        private final long retryAfterSeconds;

        public TooMany(long retryAfterSeconds) {
            super(429, List.of(new FieldError("", "rate_limited", "too many submissions; try again in " + retryAfterSeconds + " s")));
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
