package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * X API v2 direct message: {@code POST /2/dm_conversations/with/<user id>/messages {"text": ...}} with an OAuth 2.0
 * user-context bearer token of the brand account (scopes dm.write, dm.read, tweet.read, users.read; offline.access
 * to refresh it: {@link XAccessToken}). No reply window
 * (whether the customer accepts DMs is X's decision: a 403 is not retried).
 */
class XReplies extends ChatPlatform {

    private final XAccessToken token;

    XReplies(ChatSettings settings, XAccessToken token) {
        super("x", settings, false);
        this.token = token;
    }

    @Override
    public boolean configured() {
        return !settings().baseUrl().isEmpty() && (!settings().token().isEmpty() || token.refreshing());
    }

    @Override
    public ChatRequest text(String handle, String text) {
        if (!handle.matches("\\d{1,20}")) { // it goes into the path
            throw new ReplyRefused("the X user id is not a number");
        }
        return new ChatRequest("/2/dm_conversations/with/" + handle + "/messages", null, "Bearer " + token.get(),
                Map.of("text", text));
    }

    @Override
    public void check(int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        JsonNode answer = ChatPlatform.json(body);
        if (status == 401 && token.refreshing()) { // expired or revoked: the next try refreshes it
            token.invalidate();
            throw new ReplyNotDelivered(name() + " did not take the message: HTTP 401 (the token is refreshed)");
        }
        throw refusal(status, "HTTP " + status + " " + ChatPlatform.said(answer.path("detail").asText(answer.path("title").asText(""))));
    }
}
