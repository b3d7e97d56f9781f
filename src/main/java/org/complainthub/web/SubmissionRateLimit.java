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
 * Submissions per client: a token bucket each (bucket4j), kept for the most recent 100,000 clients, so a script
 * hammering the form gets 429 with Retry-After and the broker stays free for real customers. A client is an IPv4
 * address or an IPv6 /64 (one subscriber's network: an attacker holding a /64 has 2^64 addresses to rotate through).
 * <p>
 * Where the address comes from depends on server.forward-headers-strategy, and X-Forwarded-For is read only when it is
 * set (otherwise anybody could name any address in it):
 * <ul>
 * <li>none (default): the address that connected;</li>
 * <li>native: the address Tomcat's RemoteIpValve found, reading X-Forwarded-For from the right through the proxies it
 * trusts (server.tomcat.remoteip.internal-proxies: private and loopback ranges by default; set it to the proxies'
 * addresses);</li>
 * <li>framework: the last X-Forwarded-For entry, the one the proxy in front of the hub wrote (one proxy). Spring's own
 * filter takes the first entry, which the client writes itself, so it is not used here.</li>
 * </ul>
 */
@Component
public class SubmissionRateLimit {

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final int perMinute;
    private final boolean frameworkForwarding;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    public SubmissionRateLimit(@Value("${hub.intake.max-per-minute-per-client:30}") int perMinute,
                               @Value("${server.forward-headers-strategy:none}") String forwardHeadersStrategy) {
        this.perMinute = perMinute;
        this.frameworkForwarding = "framework".equalsIgnoreCase(forwardHeadersStrategy.strip());
    }

    public void check(Exchange exchange) {
        if (perMinute <= 0) {
            return;
        }
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        String client = request == null ? "unknown" : clientOf(request);
        Bucket bucket = buckets.get(client, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new TooMany(seconds);
        }
    }

    /** The client's address as the configured proxy set-up tells it, as a bucket key. */
    String clientOf(HttpServletRequest request) {
        if (frameworkForwarding) {
            HttpServletRequest original = request;
            while (original instanceof jakarta.servlet.http.HttpServletRequestWrapper w && w.getRequest() instanceof HttpServletRequest inner) {
                original = inner; // past Spring's ForwardedHeaderFilter, which hides the header and took its first entry
            }
            String forwarded = String.join(",", java.util.Collections.list(original.getHeaders("X-Forwarded-For")));
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].strip();
            return key(last.isEmpty() ? original.getRemoteAddr() : last);
        }
        return key(request.getRemoteAddr());
    }

    /** IPv4 as it is; IPv6 (also "[…]", with a zone) as its /64; anything else as text (never looked up in DNS). */
    static String key(String address) {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        boolean v4 = IPV4.matcher(a).matches() && java.util.Arrays.stream(a.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        if (v4 || (a.indexOf(':') >= 0 && IPV6.matcher(a).matches())) {
            try {
                byte[] ip = java.net.InetAddress.getByName(a).getAddress(); // a literal: no lookup
                if (ip.length == 16) {
                    return "v6:" + java.util.HexFormat.of().formatHex(ip, 0, 8) + "::/64";
                }
                return java.net.InetAddress.getByAddress(ip).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                // not an address after all: counted as the text it is
            }
        }
        return a.length() <= 64 ? a : a.substring(0, 64);
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
