package org.complainthub.channel.hotline;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.complainthub.intake.ComplaintValidator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The caller's number as a call log writes it (national, with or without +86 or 0086, with an extension or a PBX's
 * outside-line prefix) in E.164, or null when the number was withheld or is not a phone number: then there is no
 * phone in the record and no SMS.
 */
@Component
public class CallerNumbers {

    private static final Pattern EXTENSION = Pattern.compile("\\s*(?:[#,;xX]|ext\\.?|-(?=\\d{1,5}$)).*$");
    private static final Pattern NOT_DIGIT = Pattern.compile("\\D");

    private final ComplaintValidator validator;
    private final Set<String> withheld;
    private final List<String> trunkPrefixes;
    private final String countryCode;

    public CallerNumbers(HotlineSettings settings, ComplaintValidator validator,
                         @Value("${hub.default-country:CN}") String country) {
        this.validator = validator;
        this.withheld = Set.copyOf(settings.withheld());
        this.trunkPrefixes = settings.trunkPrefixes();
        this.countryCode = String.valueOf(PhoneNumberUtil.getInstance().getCountryCodeForRegion(country));
    }

    public String e164(String raw) {
        if (raw == null || raw.isBlank() || withheld.contains(raw.strip().toLowerCase())) {
            return null;
        }
        String digits = NOT_DIGIT.matcher(raw).replaceAll("");
        if (digits.isEmpty() || digits.chars().allMatch(ch -> ch == '0')) {
            return null; // an all-zero caller id is how some switches write "unknown"
        }
        String number = raw.strip();
        List<String> candidates = new ArrayList<>(List.of(number, EXTENSION.matcher(number).replaceFirst("")));
        for (String prefix : trunkPrefixes) {
            if (!prefix.isBlank() && digits.startsWith(prefix)) {
                candidates.add(digits.substring(prefix.length()));
            }
        }
        if (digits.startsWith(countryCode)) {
            candidates.add("+" + digits); // the country code written without + or 00 (8613800138000)
        }
        for (String candidate : candidates) {
            String e164 = validator.e164(candidate);
            if (e164 != null) {
                return e164;
            }
        }
        return null;
    }
}
