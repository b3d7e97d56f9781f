package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.complainthub.complaint.RecordJson;

/**
 * One platform's send API as a transport of the outbound path: the request shape for a free-form text, the one for
 * outside the reply window (a template message or a message tag), and how to read its answer.
 */
public abstract class ChatPlatform {

    private final String name;
    private final ChatSettings settings;
    private final boolean replyWindow;

    /** @param replyWindow whether the platform limits free-form replies to a time after the customer's last message */
    protected ChatPlatform(String name, ChatSettings settings, boolean replyWindow) {
        this.name = name;
        this.settings = settings;
        this.replyWindow = replyWindow;
    }

    /** The channel and transport name: wechat, messenger, instagram, whatsapp, telegram, slack, x. */
    public String name() {
        return name;
    }

    public ChatSettings settings() {
        return settings;
    }

    /** Base URL and credentials are set: the transport is on. */
    public boolean configured() {
        return !settings.baseUrl().isEmpty() && !settings.token().isEmpty();
    }

    /** Free-form replies are allowed this long after the customer's last message; null: no limit. */
    public Duration replyWindow() {
        return replyWindow ? settings.replyWindow() : null;
    }

    /** Whether a message of this kind can still reach the customer once the window has closed. */
    public boolean reachesOutsideWindow(String kind) {
        return settings.templateFor(kind) != null;
    }

    /** A free-form text to the customer's platform id. */
    public abstract ChatRequest text(String handle, String text);

    /** The template message (or tagged message) for outside the window. */
    public ChatRequest outsideWindow(String handle, String kind, String language, Map<String, Object> values, String text) {
        throw new ReplyRefused(name() + " has no reply window");
    }

    /**
     * Reads the answer: returns when the platform took the message, throws {@link ReplyNotDelivered} when trying
     * again may work, {@link ReplyRefused} when it will not.
     */
    public void check(int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        throw refusal(status, "HTTP " + status);
    }

    /** 408, 429 and 5xx pass; any other refusal will not change by trying again. */
    protected RuntimeException refusal(int status, String what) {
        String message = name() + " did not take the message: " + what;
        return status == 408 || status == 429 || status >= 500 || status <= 0
                ? new ReplyNotDelivered(message) : new ReplyRefused(message);
    }

    /** The answer as JSON, or an empty object when it is not JSON (a proxy's error page). */
    static JsonNode json(String body) {
        try {
            JsonNode n = RecordJson.MAPPER.readTree(body == null ? "" : body);
            return n == null ? RecordJson.MAPPER.createObjectNode() : n;
        } catch (Exception e) {
            return RecordJson.MAPPER.createObjectNode();
        }
    }

    /** A platform's own error text, on one line and short: it goes into logs and the dead letter's reason. */
    static String said(String text) {
        String s = text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
