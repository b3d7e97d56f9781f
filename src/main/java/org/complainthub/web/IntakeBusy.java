package org.complainthub.web;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.complainthub.complaint.RecordJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The HTTP routes run on Spring's task executor (spring.task.execution.pool.*): platform-http hands each request to it.
 * Its queue is bounded (queue-capacity), so under more load than the hub can take the backlog stops growing: a request
 * that finds every intake thread busy and the queue full is answered 503 with Retry-After at once, before anything is
 * read, instead of waiting behind thousands of others until its caller gave up (and sent it again).
 */
@RestControllerAdvice
public class IntakeBusy {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeBusy.class);

    private final int retryAfterSeconds;

    public IntakeBusy(@Value("${hub.retry-after-seconds:30}") int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @ExceptionHandler(RejectedExecutionException.class)
    public ResponseEntity<String> busy(RejectedExecutionException e) {
        LOG.warn("HTTP intake queue full, answering 503: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", String.valueOf(retryAfterSeconds))
                .header("X-Content-Type-Options", "nosniff")
                .contentType(MediaType.APPLICATION_JSON)
                .body(RecordJson.write(Map.of("error", "The hub is busy. Nothing was recorded; please try again shortly.")));
    }
}
