package org.complainthub.channel.mail;

import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells machine-made mail from mail a person wrote (CHANNEL_FORMATS.md C4, C5): a bounce, an auto-reply or list
 * mail opens no complaint and gets no acknowledgement, which is what stops two auto-responders answering each other
 * for ever.
 *
 * <p>Only headers are read, never the body: a customer who quotes a bounce or pastes "Auto-Submitted: auto-replied"
 * into a complaint is still a customer. Bounces are looked for first (Postfix marks its bounces
 * {@code Auto-Submitted: auto-replied} too, and a bounce must reach {@link Bounces}), then auto-replies, then list
 * mail; a null reverse path ({@code Return-Path: <>}) with nothing else is taken for a non-standard bounce.
 *
 * <p>The reason in a verdict comes from a fixed vocabulary (header name and a known value, or "other"), never from
 * the mail's own text: it is safe to log and to use as a metric label, and it never holds an address.
 */
public final class AutomatedMail {

    public enum Kind { AUTO_REPLY, BOUNCE, LIST }

    /** What decided, e.g. {@code BOUNCE "Content-Type: multipart/report; report-type=delivery-status"}. */
    public record Verdict(Kind kind, String reason) {
    }

    private static final Set<String> AUTO_SUBMITTED = Set.of("auto-replied", "auto-generated", "auto-notified");
    private static final Set<String> LIST_PRECEDENCE = Set.of("bulk", "junk", "list");
    private static final Set<String> NEGATIVE = Set.of("no", "false", "0");
    private static final Set<String> DAEMONS = Set.of("mailer-daemon", "postmaster");

    private final String ownLoopMarker;

    /** Without a loop marker: an {@code X-Loop} header never decides. */
    public AutomatedMail() {
        this(null);
    }

    /**
     * @param ownLoopMarker the value the hub writes into {@code X-Loop} of its own mail (the Message-ID domain,
     *                      {@code hub.outbound.email.message-id-domain}); mail carrying it is our own, come back
     */
    public AutomatedMail(String ownLoopMarker) {
        this.ownLoopMarker = ownLoopMarker == null || ownLoopMarker.isBlank() ? null : ownLoopMarker.trim();
    }

    /** The verdict for machine-made mail; empty for mail a person wrote. Never throws on a malformed mail. */
    public Optional<Verdict> classify(Part mail) {
        return bounce(mail).or(() -> autoReply(mail)).or(() -> list(mail)).or(() -> nullReversePath(mail));
    }

