package org.complainthub.intake;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.Complaint.Customer;
import org.complainthub.complaint.RecordSchema;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks a mapped complaint before the hub takes it, collecting every problem at once so the customer can fix them
 * all in one go. Phone numbers come out normalised to E.164 (the default country fills in national numbers).
 * <p>
 * Values that parse but make no sense are refused too (hostile-input suite, src/test/resources/hostile): a
 * description with nothing visible in it (zero-width spaces, direction marks), text with half a surrogate pair, an
 * amount of more digits than money has, a date in the year 9999 or 0001, and a channel's message id longer than the
 * record keeps. (A Unicode line separator in a one-line field is taken: no reply writes a field into a header as it is,
 * OutboundRecipientsTest.)
 */
@Component
public class ComplaintValidator {

    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\r\\n\\t]]");
    private static final Pattern LINE_BREAK = Pattern.compile("[\\r\\n]");
    /** A character a reader sees: a letter, digit, punctuation or symbol (not a space, format or combining mark). */
    private static final Pattern VISIBLE = Pattern.compile("[\\p{L}\\p{N}\\p{P}\\p{S}]");
    /** Amounts up to a trillion with up to four decimals: more is no sum of money but a hostile number. */
    private static final int AMOUNT_DIGITS = 12;
    private static final int AMOUNT_DECIMALS = 4;
    /** When an incident may have happened: not before this, nor later than a day after now (clocks and zones differ). */
    private static final OffsetDateTime EARLIEST = OffsetDateTime.parse("1970-01-01T00:00:00Z");
    private static final Duration SKEW = Duration.ofDays(1);

    private static final int WRITTEN_KEPT = 8192;

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final Clock clock;
    /**
     * Numbers this validator wrote as E.164 lately: a channel that normalised a caller's number with it (the hotline)
     * has the record checked here again, and parsing a number costs more than the rest of the check. Bounded.
     */
    private final Map<String, Boolean> written = new ConcurrentHashMap<>();
    private final String defaultCountry;
    private final int maxDescription;
    /** Lengths of the text fields, from the record schema (their one source); the description's is a setting. */
    private final Map<String, Integer> maxLength = new HashMap<>();

    public ComplaintValidator(String defaultCountry, int maxDescription, RecordSchema schema) {
        this(defaultCountry, maxDescription, schema, Clock.systemUTC());
    }

    @Autowired
    public ComplaintValidator(@Value("${hub.default-country:CN}") String defaultCountry,
                              @Value("${hub.max-description-chars:20000}") int maxDescription,
                              RecordSchema schema, Clock clock) {
        this.clock = clock;
        this.defaultCountry = defaultCountry;
        this.maxDescription = maxDescription;
        for (String field : List.of("sourceId", "replyRef", "subject", "customer.name", "customer.email", "customer.address", "customer.handle",
                "target.order", "target.product", "target.store", "target.department", "target.staff")) {
            maxLength.put(field, schema.maxLength(field));
        }
    }

    public Complaint validate(Complaint c) {
        List<FieldError> errors = new ArrayList<>();
        if (c.getDescription() == null || !VISIBLE.matcher(c.getDescription()).find()) {
            errors.add(new FieldError("description", "required", "describe what happened"));
        } else {
            text(errors, "description", c.getDescription(), maxDescription, true);
        }
        text(errors, "sourceId", c.getSourceId(), maxLength.get("sourceId"), false);
        text(errors, "replyRef", c.getReplyRef(), maxLength.get("replyRef"), false);
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
            BigDecimal value = c.getAmount().value();
            if (value == null || value.signum() < 0) {
                errors.add(new FieldError("amount.value", "invalid", "amount must be zero or more"));
            } else if (value.precision() - value.scale() > AMOUNT_DIGITS || value.stripTrailingZeros().scale() > AMOUNT_DECIMALS) {
                errors.add(new FieldError("amount.value", "invalid", "amount must have at most " + AMOUNT_DIGITS
                        + " digits before the decimal point and " + AMOUNT_DECIMALS + " after it"));
            }
            if (c.getAmount().currency() != null && !c.getAmount().currency().matches("[A-Z]{3}")) {
                errors.add(new FieldError("amount.currency", "invalid", "currency must be an ISO 4217 code such as CNY"));
            }
        }
        OffsetDateTime occurred = c.getOccurredAt();
        if (occurred != null && (occurred.isBefore(EARLIEST) || occurred.isAfter(OffsetDateTime.now(clock).plus(SKEW)))) {
            errors.add(new FieldError("occurredAt", "invalid", "occurredAt must be a time between 1970 and now"));
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
        } else if (unpairedSurrogate(value)) {
            errors.add(new FieldError(field, "invalid", field + " is not valid text (half of a surrogate pair)"));
        }
    }

    /** Half a UTF-16 surrogate pair: no character at all, and no UTF-8 can carry it on to a queue or a reply. */
    private static boolean unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return blank(s) ? null : s.strip();
    }
}
