package org.complainthub.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The HTTP port opens before Camel has started the routes behind it (Tomcat starts when the context is refreshed, the
 * routes after): until they are up, and again while they stop, every request on the port is answered 503 with
 * Retry-After instead of 404 (a platform or a load balancer would take a 404 for a webhook that is gone). The same
 * state is the readiness probe's (management.endpoint.health.group.readiness.include): not ready until the routes run.
 */
@Component
public class StartupGate implements Filter, HealthIndicator {

    private static final byte[] BODY = "{\"error\":\"The hub is starting. Nothing was recorded; please try again shortly.\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final ObjectProvider<CamelContext> camel;
    private final int retryAfterSeconds;

    public StartupGate(ObjectProvider<CamelContext> camel, @Value("${hub.retry-after-seconds:30}") int retryAfterSeconds) {
        this.camel = camel;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whether Camel runs, with every route that starts by itself. */
    public boolean routesUp() {
        CamelContext c = camel.getIfAvailable();
        return c != null && c.isStarted();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (routesUp() || ((HttpServletRequest) req).getRequestURI().startsWith("/actuator")) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse r = (HttpServletResponse) res;
        r.setStatus(503);
        r.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        r.setHeader("X-Content-Type-Options", "nosniff");
        r.setContentType("application/json; charset=utf-8");
        r.setContentLength(BODY.length);
        r.getOutputStream().write(BODY);
    }

    @Override
    public Health health() {
        return routesUp() ? Health.up().build() : Health.outOfService().withDetail("routes", "starting").build();
    }
}
