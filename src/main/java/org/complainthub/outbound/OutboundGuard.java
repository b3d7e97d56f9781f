package org.complainthub.outbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.time.Duration;
import java.time.Instant;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.outbound.chat.ChatPlatform;
import org.complainthub.outbound.chat.ChatPlatforms;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Loop safety and good manners, decided before anything is rendered: which transport reaches this customer (the
 * channel's preference order, e.g. the web form: email, else SMS; WeChat: WeChat, else email, else SMS), whether a
 * platform's reply window is still open (else its template message, else the next contact, else a recorded failure),
 * and no message to an opted-out customer, to an
 * undeliverable address, twice of one kind, past the per-recipient rate limit, or by SMS at night (except grade A,
 * which waits for the morning otherwise). SMS only to numbers of the configured regions and types, email only to one
 * plain address; past a transport's hourly budget (all recipients together) a message waits on the broker.
 */
@Component
public class OutboundGuard {

    private final ContactLedger ledger;
    private final Environment env;
    private final Clock clock;
    private final int maxPerRecipientPerHour;
    private final LocalTime quietFrom;
    private final LocalTime quietUntil;
    private final boolean emailConfigured;
    private final boolean smsConfigured;

    private final ChatPlatforms platforms;
    private final Set<String> smsRegions;
    private final Set<PhoneNumberType> smsNumberTypes;
    private final Map<String, Integer> maxPerHour;

    public OutboundGuard(ContactLedger ledger, Environment env, Clock clock, ChatPlatforms platforms,
                         @Value("${hub.outbound.max-per-recipient-per-hour}") int maxPerRecipientPerHour,
                         @Value("${hub.outbound.sms.regions:CN}") List<String> smsRegions,
                         @Value("${hub.outbound.sms.number-types:MOBILE}") List<String> smsNumberTypes,
                         @Value("${hub.outbound.sms.max-per-hour:1000}") int smsPerHour,
                         @Value("${hub.outbound.email.max-per-hour:5000}") int emailPerHour,
                         @Value("${hub.outbound.sms.quiet-from}") LocalTime quietFrom,
                         @Value("${hub.outbound.sms.quiet-until}") LocalTime quietUntil,
                         @Value("${hub.outbound.email.host}") String smtpHost,
                         @Value("${hub.outbound.sms.url}") String smsUrl) {
        this.ledger = ledger;
        this.env = env;
        this.platforms = platforms;
        this.clock = clock;
        this.maxPerRecipientPerHour = maxPerRecipientPerHour;
        this.quietFrom = quietFrom;
        this.quietUntil = quietUntil;
        this.emailConfigured = !smtpHost.isBlank();
        this.smsConfigured = !smsUrl.isBlank();
        this.smsRegions = smsRegions.stream().map(r -> r.strip().toUpperCase()).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
        this.smsNumberTypes = smsNumberTypes.stream().map(t -> t.strip().toUpperCase()).filter(t -> !t.isEmpty())
                .map(t -> {
                    try {
                        return PhoneNumberType.valueOf(t);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("hub.outbound.sms.number-types: unknown type " + t + " (one of "
                                + Arrays.toString(PhoneNumberType.values()) + ")");
                    }
                }).collect(Collectors.toSet());
        this.maxPerHour = Map.of("sms", smsPerHour, "email", emailPerHour);
    }

    /** Sends decided on this node and not yet recorded: they count towards the rate limit (two senders run at once). */
    private final java.util.Map<String, Integer> inFlight = new java.util.HashMap<>();

    /** The same per transport, for the global budget. */
    private final java.util.Map<String, Integer> inFlightByTransport = new java.util.HashMap<>();

    public synchronized OutboundDecision decide(OutboundRequest request, Contact c) {
        OutboundDecision d = decideUnlocked(request, c);
        if (d.action() == OutboundDecision.Action.SEND) {
            inFlight.merge(recipientHash(d.recipient()), 1, Integer::sum);
            inFlightByTransport.merge(d.transport(), 1, Integer::sum);
        }
        return d;
    }

    /** The send was recorded, or failed. */
    public synchronized void release(OutboundDecision d) {
        inFlight.computeIfPresent(recipientHash(d.recipient()), (k, n) -> n > 1 ? n - 1 : null);
        inFlightByTransport.computeIfPresent(d.transport(), (k, n) -> n > 1 ? n - 1 : null);
    }

    private OutboundDecision decideUnlocked(OutboundRequest request, Contact c) {
        if (c.optedOut()) {
            return OutboundDecision.skip("opted out");
        }
        if (request.kind() == OutboundRequest.Kind.OVERDUE && c.resolved()) {
            return OutboundDecision.skip("resolved before the interim message");
        }
        if (ledger.alreadySent(c.complaintId(), request.sentKind())) {
            return OutboundDecision.skip("already sent");
        }
        String windowClosed = null;
        for (String transport : transportsOf(c.channel())) {
            ChatPlatform platform = platforms.find(transport).orElse(null);
            String recipient = recipient(transport, platform, c.channel(), c.email(), c.phone(), c.handle());
            if (recipient == null) {
                continue;
            }
            boolean outsideWindow = platform != null && platform.replyWindow() != null
                    && !c.lastMessage().plus(platform.replyWindow()).isAfter(OffsetDateTime.now(clock));
            if (outsideWindow && !platform.reachesOutsideWindow(request.kind().name().toLowerCase())) {
                windowClosed = transport + " (" + platform.replyWindow().toHours() + " h)";
                continue; // the next contact the customer gave
            }
            if (ledger.undeliverable(platform == null ? recipient : transport + ":" + recipient)) {
                return OutboundDecision.skip("undeliverable address");
            }
            String hash = recipientHash(recipient);
            if (ledger.sentTo(hash, OffsetDateTime.now(clock).minusHours(1)) + inFlight.getOrDefault(hash, 0) >= maxPerRecipientPerHour) {
                return OutboundDecision.skip("rate limit for this recipient");
            }
            int budget = maxPerHour.getOrDefault(transport, 0);
            if (budget > 0) {
                ContactLedger.Sent sent = ledger.sentBy(transport, OffsetDateTime.now(clock).minusHours(1));
                if (sent.count() + inFlightByTransport.getOrDefault(transport, 0) >= budget) {
                    // waits until the first send of the hour leaves it (spread over a minute, so that the waiting
                    // messages do not all come back at the same instant)
                    Instant until = (sent.first() == null ? clock.instant() : sent.first().toInstant().plus(Duration.ofHours(1)))
                            .plusMillis(ThreadLocalRandom.current().nextLong(60_000));
                    return OutboundDecision.delay(transport, "the hourly budget of " + budget + " " + transport
                            + " messages is spent", until);
                }
            }
            if (transport.equals("sms") && !"A".equals(c.grade()) && quiet(ZonedDateTime.now(clock))) {
                return OutboundDecision.delay(transport, "quiet hours", endOfQuiet(ZonedDateTime.now(clock)).toInstant());
            }
            return outsideWindow ? OutboundDecision.sendOutsideWindow(transport, recipient)
                    : OutboundDecision.send(transport, recipient);
        }
        if (windowClosed != null) {
            return OutboundDecision.fail("the reply window of " + windowClosed + " has closed, no template message is "
                    + "configured for " + request.kind() + " and no other contact of the customer can be used");
        }
        return OutboundDecision.skip("no configured transport reaches the customer");
    }

    /**
     * The acknowledgement request (JSON, for complaints.outbound.send) a complaint just recorded is due, or null: a
     * follow-up of an open complaint gets none, and neither does a customer no transport configured here reaches
     * ({@link #mayReach}), instead of a request decided "skip" later.
     */
    public String acknowledgementOf(Complaint c) {
        Complaint.Customer who = c.getCustomer();
        return c.getThreadOf() == null && mayReach(c.getChannel(), who.email(), who.phone(), who.handle())
                ? RecordJson.write(new OutboundRequest(c.getId(), OutboundRequest.Kind.ACK)) : null;
    }

    /** Whether any transport of the channel's list is configured here and has the customer's contact for it. */
    public boolean mayReach(String channel, String email, String phone, String handle) {
        for (String transport : transportsOf(channel)) {
            if (recipient(transport, platforms.find(transport).orElse(null), channel, email, phone, handle) != null) {
                return true;
            }
        }
        return false;
    }

    /** The customer's address on this transport if the transport is configured here, else null. */
    private String recipient(String transport, ChatPlatform platform, String channel, String email, String phone, String handle) {
        String recipient = switch (transport) {
            case "email" -> emailConfigured && oneAddress(email) ? email : null;
            case "sms" -> smsConfigured && smsMayReach(phone) ? phone : null;
            // a platform id is only good on its own platform: reply there to a customer who wrote there
            default -> platform != null && platform.configured() && transport.equals(channel) ? handle : null;
        };
        return recipient == null || recipient.isBlank() ? null : recipient;
    }

    /**
     * Whether the number is one the hub may send an SMS to: a valid number of a configured region and type
     * (hub.outbound.sms.regions, number-types). Numbers are E.164 in the ledger (normalised on intake).
     */
    boolean smsMayReach(String phone) {
        if (phone == null || phone.isBlank()) {
            return false;
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            Phonenumber.PhoneNumber n = util.parse(phone, smsRegions.isEmpty() ? "ZZ" : smsRegions.iterator().next());
            return util.isValidNumber(n) && smsRegions.contains(util.getRegionCodeForNumber(n))
                    && smsNumberTypes.contains(util.getNumberType(n));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /**
     * Whether the text is one plain address and nothing else (no display name, no second address, no line break): it
     * becomes the To header of a mail the company sends.
     */
    static boolean oneAddress(String email) {
        if (email == null || email.isBlank() || email.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == ',' || ch == ';')) {
            return false;
        }
        try {
            InternetAddress[] parsed = InternetAddress.parse(email.strip(), true);
            if (parsed.length != 1 || parsed[0].getPersonal() != null || !parsed[0].getAddress().equals(email.strip())) {
                return false;
            }
            parsed[0].validate();
            return true;
        } catch (AddressException e) {
            return false;
        }
    }

    /** hub.outbound.transports.<channel>, else hub.outbound.transports.default (read once per channel). */
    List<String> transportsOf(String channel) {
        return transports.computeIfAbsent(channel, ch -> {
            String list = env.getProperty("hub.outbound.transports." + ch, env.getProperty("hub.outbound.transports.default", "email,sms"));
            return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        });
    }

    private final java.util.Map<String, List<String>> transports = new java.util.concurrent.ConcurrentHashMap<>();

    boolean quiet(ZonedDateTime now) {
        LocalTime t = now.toLocalTime();
        return quietFrom.isAfter(quietUntil) ? !t.isBefore(quietFrom) || t.isBefore(quietUntil)
                : !t.isBefore(quietFrom) && t.isBefore(quietUntil);
    }

    ZonedDateTime endOfQuiet(ZonedDateTime now) {
        ZonedDateTime end = now.with(quietUntil).withSecond(0).withNano(0);
        return end.isAfter(now) ? end : end.plusDays(1);
    }

    public static String recipientHash(String recipient) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(recipient.strip().toLowerCase().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
