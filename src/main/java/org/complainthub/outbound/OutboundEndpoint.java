package org.complainthub.outbound;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/outbound}: sends every request waiting in complaints.outbound.dead again (after the provider
 * is fixed). Each is moved back to complaints.outbound.send in a JMS transaction of its own (receive, send, commit):
 * a failure in between leaves it on the dead queue. The guard still stops anything already sent.
 */
@Component
@Endpoint(id = "outbound")
public class OutboundEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundEndpoint.class);
    private static final int LIMIT = 10_000;

    private final ConnectionFactory connections;
    private final String dead;
    private final String send;

    public OutboundEndpoint(ConnectionFactory connections, @Value("${hub.queues.outbound-dead}") String dead,
                            @Value("${hub.queues.outbound-send}") String send) {
        // a connection of its own, not one of the cache's sessions: a cached consumer would keep the messages the
        // broker sent ahead to it while it sits unused in the cache
        this.connections = connections instanceof CachingConnectionFactory cached && cached.getTargetConnectionFactory() != null
                ? cached.getTargetConnectionFactory() : connections;
        this.dead = dead;
        this.send = send;
    }

    /** {"resent": n}; 503 with {"resent": n, "error": ...} when the broker refused a move (the rest stay dead). */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> resend() {
        Map<String, Object> answer = new LinkedHashMap<>();
        int moved = 0;
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageConsumer consumer = session.createConsumer(session.createQueue(dead));
             MessageProducer producer = session.createProducer(session.createQueue(send))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection.start();
            for (Message m; moved < LIMIT && (m = consumer.receiveNoWait()) != null; ) {
                try {
                    // the request alone: tries start again from none, no old reason, no old duplicate-detection id
                    producer.send(session.createTextMessage(((TextMessage) m).getText()));
                    session.commit();
                    moved++;
                } catch (JMSException | RuntimeException e) {
                    session.rollback(); // the request stays on the dead queue
                    throw e;
                }
            }
        } catch (JMSException | RuntimeException e) {
            LOG.warn("outbound: moving the dead requests stopped after {}: {}", moved, e.toString());
            answer.put("resent", moved);
            answer.put("error", "the broker refused the move; what was not moved is still on " + dead);
            return new WebEndpointResponse<>(answer, WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
        }
        answer.put("resent", moved);
        return new WebEndpointResponse<>(answer);
    }
}