    /**
     * Whether the sender asked not to be answered automatically ({@code X-Auto-Response-Suppress: All} or
     * {@code AutoReply}, MS-OXCMAIL 2.1.3.2.20). Not proof that the mail is automatic, so no verdict: a person's
     * mail carrying it is still a complaint, but gets no acknowledgement.
     */
    public boolean suppressesAutoResponse(Part mail) {
        for (String value : MailHeaders.all(mail, "X-Auto-Response-Suppress")) {
            for (String item : MailHeaders.stripComments(value).split(",")) {
                String v = item.trim().toLowerCase(Locale.ROOT);
                if (v.equals("all") || v.equals("autoreply") || v.equals("-1")) {
                    return true;
                }
                if (v.matches("\\d{1,10}") && (Long.parseLong(v) & 0x20) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<Verdict> bounce(Part mail) {
        Optional<String> reportType = reportType(mail);
        if (reportType.filter(t -> t.equals("delivery-status") || t.equals("global-delivery-status")).isPresent()) {
            return verdict(Kind.BOUNCE, "Content-Type: multipart/report; report-type=" + reportType.get());
        }
        if (MailHeaders.present(mail, "X-Failed-Recipients")) {
            return verdict(Kind.BOUNCE, "X-Failed-Recipients");
        }
        for (String from : MailHeaders.all(mail, "From")) {
            Optional<String> daemon = daemonLocalPart(from);
            if (daemon.isPresent()) {
                return verdict(Kind.BOUNCE, "From: " + daemon.get());
            }
        }
        return Optional.empty();
    }

    private Optional<Verdict> autoReply(Part mail) {
        for (String value : MailHeaders.all(mail, "Auto-Submitted")) {
            String token = MailHeaders.token(value);
            if (!token.equals("no")) {
                return verdict(Kind.AUTO_REPLY, "Auto-Submitted: " + (AUTO_SUBMITTED.contains(token) ? token : "other"));
            }
        }
        Optional<String> reportType = reportType(mail);
        if (reportType.isPresent()) {
            String known = reportType.get().equals("disposition-notification") ? "; report-type=disposition-notification" : "";
            return verdict(Kind.AUTO_REPLY, "Content-Type: multipart/report" + known);
        }
        for (String header : List.of("X-Autoreply", "X-Autorespond", "X-Auto-Reply")) {
            for (String value : MailHeaders.all(mail, header)) {
                String token = MailHeaders.token(value);
                if (!NEGATIVE.contains(token)) {
                    return verdict(Kind.AUTO_REPLY, header + (token.equals("yes") ? ": yes" : ""));
                }
            }
        }
        for (String value : MailHeaders.all(mail, "Precedence")) {
            String token = MailHeaders.token(value);
            if (token.equals("auto_reply") || token.equals("auto-reply")) {
                return verdict(Kind.AUTO_REPLY, "Precedence: " + token);
            }
        }
        if (ownLoopMarker != null) {
            for (String value : MailHeaders.all(mail, "X-Loop")) {
                if (value.trim().equalsIgnoreCase(ownLoopMarker)) {
                    return verdict(Kind.AUTO_REPLY, "X-Loop: own marker");
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Verdict> list(Part mail) {
        for (String value : MailHeaders.all(mail, "Precedence")) {
            String token = MailHeaders.token(value);
            if (LIST_PRECEDENCE.contains(token)) {
                return verdict(Kind.LIST, "Precedence: " + token);
            }
        }
        // the values are not given: List-Unsubscribe often holds the subscriber's own address
        for (String header : List.of("List-Id", "List-Unsubscribe", "List-Post")) {
            if (MailHeaders.present(mail, header)) {
                return verdict(Kind.LIST, header);
            }
        }
        return Optional.empty();
    }

    private Optional<Verdict> nullReversePath(Part mail) {
        // the topmost Return-Path is the one the delivering server wrote; one lower down came with the mail
        List<String> returnPaths = MailHeaders.all(mail, "Return-Path");
        if (!returnPaths.isEmpty() && MailHeaders.stripComments(returnPaths.get(0)).replaceAll("\\s+", "").equals("<>")) {
            return verdict(Kind.BOUNCE, "Return-Path: <>");
        }
        return Optional.empty();
    }

    /** The report-type of a top-level multipart/report, lower-cased ("" when it has none). */
    private static Optional<String> reportType(Part mail) {
        List<String> values = MailHeaders.all(mail, "Content-Type");
        if (values.isEmpty()) {
            return Optional.empty();
        }
        try {
            ContentType type = new ContentType(values.get(0));
            if (!type.match("multipart/report")) {
                return Optional.empty();
            }
            String reportType = type.getParameter("report-type");
            return Optional.of(reportType == null ? "" : reportType.trim().toLowerCase(Locale.ROOT));
        } catch (Exception e) {
            // a Content-Type that does not parse is no report
            return Optional.empty();
        }
    }

    /** "mailer-daemon" or "postmaster" when that is the sender's address (not its display name). */
    private static Optional<String> daemonLocalPart(String from) {
        try {
            for (InternetAddress address : InternetAddress.parseHeader(from, false)) {
                String a = address.getAddress();
                if (a == null) {
                    continue;
                }
                int at = a.lastIndexOf('@');
                String local = (at < 0 ? a : a.substring(0, at)).trim().toLowerCase(Locale.ROOT);
                if (DAEMONS.contains(local)) {
                    return Optional.of(local);
                }
            }
        } catch (AddressException | RuntimeException e) {
            // an unparsable From is no proof of anything
        }
        return Optional.empty();
    }

    private static Optional<Verdict> verdict(Kind kind, String reason) {
        return Optional.of(new Verdict(kind, reason));
    }
}
