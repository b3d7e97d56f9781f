package org.complainthub.ops;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.complainthub.dedup.SourceMessages;
import org.complainthub.intake.HubFault;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.intake.SubmissionRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * What is on complaints.quarantine, and taking it again after a mapping, a rule or a setting was fixed (issue 16).
 * <p>
 * The listing browses the queue (nothing is taken off it): counts per channel and reason, and per message its JMS id,
 * channel, a fingerprint of its source id, the reason with addresses and numbers masked, when it was quarantined, how
 * often it was replayed, and the complaint its source message already became, if any.
 * <p>
 * A replay takes each chosen message (by JMS id, or every message of one channel) in turn: its body is read with a
 * browser, taken again through its channel ({@link ReplayIntake}), and only then the message is taken off the queue,
 * in one JMS transaction with what follows from the outcome:
 * <ul>
 * <li>a complaint, or a duplicate of one (its source message was taken before: the dedup claims decide, so replaying
 * twice never makes two complaints), or not a complaint at all now: the message leaves the quarantine;</li>
 * <li>refused again: in the same transaction a copy with the new reason replaces it (replays + 1, the first
 * quarantine time and the previous reason kept; no duplicate-detection id, which would make the broker drop the copy
 * as the message it replaces);</li>
 * <li>a fault of the hub's own (database, broker, disk): the message stays as it was, untouched (a browser does not
 * count deliveries, so no number of failed attempts moves it to the dead-letter queue);</li>
 * <li>a status event from the desk goes back on complaints.status, in the same transaction, for the status route to
 * handle (it quarantines it again itself if it must).</li>
 * </ul>
 * A crash between the complaint's dispatch and the message's removal leaves the message on the queue: the next replay
 * finds it a duplicate and removes it. Two replays of the same message at once: both may take it through intake (one
 * complaint, the other a duplicate), only one takes it off the queue.
 */
@Component
public class QuarantineReplay {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineReplay.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("ID:[0-9A-Za-z:-]{1,100}");
    /** Messages a listing or a replay looks at, at most. */
    static final int MAX_MESSAGES = 100_000;

    /** One message's replay: its outcome, the complaint it is now (if any), a note (the new reason, why not). */
    public record Result(String messageId, String channel, String outcome, String complaintId, String note) {
    }

    /** The listing: how many, per channel and reason, and the messages themselves (up to the limit asked). */
    public record Listing(int total, Map<String, Map<String, Integer>> reasonsByChannel, Map<String, Integer> byChannel,
                          List<Map<String, Object>> messages) {
    }

    private final ConnectionFactory connections;
    private final ReplayIntake intake;
    private final SourceMessages sources;
    private final IntakeMetrics metrics;
    private final String quarantineQueue;
    private final String statusQueue;

    public QuarantineReplay(ConnectionFactory connections, ReplayIntake intake, SourceMessages sources,
                            IntakeMetrics metrics, @Value("${hub.queues.quarantine}") String quarantineQueue,
                            @Value("${hub.queues.status}") String statusQueue) {
        this.connections = connections;
        this.intake = intake;
        this.sources = sources;
        this.metrics = metrics;
        this.quarantineQueue = quarantineQueue;
        this.statusQueue = statusQueue;
    }

    /** What is on the queue (of one channel, or all when {@code channel} is null): counts, and the first {@code limit}. */
    public Listing list(String channel, int limit) throws JMSException {
        List<QuarantinedMessage> all = browse(channel);
        Map<String, Integer> byChannel = new TreeMap<>();
        Map<String, Map<String, Integer>> reasons = new TreeMap<>();
        List<Map<String, Object>> messages = new ArrayList<>();
        for (QuarantinedMessage q : all) {
            byChannel.merge(q.channel(), 1, Integer::sum);
            reasons.computeIfAbsent(q.channel(), c -> new TreeMap<>())
                    .merge(String.valueOf(q.shownReason()), 1, Integer::sum);
            if (messages.size() < limit) {
                messages.add(describe(q));
            }
        }
        return new Listing(all.size(), reasons, byChannel, messages);
    }

