package org.complainthub.outbound.chat;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.HubExchange;
import org.complainthub.complaint.RecordJson;
import org.springframework.stereotype.Component;

/**
 * Exchange for a platform's send API. {@link #prepare} keeps what to send in an exchange property; the route
 * outbound-chat builds the request from it ({@link #request}) on every try, so a retry starts from a fresh request
 * (and a fresh WeChat token), posts it, and reads the platform's answer ({@link #check}). Nothing the customer's
 * message carried reaches the request but their platform id.
 */
@Component
public class ChatTranslator {


    /** What goes to one customer on one platform. */
    record ChatMessage(ChatPlatform platform, String handle, boolean outsideWindow, String kind, String language,
                       Map<String, Object> values, String text) {
    }

    private final ChatPlatforms platforms;

    public ChatTranslator(ChatPlatforms platforms) {
        this.platforms = platforms;
    }

    public void prepare(Exchange exchange, String transport, String handle, boolean outsideWindow, String kind,
                        String language, Map<String, Object> values, String text) {
        ChatPlatform platform = platforms.find(transport).orElseThrow();
        exchange.setProperty(HubExchange.CHAT_MESSAGE, new ChatMessage(platform, handle, outsideWindow, kind, "en".equals(language) ? "en" : "zh",
                values, text));
        exchange.setProperty(HubExchange.CHAT_BASE_URL, platform.settings().baseUrl());
    }

    /** The HTTP request, from scratch: the message may hold the previous try's answer. */
    public void request(Exchange exchange) {
        ChatMessage msg = exchange.getProperty(HubExchange.CHAT_MESSAGE, ChatMessage.class);
        ChatRequest r = msg.outsideWindow()
                ? msg.platform().outsideWindow(msg.handle(), msg.kind(), msg.language(), msg.values(), msg.text())
                : msg.platform().text(msg.handle(), msg.text());
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.HTTP_PATH, r.path());
        if (r.query() != null) {
            m.setHeader(Exchange.HTTP_QUERY, r.query());
        }
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        if (r.authorization() != null) {
            m.setHeader("Authorization", r.authorization());
        }
        m.setBody(RecordJson.write(r.body()));
    }

    /** Returns when the platform took it; throws {@link ReplyNotDelivered} (tried again) or {@link ReplyRefused}. */
    public void check(Exchange exchange) {
        ChatMessage msg = exchange.getProperty(HubExchange.CHAT_MESSAGE, ChatMessage.class);
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = m.getBody(String.class);
        m.removeHeaders("*");
        msg.platform().check(status, body);
    }
}
