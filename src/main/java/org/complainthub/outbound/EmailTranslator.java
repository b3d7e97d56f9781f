package org.complainthub.outbound;

import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Exchange for the SMTP endpoint, built from the complaint only (inbound To/From/Subject never reach here: STACK.md 8).
 * Marked as automated (RFC 3834) so that auto-responders do not answer it, with a Message-ID the hub recognises
 * when a customer replies or the mail bounces ({@link OwnMessageIds}: it carries a keyed tag of the reference).
 */
@Component
public class EmailTranslator {

    private final String from;
    private final String messageIdDomain;
    private final OwnMessageIds messageIds;

    public EmailTranslator(@Value("${hub.outbound.email.from}") String from,
                           @Value("${hub.outbound.email.message-id-domain}") String messageIdDomain,
                           OwnMessageIds messageIds) {
        this.from = from;
        this.messageIdDomain = messageIdDomain;
        this.messageIds = messageIds;
    }

    public void translate(Message m, OutboundRequest request, Contact c, String to, String subject, String body) {
        m.setHeader("To", to);
        m.setHeader("From", from);
        m.setHeader("Subject", subject.replaceAll("[\\r\\n]+", " "));
        m.setHeader("Auto-Submitted", "auto-replied");
        m.setHeader("X-Auto-Response-Suppress", "All");
        m.setHeader("Precedence", "auto_reply");
        m.setHeader("X-Loop", messageIdDomain);
        m.setHeader("X-Complaint-Id", c.complaintId());
        m.setHeader("Message-ID", messageIds.create(c.complaintId(), request.kind()));
        String customersMessage = customersMessageId(c);
        if (customersMessage != null) { // a complaint that came by email: answer in its thread
            m.setHeader("In-Reply-To", customersMessage);
            m.setHeader("References", customersMessage);
        }
        m.setHeader("Content-Type", "text/plain; charset=UTF-8");
        m.setBody(body);
    }

    /**
     * The Message-ID of the customer's own mail, or null: the record's replyRef, which the email channel sets to it. It
     * goes into two headers: only a well-formed msg-id (no line break, no second id) is written.
     */
    static String customersMessageId(Contact c) {
        String id = c.replyRef();
        return id != null && id.matches("<[^<>\\s]{1,900}>") ? id : null;
    }
}
