package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Slack chat.postMessage with the bot token: {@code POST /api/chat.postMessage {"channel": <user id>, "text": ...}};
 * a user id as channel posts to the app's direct-message conversation with that user. Slack answers HTTP 200 with
 * {@code "ok": false} on errors: only its temporary ones are tried again. No reply window.
 */
class SlackReplies extends ChatPlatform {

    private static final Set<String> TEMPORARY = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout");

    SlackReplies(ChatSettings settings) {
        super("slack", settings, false);
    }

    @Override
    public ChatRequest text(String handle, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", handle);
        body.put("text", text);
        body.put("unfurl_links", false);
        return new ChatRequest("/api/chat.postMessage", null, "Bearer " + settings().token(), body);
    }

    @Override
    public void check(int status, String body) {
        if (status < 200 || status >= 300) {
            throw refusal(status, "HTTP " + status);
        }
        JsonNode answer = ChatPlatform.json(body);
        if (answer.path("ok").asBoolean(false)) {
            return;
        }
        String error = ChatPlatform.said(answer.path("error").asText("no ok in the answer"));
        throw refusal(TEMPORARY.contains(error) ? 503 : 400, error);
    }
}
