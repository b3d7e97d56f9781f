package org.complainthub.webform;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.web.HubLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What makes a web form submission idempotent: the one-time token the page carries (hidden field {@value #FORM_FIELD})
 * and the API's {@value #HEADER} header. Either becomes the record's sourceId ({@code form:<token>}, {@code api:<key>}),
 * so deduplication claims it like any channel's message id: the same token or key twice is one complaint, and the
 * second answer names the first complaint (HttpAnswers.accepted).
 * <p>
 * A page token is 128 random bits and the hub's tag of them (HubLinks.tag): only tokens the hub handed out count. A
 * page without a token (cached from before) or whose tag does not verify (the hub's key changed since) is still taken,
 * not idempotent: a customer's complaint is never refused for it. A malformed token or key is a 400.
 */
@Component
public class SubmissionKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionKeys.class);

    public static final String FORM_FIELD = "formToken";
    public static final String HEADER = "Idempotency-Key";
    /** The payload field the webform mappings read into the record's sourceId. */
    static final String SOURCE_ID = "sourceId";

    private static final String PURPOSE = "webform-token";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}\\.[0-9a-f]{20}");
    // printable ASCII without space, as most APIs' idempotency keys (UUIDs, ULIDs, hashes)
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HubLinks links;

    public SubmissionKeys(HubLinks links) {
        this.links = links;
    }

    /** A fresh token for one rendering of the page. */
    public String issue() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String random = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        return random + "." + links.tag(PURPOSE, random);
    }

    /** Whether a form token is well-formed (the form's reader refuses one that is not: 400 on formToken). */
    static boolean wellFormed(String token) {
        return TOKEN.matcher(token).matches();
    }

    /** The sourceId of a well-formed form token, or null when the hub did not issue it (not idempotent, still taken). */
    String sourceIdOfToken(String token) {
        int dot = token.indexOf('.');
        String random = token.substring(0, dot);
        if (!links.verifyTag(PURPOSE, random, token.substring(dot + 1))) {
            LOG.info("a web form carried a token the hub did not issue (its key changed?): taken without idempotency");
            return null;
        }
        return "form:" + random;
    }

    /**
     * The API route's step after the schema check: a valid {@value #HEADER} header becomes the payload's sourceId
     * ({@code api:<key>}); none leaves the submission as it is; a malformed one (empty, over 128 characters, spaces or
     * anything but printable ASCII, or sent twice) is a 400 naming the header.
     */
    public void fromHeader(Exchange exchange, Map<String, Object> payload) {
        Object header = exchange.getMessage().getHeader(HEADER);
        if (header == null) {
            return;
        }
        String key = header instanceof String s ? s : null; // sent twice: platform-http gives a list
        if (key == null || !KEY.matcher(key).matches()) {
            throw SubmissionRejected.of(400, HEADER, "invalid",
                    HEADER + " must be 1 to 128 printable ASCII characters without spaces, sent once");
        }
        payload.put(SOURCE_ID, "api:" + key);
    }
}
