package org.complainthub.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.HubProperties;
import org.complainthub.complaint.RecordJson;
import org.complainthub.outbound.chat.ChatTranslator;
import org.complainthub.outbound.chat.RecipientGone;
import org.complainthub.outbound.chat.ReplyRefused;
import org.complainthub.web.HubLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Builds each outbound message from the ledger and the templates (never from anything the customer's message
 * carried), and hands it to its transport's translator. The outbound-send route then sends it on that transport.
 */
@Component
public class OutboundSender {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundSender.class);

    private final ContactLedger ledger;
    private final OutboundGuard guard;
    private final MessageTemplates templates;
    private final EmailTranslator email;
    private final SmsTranslator sms;
    private final ChatTranslator chat;
    private final HubLinks links;
    private final HubProperties hub;
    private final Clock clock;
    private final Duration statusLinkTtl;
    private final Duration satisfactionLinkTtl;
    private final int smsMaxNameLength;
    private final OutboundMetrics metrics;
    private final Duration sendLease;
    private final ComplaintHistory history;

    /** How long a request whose message another sender has claimed waits before it is looked at again. */
    private static final Duration CLAIMED_ELSEWHERE_WAIT = Duration.ofSeconds(5);

    public OutboundSender(ContactLedger ledger, OutboundGuard guard, MessageTemplates templates, EmailTranslator email,
                          SmsTranslator sms, ChatTranslator chat, HubLinks links, HubProperties hub, Clock clock,
                          @Value("${hub.outbound.status-link-ttl}") Duration statusLinkTtl,
                          @Value("${hub.outbound.satisfaction-link-ttl}") Duration satisfactionLinkTtl,
                          @Value("${hub.outbound.sms.max-name-length:10}") int smsMaxNameLength,
                          @Value("${hub.outbound.send-lease:PT1M}") Duration sendLease,
                          OutboundMetrics metrics, ComplaintHistory history) {
        this.sendLease = sendLease;
        this.history = history;
        this.smsMaxNameLength = smsMaxNameLength;
        this.metrics = metrics;
        this.ledger = ledger;
        this.guard = guard;
        this.templates = templates;
        this.email = email;
        this.sms = sms;
        this.chat = chat;
        this.links = links;
        this.hub = hub;
        this.clock = clock;
        this.statusLinkTtl = statusLinkTtl;
        this.satisfactionLinkTtl = satisfactionLinkTtl;
    }

    /**
     * Decides, renders and translates; the route reads {@link HubExchange#OUTBOUND_TRANSPORT}: email, sms, a platform (wechat, ...), delay
     * or skip. A request that cannot be sent at all throws {@link ReplyRefused} (to the dead queue with the reason).
     */
    public void prepare(Exchange exchange) {
        OutboundRequest request = RecordJson.MAPPER.convertValue(
                parse(exchange.getMessage().getBody(String.class)), OutboundRequest.class);
        exchange.setProperty(HubExchange.OUTBOUND_REQUEST, request);
        // dispatch queues the acknowledgement request in the broker's transaction and records the complaint in the
        // ledger just after it: a request that comes first is retried (outbound-retry), and dead after the last retry
        Contact c = ledger.find(request.complaintId()).orElseThrow(() -> new IllegalStateException(
                "complaint " + request.complaintId() + " is not in the contact ledger (yet)"));
        if (request.kind() == OutboundRequest.Kind.THANKS && !c.resolved()) {
            // the status event queues the thank-you first and marks the complaint resolved just after: retried
            throw new IllegalStateException("complaint " + request.complaintId() + " is not marked resolved in the "
                    + "contact ledger (yet)");
        }
        if (request.kind() == OutboundRequest.Kind.REOPENED && ledger.round(c.complaintId()) < Integer.parseInt(request.tag())) {
            // the reopening queues its message first and marks the ledger (new grade and due time) just after: retried
            throw new IllegalStateException("complaint " + request.complaintId() + " is not marked reopened in the "
                    + "contact ledger (yet)");
        }
        OutboundDecision decision = guard.decide(request, c);
        if (decision.action() == OutboundDecision.Action.SEND
                && !ledger.claimSend(request.complaintId(), request.sentKind(), OffsetDateTime.now(clock), sendLease)) {
            // another sender (a copy the broker delivered again while it was still sending) has it: look again later,
            // when outbound_sent says it went, or its claim has run out because it died
            guard.release(decision);
            decision = OutboundDecision.delay(decision.transport(), "another sender is sending it",
                    clock.instant().plus(CLAIMED_ELSEWHERE_WAIT));
        }
        exchange.setProperty(HubExchange.OUTBOUND_DECISION, decision);
        switch (decision.action()) {
            case SKIP -> {
                LOG.info("{} for complaint {} not sent: {}", request.kind(), request.complaintId(), decision.reason());
                exchange.setProperty(HubExchange.OUTBOUND_TRANSPORT, "skip");
            }
            case DELAY -> {
                LOG.info("{} for complaint {} by {} waits until {} ({})", request.kind(), request.complaintId(),
                        decision.transport(), decision.notBefore(), decision.reason());
                exchange.getMessage().removeHeaders("*");
                // the broker schedules by its own wall clock: the wait is measured on the hub's clock
                long wait = Math.max(0, Duration.between(clock.instant(), decision.notBefore()).toMillis());
                exchange.getMessage().setHeader("_AMQ_SCHED_DELIVERY", System.currentTimeMillis() + wait);
                exchange.setProperty(HubExchange.OUTBOUND_TRANSPORT, "delay");
            }
            case FAIL -> {
                LOG.warn("{} for complaint {} cannot be sent: {}", request.kind(), request.complaintId(), decision.reason());
                throw new ReplyRefused(decision.reason());
            }
            case SEND -> {
                Map<String, Object> model = model(request, c);
                exchange.getMessage().removeHeaders("*");
                if (decision.transport().equals("email")) {
                    // the subject line (a header) holds nothing the customer typed, whatever the template says
                    Map<String, Object> subjectModel = new HashMap<>(model);
                    subjectModel.remove("name");
                    subjectModel.remove("subject");
                    email.translate(exchange.getMessage(), request, c, decision.recipient(),
                            templates.render(request.kind(), "email-subject", c.language(), subjectModel),
                            templates.render(request.kind(), "email-body", c.language(), model));
                } else if (decision.transport().equals("sms")) {
                    // an SMS speaks for the company to a number nobody verified: no free text of the submitter but a
                    // short name, and never the subject
                    Map<String, Object> smsModel = new HashMap<>(model);
                    smsModel.put("name", smsName(c.name(), smsMaxNameLength));
                    smsModel.remove("subject");
                    sms.translate(exchange.getMessage(), decision.recipient(),
                            templates.render(request.kind(), "sms", c.language(), smsModel));
                } else {
                    chat.prepare(exchange, decision.transport(), decision.recipient(), decision.outsideWindow(),
                            request.kind().name().toLowerCase(), c.language(), model,
                            templates.render(request.kind(), "chat", c.language(), model));
                }
                exchange.setProperty(HubExchange.OUTBOUND_TRANSPORT, decision.transport());
            }
        }
    }

    /** After the transport accepted it: recorded, so it is never sent twice and counts towards the rate limit. */
    public void sent(Exchange exchange) {
        OutboundRequest request = exchange.getProperty(HubExchange.OUTBOUND_REQUEST, OutboundRequest.class);
        OutboundDecision decision = exchange.getProperty(HubExchange.OUTBOUND_DECISION, OutboundDecision.class);
        ledger.recordSent(request.complaintId(), request.sentKind(), decision.transport(),
                OutboundGuard.recipientHash(decision.recipient()), OffsetDateTime.now(clock));
        guard.release(decision);
        metrics.count(decision.transport(), OutboundMetrics.SENT);
        LOG.info("{} for complaint {} sent by {}", request.kind(), request.complaintId(), decision.transport());
    }

    /**
     * A send that failed for good (on its way to the dead queue) no longer holds its place in the rate limit. A
     * platform id whose owner blocked or unfollowed the account is marked undeliverable: not tried again.
     */
    public void failed(Exchange exchange) {
        OutboundDecision decision = exchange.getProperty(HubExchange.OUTBOUND_DECISION, OutboundDecision.class);
        if (decision != null && decision.action() == OutboundDecision.Action.SEND) {
            guard.release(decision);
            OutboundRequest request = exchange.getProperty(HubExchange.OUTBOUND_REQUEST, OutboundRequest.class);
            ledger.releaseSend(request.complaintId(), request.sentKind());
            if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof RecipientGone gone) {
                String reason = gone.getMessage();
                ledger.markUndeliverable(decision.transport() + ":" + decision.recipient(),
                        reason.length() > 200 ? reason.substring(0, 200) : reason, OffsetDateTime.now(clock));
                LOG.warn("{}: a customer's id is marked undeliverable (blocked or unfollowed the account)", decision.transport());
            }
        }
    }

    Map<String, Object> model(OutboundRequest request, Contact c) {
        String lang = c.language();
        Instant now = clock.instant();
        Map<String, Object> m = new HashMap<>();
        if (request.kind() == OutboundRequest.Kind.PROGRESS) {
            // the desk's note as kept with the complaint (the status event is kept just after the request is queued:
            // until then, retried); plain text of the desk, one line in an SMS
            Map<String, Object> note = history.detail(StatusEvents.progressKey(c.complaintId(), request.tag()))
                    .orElseThrow(() -> new IllegalStateException("the progress note of complaint " + c.complaintId()
                            + " is not kept (yet)"));
            m.put("note", oneLine((String) note.get("note")));
            m.put("handler", oneLine((String) note.get("handler")));
            m.put("supervisor", oneLine((String) note.get("supervisor")));
        }
        m.put("reference", c.complaintId());
        m.put("name", oneLine(c.name()));
        m.put("subject", oneLine(c.subject()));
        m.put("department", templates.text(lang, "departments." + c.department()));
        m.put("organisation", templates.text(lang, "organisation"));
        m.put("hotline", templates.text(lang, "hotline"));
        m.put("repeatOf", c.repeatOf()); // a repeat complaint: the acknowledgement names the earlier reference
        DateTimeFormatter format = DateTimeFormatter.ofPattern(templates.text(lang, "dueAtFormat"), templates.locale(lang));
        m.put("dueAt", c.dueAt().atZoneSameInstant(hub.timeZone()).format(format));
        m.put("statusUrl", links.url("/status/" + links.token("status", c.complaintId(), now.plus(statusLinkTtl))));
        m.put("optOutUrl", links.url("/optout/" + links.token("optout", c.complaintId(), now.plus(Duration.ofDays(366)))));
        if (request.kind() == OutboundRequest.Kind.THANKS) {
            m.put("resolution", c.resolution());
            m.put("agent", c.agent());
            m.put("satisfactionUrl", links.url("/satisfaction/"
                    + links.token("satisfaction", c.complaintId(), now.plus(satisfactionLinkTtl))));
        }
        return m;
    }

    /** Values go into SMS and mail text: no line breaks or other control characters from the customer's input. */
    static String oneLine(String s) {
        return s == null ? null : s.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}\\p{Cf}]+", " ").replaceAll(" {2,}", " ").strip();
    }

    /**
     * The name as an SMS may carry it: the words made of letters (any script), the middle dot, apostrophe and hyphen
     * only (a word with a digit, dot, slash, colon or other symbol is left out whole, so no link, number or address
     * goes out), at most {@code max} characters; null when nothing is left (the greeting is then generic).
     */
    static String smsName(String name, int max) {
        if (name == null || max <= 0) {
            return null;
        }
        String words = java.util.Arrays.stream(name.strip().split("[\\s\\p{Cc}\\p{Cf}\\p{Z}]+"))
                .filter(w -> w.matches("[\\p{L}\\p{M}·'\\-]+")).collect(java.util.stream.Collectors.joining(" "));
        int[] cps = words.codePoints().limit(max).toArray();
        String cut = new String(cps, 0, cps.length).strip();
        return cut.isEmpty() ? null : cut;
    }

    private static Object parse(String json) {
        try {
            return RecordJson.MAPPER.readValue(json, Map.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an outbound request", e);
        }
    }
}
