package org.complainthub.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.HubExchange;
import org.complainthub.HubProperties;
import org.complainthub.web.HubLinks;
import org.springframework.stereotype.Component;

/**
 * The three small pages a customer reaches from a message, each behind a signed, expiring token: the complaint's
 * status, the satisfaction question (score 1-5 and a comment, answered once) and the opt-out. Templates and texts
 * live in mappings/templates/pages/ (zh and en), HTML-escaped.
 */
@Component
public class CustomerPages {


    private final ContactLedger ledger;
    private final ComplaintHistory history;
    private final HubLinks links;
    private final HubEvents events;
    private final MessageTemplates messages;
    private final HubProperties hub;
    private final Clock clock;
    private final Map<String, Mustache> pages = new HashMap<>();
    private final Map<String, Object> texts;

    @SuppressWarnings("unchecked")
    public CustomerPages(ContactLedger ledger, HubLinks links, HubEvents events, MessageTemplates messages,
                         HubProperties hub, Clock clock, ComplaintHistory history) {
        this.ledger = ledger;
        this.history = history;
        this.links = links;
        this.events = events;
        this.messages = messages;
        this.hub = hub;
        this.clock = clock;
        Path dir = hub.mappingsDir().resolve("templates/pages");
        DefaultMustacheFactory html = new DefaultMustacheFactory();
        for (String page : new String[] {"status", "satisfaction", "optout"}) {
            try (Reader r = Files.newBufferedReader(dir.resolve(page + ".mustache"), StandardCharsets.UTF_8)) {
                pages.put(page, html.compile(r, page));
            } catch (IOException e) {
                throw new IllegalStateException("page template " + dir.resolve(page + ".mustache") + " is missing", e);
            }
        }
        try {
            texts = new ObjectMapper(new YAMLFactory()).readValue(dir.resolve("pages-text.yaml").toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir.resolve("pages-text.yaml"), e);
        }
    }

    /** The complaint a page's token opens, with whether the token has expired; empty (then 404) if it opens none. */
    private record Opened(Contact contact, boolean expired) {
    }

    private Optional<Opened> open(Message m, String purpose) {
        Optional<HubLinks.Token> token = links.readToken(purpose, m.getHeader("token", String.class), clock.instant());
        Optional<Opened> opened = token.flatMap(t -> ledger.find(t.complaintId()).map(c -> new Opened(c, t.expired())));
        if (opened.isEmpty()) {
            notFound(m);
        }
        return opened;
    }

    public void status(Exchange exchange) {
        Message m = exchange.getMessage();
        Optional<Opened> opened = open(m, "status").filter(o -> !o.expired());
        if (opened.isEmpty()) {
            notFound(m);
            return;
        }
        Contact c = opened.get().contact();
        String lang = lang(m, c);
        Map<String, Object> model = base(lang, c);
        OffsetDateTime now = OffsetDateTime.now(clock);
        model.put("receivedAt", format(c.receivedAt(), lang));
        model.put("department", messages.text(lang, "departments." + c.department()));
        model.put("dueAt", format(c.dueAt(), lang));
        model.put("resolvedAt", c.resolvedAt() == null ? null : format(c.resolvedAt(), lang));
        model.put("resolved", c.resolved());
        model.put("overdue", !c.resolved() && c.dueAt().isBefore(now));
        model.put("open", !c.resolved() && !c.dueAt().isBefore(now));
        // the desk's progress notes, newest first (HTML-escaped by the page's mustache factory)
        List<Map<String, Object>> progress = new ArrayList<>();
        for (ComplaintHistory.Event e : history.events(c.complaintId(), "IN_PROGRESS")) {
            Map<String, Object> note = new HashMap<>();
            note.put("at", format(e.at(), lang));
            note.put("note", e.detail() == null ? null : e.detail().get("note"));
            note.put("handler", e.detail() == null ? null : e.detail().get("handler"));
            note.put("supervisor", e.detail() == null ? null : e.detail().get("supervisor"));
            progress.add(0, note);
        }
        model.put("progress", progress);
        model.put("hasProgress", !progress.isEmpty());
        page(m, "status", model);
    }

