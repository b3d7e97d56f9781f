package org.complainthub.broker;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.complainthub.complaint.RecordJson;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/queues}: what waits on the hub's queues, without taking anything off them (a JMS queue browser,
 * so it works the same on the embedded and on an external broker). It shows customers' data: the management port
 * listens on loopback only unless an operator opens it (management.server.address).
 */
@Component
@Endpoint(id = "queues")
public class QueuesEndpoint {

    private static final int COUNT_LIMIT = 10_000;

    private final JmsTemplate jms;
    private final DepartmentNames departments;
    private final String prefix;
    private final List<String> hubQueues;

    public QueuesEndpoint(JmsTemplate jms, DepartmentNames departments,
                          @Value("${hub.queues.department-prefix}") String prefix,
                          @Value("${hub.queues.desk},${hub.queues.quarantine},${hub.queues.status},${hub.queues.events},${hub.queues.outbound-send},${hub.queues.outbound-dead}") List<String> hubQueues) {
        this.jms = jms;
        this.departments = departments;
        this.prefix = prefix;
        this.hubQueues = hubQueues;
    }

    /** Every hub queue with the number of messages waiting (counted up to 10,000). */
    @ReadOperation
    public Map<String, Object> queues() {
        Map<String, Object> depths = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(hubQueues);
        departments.departments().stream().sorted().forEach(d -> names.add(prefix + d));
        for (String q : names) {
            Integer n = jms.browse(q, (session, browser) -> {
                int count = 0;
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements() && count < COUNT_LIMIT; e.nextElement()) {
                    count++;
                }
                return count;
            });
            depths.put(q, n != null && n >= COUNT_LIMIT ? COUNT_LIMIT + "+" : n);
        }
        return depths;
    }

    /** The first {@code limit} (default 20, at most 500) messages of one queue: properties and record. */
    @ReadOperation
    public List<Map<String, Object>> queue(@Selector String name, @Nullable Integer limit) {
        if (!name.startsWith(prefix) && !hubQueues.contains(name)) {
            throw new InvalidEndpointRequestException("not a hub queue: " + name, "not a hub queue");
        }
        int max = limit == null ? 20 : Math.max(1, Math.min(limit, 500));
        List<Map<String, Object>> out = jms.browse(name, (session, browser) -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements() && list.size() < max; ) {
                list.add(describe((Message) e.nextElement()));
            }
            return list;
        });
        return out == null ? List.of() : out;
    }

    private static Map<String, Object> describe(Message m) throws JMSException {
        Map<String, Object> entry = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Object p : Collections.list(m.getPropertyNames())) {
            String key = p.toString();
            if (!key.startsWith("_AMQ") && !key.startsWith("JMSX")) {
                properties.put(key, m.getObjectProperty(key));
            }
        }
        entry.put("messageId", m.getJMSMessageID());
        entry.put("timestamp", m.getJMSTimestamp());
        entry.put("properties", properties);
        if (m instanceof TextMessage text) {
            try {
                JsonNode body = RecordJson.MAPPER.readTree(text.getText());
                entry.put("body", body);
            } catch (IOException notJson) {
                entry.put("body", text.getText());
            }
        }
        return entry;
    }
}
