package org.complainthub.channel.webhook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.complainthub.intake.FieldError;
import org.complainthub.web.BoundedBody;
import org.complainthub.web.HttpAnswers;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of the webhook routes (hub.webhooks.<platform>.path of each enabled platform), before Camel reads a byte.
 * platform-http reads the whole body into memory before the route runs, and turns a form body (Content-Type
 * application/x-www-form-urlencoded) into message headers, answering 500 for a broken %-escape. So here: a body
 * declared larger than the platform's max-bytes is answered 413 at once; a body of undeclared length is cut after
 * max-bytes + 1 bytes (the gate then answers 413: nothing larger is ever held); and the form type is hidden from
 * Camel's binding (getContentType only: the Content-Type header the gate and the parser read stays as sent), so a
 * form is read once, by {@link WebhookMessages}, after its signature was checked on its bytes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class WebhookRequests extends OncePerRequestFilter {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final WebhookSettings settings;
    private volatile Map<String, Integer> limits;

    public WebhookRequests(WebhookSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Integer max = limits().get(request.getRequestURI().substring(request.getContextPath().length()));
        if (max == null) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > max) {
            byte[] body = HttpAnswers.errors(List.of(new FieldError("", "too_large", "the body is larger than " + max + " bytes")))
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(413);
            response.setContentType("application/json");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        chain.doFilter(new Bounded(request, max + 1), response);
    }

    /** Path → max-bytes of the enabled platforms (settings do not change while the hub runs). */
    private Map<String, Integer> limits() {
        Map<String, Integer> found = limits;
        if (found == null) {
            found = new HashMap<>();
            for (String platform : settings.platforms()) {
                String path = settings.get(platform, "path");
                if (settings.bool(platform, "enabled") && !path.isEmpty()) {
                    found.put(path, settings.integer(platform, "max-bytes", WebhookGate.DEFAULT_MAX_BYTES));
                }
            }
            limits = found = Map.copyOf(found);
        }
        return found;
    }

    /** The request as Camel's binding sees it: a form is not a form to it, and the body ends after {@code limit} bytes. */
    static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream in;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public String getContentType() {
            String type = super.getContentType();
            return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith(FORM) ? "application/octet-stream" : type;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BoundedBody(super.getInputStream(), limit, () -> { });
            }
            return in;
        }
    }
}
