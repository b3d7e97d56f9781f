package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Telegram Bot API sendMessage: {@code POST /bot<token>/sendMessage {"chat_id": <chat id>, "text": ...}}. The bot
 * token is in the path (Telegram's way), so the path is never logged. No reply window: a bot may write to a chat
 * that wrote to it until the user blocks it (403, not retried).
 */
class TelegramReplies extends ChatPlatform {

    TelegramReplies(ChatSettings settings) {
        super("telegram", settings, false);
    }

    @Override
    public ChatRequest text(String handle, String text) {
        if (!handle.matches("-?\\d{1,20}")) {
            throw new ReplyRefused("the Telegram chat id is not a number");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", Long.parseLong(handle));
        body.put("text", text);
        body.put("link_preview_options", Map.of("is_disabled", true));
        return new ChatRequest("/bot" + settings().token() + "/sendMessage", null, null, body);
    }

    @Override
    public void check(int status, String body) {
        JsonNode answer = ChatPlatform.json(body);
        if (status >= 200 && status < 300 && answer.path("ok").asBoolean(false)) {
            return;
        }
        String what = "HTTP " + status + " " + ChatPlatform.said(answer.path("description").asText(""));
        if (status == 403) { // the bot was blocked, the user deactivated: Telegram will not let the bot write there
            throw new RecipientGone(name() + " did not take the message: " + what);
        }
        throw refusal(status == 200 ? 400 : status, what);
    }
}
