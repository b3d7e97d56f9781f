package org.complainthub.outbound;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.web.HubLinks;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Message-IDs of the hub's own mail: {@code <C-20261123-000417.ack.1a2b3c4d.<tag>@domain>}, where the tag is a
 * keyed HMAC of the reference ({@link HubLinks#tag}). A reply (In-Reply-To, References) or a bounce naming such an id
 * is about that complaint only when the tag verifies: references are numbered in sequence and the domain is public,
 * so without the tag anyone could attach a message to another customer's complaint or have their address marked
 * undeliverable.
 */
@Component
public class OwnMessageIds {

    private static final String PURPOSE = "message-id";
    private static final Pattern OWN = Pattern.compile(
            "<(C-\\d{8}-\\d{6,})\\.[a-z]{1,20}\\.[0-9a-f]{8}\\.([0-9a-f]{20})@([^<>@\\s]+)>");

    private final HubLinks links;
    private final String domain;

    public OwnMessageIds(HubLinks links, @Value("${hub.outbound.email.message-id-domain}") String domain) {
        this.links = links;
        this.domain = domain.trim().toLowerCase(Locale.ROOT);
    }

    /** A new Message-ID for a message of this kind about this complaint. */
    public String create(String reference, OutboundRequest.Kind kind) {
        return "<" + reference + "." + kind.name().toLowerCase(Locale.ROOT) + "."
                + UUID.randomUUID().toString().substring(0, 8) + "." + links.tag(PURPOSE, reference) + "@" + domain + ">";
    }

    /** The complaint a Message-ID of the hub's own mail is about; empty for any other id, or one whose tag is wrong. */
    public Optional<String> reference(String messageId) {
        if (messageId == null) {
            return Optional.empty();
        }
        Matcher m = OWN.matcher(messageId.strip());
        if (!m.matches() || !m.group(3).toLowerCase(Locale.ROOT).equals(domain)
                || !links.verifyTag(PURPOSE, m.group(1), m.group(2))) {
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }
}