    /** Replays the messages with these JMS ids, in their order on the queue. */
    public List<Result> replay(List<String> ids) throws JMSException {
        Set<String> wanted = new LinkedHashSet<>();
        List<Result> results = new ArrayList<>();
        for (String id : ids) {
            if (MESSAGE_ID.matcher(id).matches()) {
                wanted.add(id);
            } else {
                results.add(new Result(id, null, "not-found", null, "not a JMS message id"));
            }
        }
        Map<String, QuarantinedMessage> found = new LinkedHashMap<>();
        for (QuarantinedMessage q : browse(null)) {
            if (wanted.contains(q.messageId())) {
                found.put(q.messageId(), q);
            }
        }
        try (Connection connection = connection()) {
            connection.start();
            for (String id : wanted) {
                QuarantinedMessage q = found.get(id);
                results.add(q == null ? new Result(id, null, "not-found", null, "not on " + quarantineQueue
                        + " (replayed already, or never there)") : replay(connection, q));
            }
        }
        return results;
    }

    /** Replays every message of one channel that is on the queue now (copies quarantined again are not taken twice). */
    public List<Result> replayChannel(String channel) throws JMSException {
        List<Result> results = new ArrayList<>();
        List<QuarantinedMessage> now = browse(channel);
        try (Connection connection = connection()) {
            connection.start();
            for (QuarantinedMessage q : now) {
                results.add(replay(connection, q));
            }
        }
        return results;
    }

