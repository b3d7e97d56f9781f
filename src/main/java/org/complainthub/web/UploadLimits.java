package org.complainthub.web;

import java.util.List;
import org.complainthub.intake.FieldError;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Multipart bodies are parsed by Spring before any route sees them; over spring.servlet.multipart.max-file-size or
 * max-request-size Spring would answer 413 with an empty body. Give the form the same error shape as everywhere else.
 */
@RestControllerAdvice
public class UploadLimits {

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    public ResponseEntity<String> tooLarge(MaxUploadSizeExceededException e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_JSON)
                .body(HttpAnswers.errors(List.of(new FieldError("attachments", "too_large",
                        "the attachments are larger than the hub accepts"))));
    }

    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<String> broken(MultipartException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(HttpAnswers.errors(List.of(new FieldError("", "invalid", "the form data could not be read"))));
    }
}
