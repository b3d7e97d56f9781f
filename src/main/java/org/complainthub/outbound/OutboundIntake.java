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
import java.util.ArrayList;
import java.util.List;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Records complaint records found on complaints.outbound.intake: copies an earlier version's divert left there at an
 * upgrade, or a record an operator puts there to have it recorded and acknowledged. (Dispatch now writes the contact
 * ledger and queues the acknowledgement itself: nothing else sends here.) Writes the contact ledger and asks for the
 * acknowledgement when a configured transport can reach the customer. Follow-ups of an open complaint get no second
 * acknowledgement; one on the complaint's own channel moves the start of that platform's reply window.
 * <p>
 * Complaints are taken a batch at a time ({@link #drain}): one JMS transaction takes up to {@code batch} copies off
 * the queue and puts their acknowledgement requests on complaints.outbound.send, around one database transaction for
 * their ledger rows. A crash or failure before the commit leaves the copies on the queue (the ledger write is
 * repeatable); a copy that is not a complaint record goes to complaints.outbound.dead with the reason.
 */
@Component
public class OutboundIntake {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundIntake.class);

    private final ContactLedger ledger;
    private final OutboundGuard guard;
    private final ConnectionFactory connections;
    private final String intakeQueue;
    private final String sendQueue;
    private final String deadQueue;
    private final int batch;
    private final long idleMillis;
    private int failuresInARow;

    public OutboundIntake(ContactLedger ledger, OutboundGuard guard, ConnectionFactory connections,
                          @Value("${hub.queues.outbound-intake}") String intakeQueue,
                          @Value("${hub.queues.outbound-send}") String sendQueue,
                          @Value("${hub.queues.outbound-dead}") String deadQueue,
                          @Value("${hub.outbound.record-batch:200}") int batch,
                          @Value("${hub.outbound.record-idle-ms:1000}") long idleMillis) {
        this.ledger = ledger;
        this.guard = guard;
        // a connection of its own, not one of the cache's sessions: a cached consumer would keep the messages the
        // broker sent ahead to it while it sits unused in the cache
        this.connections = connections instanceof CachingConnectionFactory cached && cached.getTargetConnectionFactory() != null
                ? cached.getTargetConnectionFactory() : connections;
        this.intakeQueue = intakeQueue;
        this.sendQueue = sendQueue;
        this.deadQueue = deadQueue;
        this.batch = batch;
        this.idleMillis = idleMillis;
    }

    /**
     * Takes batches off the queue until it stays empty for {@code record-idle-ms} or {@code maxMillis} have passed;
     * returns how many copies it took. Called again and again by the outbound-record route. After a failure (the
     * database or the broker away) the batch stays on the queue and the call returns after a pause that doubles with
     * each failure in a row, up to 30 s; after 10 failed attempts the broker moves a copy to complaints.dead.
     */
    public int drain(long maxMillis) throws InterruptedException {
        try {
            int taken = drainBatches(maxMillis);
            failuresInARow = 0;
            return taken;
        } catch (JMSException | RuntimeException e) {
            failuresInARow++;
            long pause = Math.min(30_000L, 1000L << Math.min(failuresInARow - 1, 5));
            // the class only: a database's message may quote the values (names, phones) of the rows
            LOG.warn("outbound: could not record a batch of complaints (left on {}), next try in {} ms: {}", intakeQueue, pause,
                    e instanceof JMSException ? e.toString() : e.getClass().getName());
            Thread.sleep(pause);
            return 0;
        }
    }

    private int drainBatches(long maxMillis) throws JMSException {
        long until = System.currentTimeMillis() + maxMillis;
        int taken = 0;
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageConsumer consumer = session.createConsumer(session.createQueue(intakeQueue));
             MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection.start();
            while (System.currentTimeMillis() < until) {
                Message first = consumer.receive(idleMillis);
                if (first == null) {
                    break;
                }
                List<Message> messages = new ArrayList<>();
                messages.add(first);
                for (Message m; messages.size() < batch && (m = consumer.receiveNoWait()) != null; ) {
                    messages.add(m);
                }
                try {
                    take(messages, session, producer);
                    session.commit();
                } catch (JMSException | RuntimeException e) {
                    session.rollback(); // back on the queue; the broker counts the attempt (complaints.dead after 10)
                    throw e;
                }
                taken += messages.size();
            }
        }
        return taken;
    }

    private void take(List<Message> messages, Session session, MessageProducer producer) throws JMSException {
        List<Complaint> complaints = new ArrayList<>(messages.size());
        for (Message m : messages) {
            try {
                complaints.add(RecordJson.read(((TextMessage) m).getText()));
            } catch (RuntimeException notARecord) {
                TextMessage dead = session.createTextMessage(m instanceof TextMessage t ? t.getText() : "");
                dead.setStringProperty("hubFailureReason", "not a complaint record: " + notARecord.getClass().getSimpleName());
                dead.setStringProperty("hubFailedRoute", "outbound-record");
                producer.send(session.createQueue(deadQueue), dead);
                LOG.warn("a copy on {} is not a complaint record: moved to {}", intakeQueue, deadQueue);
            }
        }
        List<Complaint> fresh = ledger.recordAll(complaints);
        jakarta.jms.Queue send = session.createQueue(sendQueue);
        int requested = 0;
        for (Complaint c : fresh) {
            String ack = guard.acknowledgementOf(c);
            if (ack != null) {
                producer.send(send, session.createTextMessage(ack));
                requested++;
            }
        }
        LOG.debug("outbound: {} complaints recorded, {} acknowledgements requested (no configured transport reaches the "
                + "others)", complaints.size(), requested);
    }
}