    /** GET shows the question; POST records the answer once and leaves the SATISFACTION event in property {@link HubExchange#SATISFACTION_EVENT}. */
    public void satisfaction(Exchange exchange) {
        Message m = exchange.getMessage();
        HttpServletRequest request = m.getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        Optional<Opened> opened = open(m, "satisfaction");
        if (opened.isEmpty()) {
            return;
        }
        Contact c = opened.get().contact();
        String lang = lang(m, c);
        Map<String, Object> model = base(lang, c);
        if (opened.get().expired()) {
            model.put("expired", true);
        } else if (c.satisfactionScore() != null || Contact.REOPENED.equals(c.status())) { // answered (a low score reopened it)
            model.put("done", true);
        } else if ("POST".equals(request.getMethod())) {
            String score = field(m, request, "score");
            // browsers send a line break as CRLF where maxlength counted one character
            String comment = field(m, request, "comment") == null ? null : field(m, request, "comment").replace("\r\n", "\n");
            if (score != null && score.matches("[1-5]")) {
                model.put("score", Map.of(score, true)); // keeps the customer's choice if the page shows an error
            }
            model.put("comment", comment);
            if (score == null || !score.matches("[1-5]")) {
                model.put("error", Map.of("score_required", true));
                m.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            } else if (comment != null && comment.length() > 1000) {
                model.put("error", Map.of("comment_too_long", true));
                m.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            } else {
                exchange.setProperty(HubExchange.SATISFACTION_EVENT, events.satisfactionEvent(c, Integer.parseInt(score), comment));
                exchange.setProperty(HubExchange.CONTACT, c);
                model.put("done", true);
            }
        }
        page(m, "satisfaction", model);
    }

    /** The SATISFACTION event as the JMS message to publish on complaints.events. */
    @SuppressWarnings("unchecked")
    public void satisfactionEvent(Exchange exchange) {
        HubEvents.publish(exchange.getMessage(), exchange.getProperty(HubExchange.SATISFACTION_EVENT, Map.class), exchange.getProperty(HubExchange.CONTACT, Contact.class));
    }

    /** After the event is on the broker: the score in the ledger (so the link answers once), and the page again. */
    @SuppressWarnings("unchecked")
    public void satisfactionRecorded(Exchange exchange) {
        Map<String, Object> event = exchange.getProperty(HubExchange.SATISFACTION_EVENT, Map.class);
        Contact c = exchange.getProperty(HubExchange.CONTACT, Contact.class);
        ledger.recordSatisfaction(c.complaintId(), (Integer) event.get("score"), (String) event.get("comment"),
                OffsetDateTime.now(clock));
        String page = exchange.getProperty(HubExchange.PAGE, String.class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(page);
    }

    /** GET asks to confirm (mail scanners open links); POST stops every further message about the complaint. */
    public void optOut(Exchange exchange) {
        Message m = exchange.getMessage();
        HttpServletRequest request = m.getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        Optional<Opened> opened = open(m, "optout").filter(o -> !o.expired());
        if (opened.isEmpty()) {
            notFound(m);
            return;
        }
        Contact c = opened.get().contact();
        Map<String, Object> model = base(lang(m, c), c);
        if ("POST".equals(request.getMethod())) {
            ledger.optOut(c.complaintId(), OffsetDateTime.now(clock));
            model.put("done", true);
        } else {
            model.put("done", c.optedOut());
        }
        page(m, "optout", model);
    }

    /** A form field: platform-http has read urlencoded bodies into headers by the time the bean runs. */
    private static String field(Message m, HttpServletRequest request, String name) {
        String v = m.getHeader(name, String.class);
        return v != null ? v : request.getParameter(name);
    }

    private Map<String, Object> base(String lang, Contact c) {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", texts.get(lang));
        model.put("reference", c.complaintId());
        return model;
    }

    private String lang(Message m, Contact c) {
        String asked = m.getHeader("lang", String.class);
        return "zh".equals(asked) || "en".equals(asked) ? asked : "en".equals(c.language()) ? "en" : "zh";
    }

    private String format(OffsetDateTime t, String lang) {
        return t.atZoneSameInstant(hub.timeZone()).format(DateTimeFormatter.ofPattern(messages.text(lang, "dueAtFormat"),
                messages.locale(lang)));
    }

    private void page(Message m, String page, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        pages.get(page).execute(out, model);
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status == null ? 200 : status);
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        m.setHeader("Cache-Control", "no-store");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                + "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        m.setBody(out.toString());
    }

    private static void notFound(Message m) {
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        m.setBody("This link is not valid. 链接无效。");
    }
}
