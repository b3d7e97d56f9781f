package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Meta's Send API for Messenger (the page's id) and Instagram (the professional account's id), with the page access
 * token as bearer: {@code POST /<sender id>/messages {"recipient": {"id": <PSID or IGSID>}, "messaging_type":
 * "RESPONSE", "message": {"text": ...}}}. Outside the 24-hour window only a message tag may be sent (e.g.
 * HUMAN_AGENT, 7 days, if the app was granted it): {@code "messaging_type": "MESSAGE_TAG", "tag": ...}.
 */
class GraphSendReplies extends ChatPlatform {

    /** Graph API error codes that mean "busy, try later" (often with HTTP 400): throttling and temporary errors. */
    private static final Set<Integer> TEMPORARY = Set.of(1, 2, 4, 17, 32, 613, 80007, 130429, 131016, 131056);

    GraphSendReplies(String name, ChatSettings settings) {
        super(name, settings, true);
    }

    /** The sender (page, account, phone number) is part of the path. */
    @Override
    public boolean configured() {
        return super.configured() && !settings().senderId().isEmpty();
    }

    @Override
    public ChatRequest text(String handle, String text) {
        return request(handle, "RESPONSE", null, text);
    }

    @Override
    public ChatRequest outsideWindow(String handle, String kind, String language, Map<String, Object> values, String text) {
        return request(handle, "MESSAGE_TAG", settings().templateFor(kind), text);
    }

    /** A POST to the sender's messages edge with the token as bearer. */
    ChatRequest post(Map<String, Object> body) {
        return new ChatRequest("/" + settings().senderId() + "/messages", null, "Bearer " + settings().token(), body);
    }

    private ChatRequest request(String handle, String messagingType, String tag, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recipient", Map.of("id", handle));
        body.put("messaging_type", messagingType);
        if (tag != null) {
            body.put("tag", tag);
        }
        body.put("message", Map.of("text", text));
        return post(body);
    }

    /** Graph API errors: {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}. */
    @Override
    public void check(int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        JsonNode error = ChatPlatform.json(body).path("error");
        int code = error.path("code").asInt(0);
        String what = "HTTP " + status + (code == 0 ? "" : ", code " + code) + " " + ChatPlatform.said(error.path("message").asText(""));
        if (code == 551) { // "This person isn't available right now": blocked the page, or the account is gone
            throw new RecipientGone(name() + " did not take the message: " + what);
        }
        throw refusal(TEMPORARY.contains(code) ? 503 : status, what);
    }
}
