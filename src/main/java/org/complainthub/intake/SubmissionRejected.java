package org.complainthub.intake;

import java.util.List;

/** A submission the hub will not take, with the HTTP status that says why and the per-field errors. */
public class SubmissionRejected extends RuntimeException {

    private final int status;
    private final List<FieldError> errors;

    public SubmissionRejected(int status, List<FieldError> errors) {
        super(status + " " + errors);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static SubmissionRejected badRequest(List<FieldError> errors) {
        return new SubmissionRejected(400, errors);
    }

    public static SubmissionRejected of(int status, String field, String code, String message) {
        return new SubmissionRejected(status, List.of(new FieldError(field, code, message)));
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
