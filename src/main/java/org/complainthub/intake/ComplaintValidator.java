package org.complainthub.intake;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.Complaint.Customer;
import org.complainthub.complaint.RecordSchema;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks a mapped complaint before the hub takes it, collecting every problem at once so the customer can fix them
 * all in one go. Phone numbers come out normalised to E.164 (the default country fills in national numbers).
 */
@Component
public class ComplaintValidator {

    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\r\\n\\t]]");
    private static final Pattern LINE_BREAK = Pattern.compile("[\\r\\n]");

    private static final int WRITTEN_KEPT = 8192;

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    /**
     * Numbers this validator wrote as E.164 lately: a channel that normalised a caller's number with it (the hotline)
     * has the record checked here again, and parsing a number costs more than the rest of the check. Bounded.
     */
    private final Map<String, Boolean> written = new ConcurrentHashMap<>();
    private final String defaultCountry;
    private final int maxDescription;
    /** Lengths of the text fields, from the record schema (their one source); the description's is a setting. */
    private final Map<String, Integer> maxLength = new HashMap<>();

    public ComplaintValidator(@Value("${hub.default-country:CN}") String defaultCountry,
                              @Value("${hub.max-description-chars:20000}") int maxDescription,
                              RecordSchema schema) {
        this.defaultCountry = defaultCountry;
        this.maxDescription = maxDescription;
        for (String field : List.of("subject", "customer.name", "customer.email", "customer.address", "customer.handle",
                "target.order", "target.product", "target.store", "target.department", "target.staff")) {
            maxLength.put(field, schema.maxLength(field));
        }
    }

    public Complaint validate(Complaint c) {
        List<FieldError> errors = new ArrayList<>();
        if (c.getDescription() == null || c.getDescription().isBlank()) {
            errors.add(new FieldError("description", "required", "describe what happened"));
        } else {
            text(errors, "description", c.getDescription(), maxDescription, true);
        }
        text(errors, "subject", c.getSubject(), maxLength.get("subject"), false);
        Customer customer = c.getCustomer();
        String phone = null;
        if (customer == null || blank(customer.email()) && blank(customer.phone()) && blank(customer.handle())) {
            errors.add(new FieldError("customer", "contact_required", "give a phone number or an email address"));
        }
        if (customer != null) {
            text(errors, "customer.name", customer.name(), maxLength.get("customer.name"), false);
            text(errors, "customer.address", customer.address(), maxLength.get("customer.address"), false);
            text(errors, "customer.handle", customer.handle(), maxLength.get("customer.handle"), false);
            if (!blank(customer.email()) && (customer.email().length() > maxLength.get("customer.email")
                    || !EMAIL.matcher(customer.email().trim()).matches())) {
                errors.add(new FieldError("customer.email", "invalid", "not an email address"));
            }
            if (!blank(customer.phone())) {
                phone = e164(customer.phone());
                if (phone == null) {
                    errors.add(new FieldError("customer.phone", "invalid", "not a phone number"));
                }
            }
            if (customer.language() != null && !customer.language().matches("zh|en")) {
                errors.add(new FieldError("customer.language", "invalid", "language must be zh or en"));
            }
        }
        if (c.getTarget() != null) {
            text(errors, "target.order", c.getTarget().order(), maxLength.get("target.order"), false);
            text(errors, "target.product", c.getTarget().product(), maxLength.get("target.product"), false);
            text(errors, "target.store", c.getTarget().store(), maxLength.get("target.store"), false);
            text(errors, "target.department", c.getTarget().department(), maxLength.get("target.department"), false);
            text(errors, "target.staff", c.getTarget().staff(), maxLength.get("target.staff"), false);
        }
        if (c.getAmount() != null) {
            if (c.getAmount().value() == null || c.getAmount().value().signum() < 0) {
                errors.add(new FieldError("amount.value", "invalid", "amount must be zero or more"));
            }
            if (c.getAmount().currency() != null && !c.getAmount().currency().matches("[A-Z]{3}")) {
                errors.add(new FieldError("amount.currency", "invalid", "currency must be an ISO 4217 code such as CNY"));
            }
        }
        if (!errors.isEmpty()) {
            throw SubmissionRejected.badRequest(errors);
        }
        if (customer != null) {
            c.setCustomer(new Customer(trim(customer.name()), trim(customer.email()), phone, trim(customer.handle()),
                    trim(customer.address()), customer.language()));
        }
        return c;
    }

    /** E.164 form of a number as people write it, or null if it is not a valid number. */
    public String e164(String raw) {
        if (raw != null && written.containsKey(raw)) {
            return raw;
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(raw, defaultCountry);
            if (!phones.isValidNumber(number)) {
                return null;
            }
            String e164 = phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
            if (written.size() >= WRITTEN_KEPT) {
                written.clear();
            }
            written.put(e164, Boolean.TRUE);
            return e164;
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static void text(List<FieldError> errors, String field, String value, int max, boolean multiline) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            errors.add(new FieldError(field, "too_long", field + " is longer than " + max + " characters"));
        } else if (CONTROL.matcher(value).find() || !multiline && LINE_BREAK.matcher(value).find()) {
            errors.add(new FieldError(field, "invalid", field + " contains control characters"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return blank(s) ? null : s.strip();
    }
}
