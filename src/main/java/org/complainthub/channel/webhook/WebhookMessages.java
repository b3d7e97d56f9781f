package org.complainthub.channel.webhook;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.complainthub.HubProperties;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.web.JsonBodies;
import org.springframework.stereotype.Component;

/**
 * The customer messages in a verified webhook request. The platform's mapping file (mappings/<platform>.jsonata)
 * decides which events are complaints (echoes, receipts, reactions, status updates and bots are left out there) and
 * turns each into one neutral message: channel, sourceId, handle, name, phone, text, at (epoch milliseconds: JSONata's
 * date formatting costs more than the rest of a mapping), media [{url | id, type}],
 * editOf, event (the platform's own event, kept as the record's raw copy). An empty list is a request with nothing for
 * the hub, answered 200 all the same.
 */
@Component
public class WebhookMessages {

    private final HubProperties hub;
    private final IntakeMetrics metrics;
    private final Map<String, Jsonata> compiled = new ConcurrentHashMap<>();

    public WebhookMessages(HubProperties hub, IntakeMetrics metrics) {
        this.hub = hub;
        this.metrics = metrics;
    }

    public List<Map<String, Object>> extract(Exchange exchange, String platform, String mapping) {
        byte[] plain = exchange.getProperty(WebhookGate.PLAIN, byte[].class);
        Object payload = plain != null ? WebhookGate.parse(plain) : JsonBodies.object(exchange.getProperty(WebhookGate.BODY, byte[].class));
        Object out;
        try {
            out = compiled.computeIfAbsent(mapping, this::compile).evaluate(payload);
        } catch (JException e) {
            throw SubmissionRejected.of(400, "", "invalid", "the payload could not be read as " + platform + " events: " + e.getMessage());
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Object item : out == null ? List.of() : out instanceof List<?> many ? many : List.of(out)) {
            if (item instanceof Map<?, ?> fields) {
                Map<String, Object> message = new LinkedHashMap<>();
                fields.forEach((k, v) -> message.put(String.valueOf(k), v));
                if (message.get("at") instanceof Number millis) {
                    message.put("at", java.time.Instant.ofEpochMilli(millis.longValue()).toString());
                }
                messages.add(message);
            }
        }
        if (messages.isEmpty()) {
            metrics.count(platform, "ignored");
        }
        return messages;
    }

    private Jsonata compile(String mapping) {
        try {
            return Jsonata.jsonata(Files.readString(hub.mappingsDir().resolve(mapping), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping " + mapping, e);
        }
    }
}
