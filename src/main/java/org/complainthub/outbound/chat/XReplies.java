package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * X API v2 direct message: {@code POST /2/dm_conversations/with/<user id>/messages {"text": ...}} with an OAuth 2.0
 * user-context bearer token of the brand account (scopes dm.write, dm.read, tweet.read, users.read). No reply window
 * (whether the customer accepts DMs is X's decision: a 403 is not retried).
 */
class XReplies extends ChatPlatform {

    XReplies(ChatSettings settings) {
        super("x", settings, false);
    }

    @Override
    public ChatRequest text(String handle, String text) {
        if (!handle.matches("\\d{1,20}")) { // it goes into the path
            throw new ReplyRefused("the X user id is not a number");
        }
        return new ChatRequest("/2/dm_conversations/with/" + handle + "/messages", null, "Bearer " + settings().token(),
                Map.of("text", text));
    }

    @Override
    public void check(int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        JsonNode answer = ChatPlatform.json(body);
        throw refusal(status, "HTTP " + status + " " + ChatPlatform.said(answer.path("detail").asText(answer.path("title").asText(""))));
    }
}
