package org.complainthub.channel.webhook;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.HubProperties;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.web.JsonBodies;
import org.springframework.stereotype.Component;

/**
 * The customer messages in a verified webhook request, its body read as the platform's format says
 * (hub.webhooks.<platform>.format: json, xml, or form for application/x-www-form-urlencoded; WeChat's decrypted or
 * plain XML whatever the format). The platform's mapping file (hub.webhooks.<platform>.mapping, default
 * mappings/<platform>.jsonata) decides which events are complaints (echoes, receipts, reactions, status updates and
 * bots are left out there) and turns each into one neutral message: channel, sourceId, handle, name, phone, text, at
 * (epoch milliseconds: JSONata's date formatting costs more than the rest of a mapping), media [{url | id, type}],
 * editOf, event (the platform's own event, kept as the record's raw copy). An empty list is a request with nothing for
 * the hub, answered 200 all the same.
 */
@Component
public class WebhookMessages {

    private static final java.util.regex.Pattern CHARSET = java.util.regex.Pattern.compile("(?i)charset=\"?([A-Za-z0-9._:-]+)");

    private final HubProperties hub;
    private final WebhookSettings settings;
    private final IntakeMetrics metrics;
    private final Map<String, Jsonata> compiled = new ConcurrentHashMap<>();

    public WebhookMessages(HubProperties hub, WebhookSettings settings, IntakeMetrics metrics) {
        this.hub = hub;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The customer messages of the request, by the platform's mapping (hub.webhooks.<platform>.mapping). */
    public List<Map<String, Object>> extract(Exchange exchange, String platform) {
        String mapping = settings.mapping(platform);
        byte[] plain = exchange.getProperty(HubExchange.WEBHOOK_PLAIN, byte[].class);
        byte[] body = exchange.getProperty(HubExchange.WEBHOOK_BODY, byte[].class);
        Object payload = plain != null ? WebhookGate.parse(plain) : switch (settings.format(platform)) {
            case "xml" -> WebhookGate.parse(body);
            case "form" -> form(body, exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class));
            default -> JsonBodies.object(body);
        };
        Object out;
        try {
            out = compiled.computeIfAbsent(mapping, this::compile).evaluate(payload);
        } catch (JException | NumberFormatException | ClassCastException e) {
            // JSONata's own functions throw plain Java exceptions too ($number("yesterday"): NumberFormatException);
            // either way it is this payload that cannot be read, not the hub that failed (no 500)
            throw SubmissionRejected.of(400, "", "invalid", "the payload could not be read as " + platform + " events: " + e.getMessage());
        }
        List<Map<String, Object>> messages = messages(out);
        if (messages.isEmpty()) {
            metrics.count(platform, "ignored");
        }
        return messages;
    }

    /**
     * What a platform's mapping gave, as the list of its neutral messages: objects only, {@code at} (epoch milliseconds)
     * as an ISO instant. The try command reads a sample request with this too.
     */
    public static List<Map<String, Object>> messages(Object out) {
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
        return messages;
    }

    /**
     * An application/x-www-form-urlencoded body as field → value, decoded in the charset its Content-Type names (else
     * UTF-8), strictly (bytes not in that charset are a 400); a field sent twice counts as its first value, as in a query.
     */
    static Map<String, Object> form(byte[] body, String contentType) {
        Charset charset = StandardCharsets.UTF_8;
        java.util.regex.Matcher m = CHARSET.matcher(contentType == null ? "" : contentType);
        if (m.find()) {
            try {
                charset = Charset.forName(m.group(1));
            } catch (IllegalArgumentException e) {
                throw SubmissionRejected.of(415, "", "unsupported_type", "unknown charset " + m.group(1));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            for (String pair : new String(body, charset).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
                if (k.indexOf('\uFFFD') >= 0 || v.indexOf('\uFFFD') >= 0) {
                    // bytes that are not in the charset (GBK sent as UTF-8): the text would be replacement marks
                    throw SubmissionRejected.of(400, "", "invalid", "the form is not valid " + charset.name()
                            + " text: name its charset in the Content-Type");
                }
                fields.putIfAbsent(k, v);
            }
        } catch (IllegalArgumentException e) {
            throw SubmissionRejected.of(400, "", "invalid", "the body is not a valid form: " + e.getMessage());
        }
        if (fields.isEmpty()) {
            throw SubmissionRejected.of(400, "", "invalid", "the form has no fields");
        }
        return fields;
    }

    private Jsonata compile(String mapping) {
        try {
            return Jsonata.jsonata(Files.readString(hub.mappingsDir().resolve(mapping), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping " + mapping, e);
        }
    }
}
