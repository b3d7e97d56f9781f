package org.complainthub.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import org.complainthub.intake.FieldError;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Bounds every request body before anything reads it. platform-http copies the whole body into memory before the
 * route's first step (inflating it first when it says Content-Encoding: gzip), so the routes' own limits
 * (hub.webform.max-json-bytes, hub.webhooks.*.max-bytes) only answered once the bytes were all in the heap: a 1 MB gzip
 * of zeros became a gigabyte there (found by the hostile-input suite, src/test/resources/hostile). Here, before the
 * copy: a compressed body is refused (415; no platform compresses its webhooks, and the form never does), a declared
 * length over hub.http.max-body-bytes is refused (413), and a body without a length is cut after that many bytes plus
 * one and marked ({@link #CUT}), so the route answers 413 by its own limit or by this mark. Multipart bodies are
 * Spring's to bound (spring.servlet.multipart.max-request-size).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestBodyLimit implements Filter {

    /** Request attribute: the body went on past hub.http.max-body-bytes and was cut there. */
    public static final String CUT = "org.complainthub.web.bodyCut";
    private static final Set<String> BODIES = Set.of("POST", "PUT", "PATCH");

    private final long maxBytes;

    public RequestBodyLimit(@Value("${hub.http.max-body-bytes:4194304}") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!BODIES.contains(request.getMethod()) || type.startsWith("multipart/")) {
            chain.doFilter(req, res);
            return;
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            refuse((HttpServletResponse) res, 415, "unsupported_encoding",
                    "Content-Encoding " + encoding.strip() + " is not accepted: send the body uncompressed");
            return;
        }
        if (request.getContentLengthLong() > maxBytes) {
            refuse((HttpServletResponse) res, 413, "too_large", "the body is larger than " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(new Bounded(request, maxBytes), res);
    }

    private static void refuse(HttpServletResponse r, int status, String code, String message) throws IOException {
        byte[] body = HttpAnswers.errors(List.of(new FieldError("", code, message))).getBytes(StandardCharsets.UTF_8);
        r.setStatus(status);
        r.setHeader("X-Content-Type-Options", "nosniff");
        r.setContentType("application/json; charset=utf-8");
        r.setContentLength(body.length);
        r.getOutputStream().write(body);
    }

    /** The request with its body ending after max + 1 bytes (enough for every limit after it to see it is over). */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedBody(super.getInputStream(), max + 1, () -> setAttribute(CUT, Boolean.TRUE));
            }
            return stream;
        }
    }
}
