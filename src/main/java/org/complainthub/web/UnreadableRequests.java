package org.complainthub.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.complainthub.intake.FieldError;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * What Tomcat answers itself, for a request it refuses before any route sees it (headers over
 * server.max-http-request-header-size, a malformed request line or header): the same JSON error shape as every other
 * answer, saying what was wrong, instead of an HTML page that says only "Bad Request" (found by the hostile-input
 * suite). Answers the hub wrote itself are left as they are.
 */
@Component
public class UnreadableRequests implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // after Spring Boot's own error valve in the host's pipeline, so this one answers first
        factory.addContextCustomizers(context -> context.getParent().getPipeline().addValve(new JsonErrors()));
    }

    static final class JsonErrors extends ErrorReportValve {

        JsonErrors() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String message = throwable != null && String.valueOf(throwable.getMessage()).contains("too large")
                    ? "the request's headers are larger than the hub accepts"
                    : status == 400 ? "the request could not be read: its request line or a header is malformed or too large"
                    : "the request could not be handled (HTTP " + status + ")";
            byte[] body = HttpAnswers.errors(List.of(new FieldError("", "invalid", message))).getBytes(StandardCharsets.UTF_8);
            try {
                response.setContentType("application/json; charset=utf-8");
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setContentLength(body.length);
                OutputStream out = response.getOutputStream();
                out.write(body);
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the response was committed meanwhile: nothing more to say
            }
        }
    }
}
