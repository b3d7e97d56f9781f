package org.complainthub.intake;

/**
 * One thing wrong with a submission. {@code field} is the record's own field path ("customer.email"), {@code code}
 * a stable word the form translates (required, invalid, too_long, contact_required, consent_required,
 * unknown_field, too_many, too_large, unsupported_type), {@code message} an English explanation. A problem with the
 * body as a whole (not JSON, too large) has an empty field, left out of the JSON answer.
 */
public record FieldError(String field, String code, String message) {
}
