package org.complainthub.outbound;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/outbound}: sends every request waiting in complaints.outbound.dead again (after the provider
 * is fixed). Each is moved back to complaints.outbound.send; the guard still stops anything already sent.
 */
@Component
@Endpoint(id = "outbound")
public class OutboundEndpoint {

    private final JmsTemplate jms;
    private final String dead;
    private final String send;

    public OutboundEndpoint(JmsTemplate jms, @Value("${hub.queues.outbound-dead}") String dead,
                            @Value("${hub.queues.outbound-send}") String send) {
        this.jms = jms;
        this.dead = dead;
        this.send = send;
    }

    @WriteOperation
    public Map<String, Object> resend() {
        long previous = jms.getReceiveTimeout();
        int moved = 0;
        try {
            jms.setReceiveTimeout(JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT);
            for (Message m; moved < 10_000 && (m = jms.receive(dead)) != null; moved++) {
                String body = ((TextMessage) m).getText();
                jms.send(send, session -> session.createTextMessage(body));
            }
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("cannot move the dead outbound requests", e);
        } finally {
            jms.setReceiveTimeout(previous);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("resent", moved);
        return answer;
    }
}
