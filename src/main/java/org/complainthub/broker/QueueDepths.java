package org.complainthub.broker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code hub_queue_messages{queue}}: the messages waiting on each of the hub's queues (quarantine, dead outbound
 * requests, the desk's and the departments'), as the broker counts them. Asked with the core client's queue query
 * (any user may; O(1), unlike browsing), embedded or external broker alike, by {@link #refresh} in the background
 * (route hub-metrics-refresh): a scrape never waits for a broker that is away. While it is, the values are NaN.
 */
@Component
public class QueueDepths {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDepths.class);

    private final List<String> queues = new ArrayList<>();
    private final Map<String, Double> depths = new ConcurrentHashMap<>();
    private final String url;
    private final String user;
    private final String password;

    public QueueDepths(MeterRegistry registry, DepartmentNames departments,
                       @Value("${hub.queues.department-prefix}") String prefix,
                       @Value("${hub.queues.desk},${hub.queues.quarantine},${hub.queues.status},${hub.queues.events},${hub.queues.outbound-send},${hub.queues.outbound-dead},${hub.queues.escalations}") List<String> hubQueues,
                       @Value("${spring.artemis.broker-url}") String url,
                       @Value("${spring.artemis.user:#{null}}") String user,
                       @Value("${spring.artemis.password:#{null}}") String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        queues.addAll(hubQueues);
        departments.departments().stream().sorted().forEach(d -> queues.add(prefix + d));
        for (String q : queues) {
            depths.put(q, Double.NaN);
            Gauge.builder("hub.queue.messages", depths, d -> d.getOrDefault(q, Double.NaN)).tag("queue", q)
                    .description("Messages waiting on the hub's queue (NaN: the broker could not be asked)").register(registry);
        }
    }

    /**
     * Asks the broker for every queue's count over a connection of its own, closed again at once (one every
     * hub.metrics.refresh-ms: nothing left open over a broker restart or at shut-down). On any failure all are NaN
     * until the next refresh.
     */
    public void refresh() {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(user, password, false, true, true, false, 0)) {
            for (String q : queues) {
                ClientSession.QueueQuery query = session.queueQuery(SimpleString.of(q));
                depths.put(q, query.isExists() ? (double) query.getMessageCount() : Double.NaN);
            }
        } catch (Exception e) {
            LOG.debug("queue depths: the broker could not be asked: {}", e.toString());
            queues.forEach(q -> depths.put(q, Double.NaN));
        }
    }
}
