package org.complainthub.ops;

import jakarta.jms.JMSException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * {@code /actuator/quarantine} on the management port (loopback only unless opened, management.server.address), every
 * request with {@code Authorization: Bearer <token>} ({@link ManagementToken}):
 * <ul>
 * <li>{@code GET ?channel=&limit=}: what is on complaints.quarantine, counted per channel and reason, and the first
 * {@code limit} messages (default 100): JMS id, channel, source id fingerprint, reason (addresses and numbers masked),
 * time, replays, whether it can be replayed and the complaint its source message already is;</li>
 * <li>{@code POST {"ids": "ID:...,ID:..."}} (comma-separated: Spring's actuator takes string values only) or
 * {@code POST {"channel": "email"}}: replays those messages, or every message of the channel, through intake with the mappings, rules and settings the hub runs with now ({@link QuarantineReplay});
 * the answer lists each message's outcome.</li>
 * </ul>
 * The {@code quarantine} command of the hub's jar is a client of this endpoint.
 */
@Component
@WebEndpoint(id = "quarantine")
public class QuarantineEndpoint {

    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;

    private final QuarantineReplay replay;
    private final ManagementToken token;

    public QuarantineEndpoint(QuarantineReplay replay, ManagementToken token) {
        this.replay = replay;
        this.token = token;
    }

    @ReadOperation
    public WebEndpointResponse<Object> list(@Nullable String channel, @Nullable Integer limit) throws JMSException {
        WebEndpointResponse<Object> refused = refused(channel);
        if (refused != null) {
            return refused;
        }
        int max = limit == null ? DEFAULT_LIMIT : Math.max(0, Math.min(limit, MAX_LIMIT));
        QuarantineReplay.Listing listing = replay.list(channel, max);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", listing.total());
        Map<String, Object> channels = new TreeMap<>();
        listing.byChannel().forEach((c, n) -> channels.put(c, Map.of("count", n, "reasons", listing.reasonsByChannel().get(c))));
        body.put("channels", channels);
        body.put("messages", listing.messages());
        return new WebEndpointResponse<>(body, 200);
    }

    @WriteOperation
    public WebEndpointResponse<Object> replay(@Nullable String ids, @Nullable String channel) throws JMSException {
        WebEndpointResponse<Object> refused = refused(channel);
        if (refused != null) {
            return refused;
        }
        List<String> chosen = ids == null ? List.of()
                : Arrays.stream(ids.split("[,\\s]+")).filter(id -> !id.isEmpty()).distinct().toList();
        if (chosen.isEmpty() == (channel == null)) {
            return error(400, "give either ids (JMS message ids from the listing, separated by commas) or a channel");
        }
        List<QuarantineReplay.Result> results = chosen.isEmpty() ? replay.replayChannel(channel) : replay.replay(chosen);
        Map<String, Integer> outcomes = new TreeMap<>();
        results.forEach(r -> outcomes.merge(r.outcome(), 1, Integer::sum));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replayed", results.size());
        body.put("outcomes", outcomes);
        body.put("results", results);
        return new WebEndpointResponse<>(body, 200);
    }

    /** 401 without the token, 400 for a channel that is no channel name; null when the request may go on. */
    private WebEndpointResponse<Object> refused(String channel) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
                || !token.accepts(authorization(attributes.getRequest()))) {
            return error(401, "Authorization: Bearer <management token> required (hub.management.token, or the file "
                    + ManagementToken.FILE + " under the hub's data directory)");
        }
        if (channel != null && !CHANNEL.matcher(channel).matches()) {
            return error(400, "not a channel name: " + QuarantinedMessage.mask(channel));
        }
        return null;
    }

    private static String authorization(HttpServletRequest request) {
        return request.getHeader("Authorization");
    }

    private static WebEndpointResponse<Object> error(int status, String message) {
        return new WebEndpointResponse<>(Map.of("error", message), status);
    }
}
