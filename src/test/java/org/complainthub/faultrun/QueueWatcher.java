package org.complainthub.faultrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Takes every message off one queue as the service desk would, for the whole run, through broker restarts (it
 * reconnects), and remembers which run markers each message carried. A message the broker delivers again after a
 * restart (its acknowledgement was lost with the connection) has the same JMSMessageID, so it is counted once: what
 * is left as a duplicate is a marker on two different messages, i.e. the hub sent the complaint twice.
 */
final class QueueWatcher implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message a marker was found in. */
    record Seen(String messageId, String complaintId) {
    }

    private final String queue;
    private final String url;
    private final Pattern markers;
    private final Map<String, Set<Seen>> byMarker = new ConcurrentHashMap<>();
    private final Set<String> messageIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong withoutMarker = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final List<String> strays = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long lastMessageAt = System.nanoTime();
    private Thread thread;

    QueueWatcher(String queue, String url, Pattern markers) {
        this.queue = queue;
        this.url = url;
        this.markers = markers;
    }

    QueueWatcher start() {
        thread = new Thread(this, "watch-" + queue);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void run() {
        while (running) {
            try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url, ExternalArtemis.USER, ExternalArtemis.PASSWORD);
                 Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                while (running) {
                    Message m = consumer.receive(500);
                    if (m != null) {
                        take(m);
                    }
                }
            } catch (Exception e) {
                reconnects.incrementAndGet();
                sleep(500);
            }
        }
    }

    private void take(Message m) throws Exception {
        lastMessageAt = System.nanoTime();
        if (!messageIds.add(m.getJMSMessageID())) {
            return; // delivered again after a broker restart: the same message
        }
        received.incrementAndGet();
        String text;
        if (m instanceof TextMessage t) {
            text = t.getText();
        } else if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } else {
            text = String.valueOf(m);
        }
        String complaintId = null;
        if (text != null && text.startsWith("{")) {
            try {
                JsonNode record = JSON.readTree(text);
                complaintId = record.path("id").asText(null);
            } catch (Exception notJson) {
                // quarantined raw bytes that look like JSON: the markers still count
            }
        }
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = markers.matcher(text == null ? "" : text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        if (found.isEmpty()) {
            withoutMarker.incrementAndGet();
            synchronized (strays) {
                if (strays.size() < 5) {
                    strays.add(text == null ? "(no body)" : text.substring(0, Math.min(300, text.length())));
                }
            }
        }
        Seen seen = new Seen(m.getJMSMessageID(), complaintId);
        for (String marker : found) {
            byMarker.computeIfAbsent(marker, k -> ConcurrentHashMap.newKeySet()).add(seen);
        }
    }

    String queue() {
        return queue;
    }

    /** Marker -> the distinct messages it was found in. */
    Map<String, Set<Seen>> byMarker() {
        return byMarker;
    }

    long received() {
        return received.get();
    }

    long withoutMarker() {
        return withoutMarker.get();
    }

    List<String> strays() {
        synchronized (strays) {
            return List.copyOf(strays);
        }
    }

    long reconnects() {
        return reconnects.get();
    }

    /** Nanoseconds since the last message came (for the drain: nothing more is arriving). */
    long idleNanos() {
        return System.nanoTime() - lastMessageAt;
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