    private Result replay(Connection connection, QuarantinedMessage q) throws JMSException {
        String why = q.notReplayable();
        if (why != null) {
            return result(q, "not-replayable", null, why);
        }
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            Queue queue = session.createQueue(quarantineQueue);
            Message original = browseOne(session, queue, q.messageId());
            if (original == null) {
                return result(q, "not-found", null, "taken off the queue meanwhile");
            }
            if (QuarantinedMessage.STATUS_EVENT.equals(q.kind())) {
                return requeueStatusEvent(session, queue, q, original);
            }
            ReplayIntake.Taken taken;
            try {
                taken = take(q, original);
            } catch (Exception e) {
                if (HubFault.in(e)) {
                    LOG.warn("quarantine replay: the hub's own infrastructure failed, message {} stays as it was: {}",
                            q.messageId(), e.toString());
                    return result(q, "hub-fault", null, "the hub's database, broker or disk failed; the message stays "
                            + "as it was: try again later (" + e.getClass().getSimpleName() + ")");
                }
                taken = new ReplayIntake.Taken(ReplayIntake.Kind.REFUSED, null, reasonOf(e));
            }
            if (!remove(session, queue, q.messageId())) {
                session.rollback();
                return result(q, "not-found", taken.complaintId(), "taken off the queue by another replay meanwhile");
            }
            if (taken.kind() == ReplayIntake.Kind.REFUSED) {
                quarantineAgain(session, queue, original, q, taken.note());
            }
            session.commit();
            return outcome(q, taken);
        }
    }

    private ReplayIntake.Taken take(QuarantinedMessage q, Message m) throws Exception {
        return switch (q.kind()) {
            case QuarantinedMessage.MAIL -> intake.mail(q, bytes(m));
            case QuarantinedMessage.CALL_LOG_ROW -> intake.callLogRow(q, bytes(m));
            case QuarantinedMessage.WEBHOOK_MESSAGE -> intake.webhookMessage(q, text(m));
            default -> throw new IllegalStateException("no replay for payload kind " + q.kind());
        };
    }

    private Result outcome(QuarantinedMessage q, ReplayIntake.Taken taken) {
        String outcome = switch (taken.kind()) {
            case COMPLAINT -> "complaint";
            case DUPLICATE -> "duplicate";
            case NOT_A_COMPLAINT -> "not-a-complaint";
            case REFUSED -> "quarantined-again";
        };
        metrics.count(q.channel(), "replay-" + outcome);
        LOG.info("quarantine replay: message {} of {}: {}{}", q.messageId(), q.channel(), outcome,
                taken.complaintId() == null ? "" : " (complaint " + taken.complaintId() + ")");
        String note = taken.kind() == ReplayIntake.Kind.REFUSED ? QuarantinedMessage.mask(taken.note()) : taken.note();
        return result(q, outcome, taken.complaintId(), note);
    }

    private Result requeueStatusEvent(Session session, Queue queue, QuarantinedMessage q, Message original) throws JMSException {
        if (!remove(session, queue, q.messageId())) {
            session.rollback();
            return result(q, "not-found", null, "taken off the queue by another replay meanwhile");
        }
        TextMessage event = session.createTextMessage(text(original));
        try (MessageProducer producer = session.createProducer(session.createQueue(statusQueue))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(event);
        }
        session.commit();
        LOG.info("quarantine replay: status event {} back on {}", q.messageId(), statusQueue);
        return result(q, "requeued", null, "back on " + statusQueue + ": quarantined again there if it still cannot be used");
    }

    /** A copy with the new reason in place of the message (in the caller's transaction). */
    private void quarantineAgain(Session session, Queue queue, Message original, QuarantinedMessage q, String reason)
            throws JMSException {
        Message copy;
        if (original instanceof BytesMessage) {
            BytesMessage b = session.createBytesMessage();
            b.writeBytes(bytes(original));
            copy = b;
        } else {
            copy = session.createTextMessage(text(original));
        }
        for (Map.Entry<String, String> p : q.properties().entrySet()) {
            if (p.getValue() != null) {
                copy.setStringProperty(p.getKey(), p.getValue());
            }
        }
        copy.setStringProperty("reason", reason == null ? "refused again" : reason);
        if (q.reason() != null) {
            copy.setStringProperty("previousReason", q.reason());
        }
        copy.setStringProperty("replays", String.valueOf(q.replays() + 1));
        copy.setStringProperty("firstQuarantinedAt", q.firstQuarantinedAt().toString());
        try (MessageProducer producer = session.createProducer(queue)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(copy);
        }
    }

    /** Takes the message off the queue in the session's transaction; false when it is no longer there. */
    private static boolean remove(Session session, Queue queue, String messageId) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(queue, selector(messageId))) {
            return consumer.receive(5_000) != null;
        }
    }

    private static Message browseOne(Session session, Queue queue, String messageId) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(queue, selector(messageId))) {
            Enumeration<?> e = browser.getEnumeration();
            return e.hasMoreElements() ? (Message) e.nextElement() : null;
        }
    }

    private static String selector(String messageId) {
        // checked against MESSAGE_ID by every caller: no quote can reach the selector
        return "JMSMessageID = '" + messageId + "'";
    }

    /** Every message on the queue (of one channel), in queue order, bodies not kept. */
    List<QuarantinedMessage> browse(String channel) throws JMSException {
        List<QuarantinedMessage> out = new ArrayList<>();
        try (Connection connection = connection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(quarantineQueue))) {
            connection.start();
            int seen = 0;
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements() && seen < MAX_MESSAGES; seen++) {
                QuarantinedMessage q = QuarantinedMessage.of((Message) e.nextElement(), statusQueue);
                if (channel == null || channel.equals(q.channel())) {
                    out.add(q);
                }
            }
        }
        return out;
    }

    /**
     * A connection of its own, not one of Spring's cached sessions: those keep every consumer open for reuse, and a
     * replay makes one per message (its selector names the message).
     */
    private Connection connection() throws JMSException {
        ConnectionFactory target = connections instanceof SingleConnectionFactory cached
                && cached.getTargetConnectionFactory() != null ? cached.getTargetConnectionFactory() : connections;
        return target.createConnection();
    }

    private Map<String, Object> describe(QuarantinedMessage q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", q.messageId());
        m.put("channel", q.channel());
        m.put("sourceId", q.shownSourceId());
        m.put("reason", q.shownReason());
        m.put("quarantinedAt", q.quarantinedAt().toString());
        if (q.replays() > 0) {
            m.put("firstQuarantinedAt", q.firstQuarantinedAt().toString());
            m.put("replays", q.replays());
        }
        String why = q.notReplayable();
        m.put("replayable", why == null);
        if (why != null) {
            m.put("notReplayable", why);
        }
        if (q.sourceId() != null && !QuarantinedMessage.STATUS_CHANNEL.equals(q.channel())) {
            try {
                sources.complaintOf(q.channel(), q.sourceId()).ifPresent(id -> m.put("alreadyComplaint", id));
            } catch (RuntimeException e) {
                // the database away: the listing still shows what is on the queue
            }
        }
        return m;
    }

    private Result result(QuarantinedMessage q, String outcome, String complaintId, String note) {
        return new Result(q.messageId(), q.channel(), outcome, complaintId, note);
    }

    private static String reasonOf(Exception e) {
        if (e instanceof SubmissionRejected) {
            return "not a complaint the hub can take: " + e.getMessage();
        }
        return "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static byte[] bytes(Message m) throws JMSException {
        if (m instanceof BytesMessage b) {
            b.reset();
            byte[] raw = new byte[(int) b.getBodyLength()];
            b.readBytes(raw);
            return raw;
        }
        return text(m).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            return new String(bytes(b), StandardCharsets.UTF_8);
        }
        return m.getBody(String.class);
    }
}
