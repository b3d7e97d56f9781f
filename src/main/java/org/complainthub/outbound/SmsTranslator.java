package org.complainthub.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.complaint.RecordJson;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Exchange for an HTTP SMS gateway: POST JSON {"to": E.164, "text": ..., "sender": ...} with basic or bearer auth.
 * The number is already E.164 (normalised on intake with hub.default-country).
 */
@Component
public class SmsTranslator {

    private final String username;
    private final String password;
    private final String token;
    private final String sender;

    public SmsTranslator(@Value("${hub.outbound.sms.username}") String username,
                         @Value("${hub.outbound.sms.password}") String password,
                         @Value("${hub.outbound.sms.token}") String token,
                         @Value("${hub.outbound.sms.sender}") String sender) {
        this.username = username;
        this.password = password;
        this.token = token;
        this.sender = sender;
    }

    public void translate(Message m, String to, String text) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("to", to);
        body.put("text", text);
        if (!sender.isBlank()) {
            body.put("sender", sender);
        }
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        if (!token.isBlank()) {
            m.setHeader("Authorization", "Bearer " + token);
        } else if (!username.isBlank()) {
            m.setHeader("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        m.setBody(RecordJson.write(body));
    }
}
