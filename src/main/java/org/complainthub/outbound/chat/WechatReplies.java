package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * WeChat Official Account: a customer-service message ({@code POST /cgi-bin/message/custom/send?access_token=...},
 * {"touser": openid, "msgtype": "text", "text": {"content": ...}}) within 48 hours of the customer's last message;
 * after that a template message ({@code /cgi-bin/message/template/send}, template_id, a link, and the data fields
 * configured from the message variables). WeChat answers HTTP 200 with errcode != 0 on errors.
 */
class WechatReplies extends ChatPlatform {

    /** -1 busy, 45009 the day's quota: try later. 40001, 40014, 42001: the token is invalid or expired. */
    private static final Set<Integer> TEMPORARY = Set.of(-1, 45009);
    private static final Set<Integer> TOKEN = Set.of(40001, 40014, 42001);
    private static final Set<Integer> GONE = Set.of(43004, 40003);

    private final WechatAccessToken token;

    WechatReplies(ChatSettings settings, WechatAccessToken token) {
        super("wechat", settings, true);
        this.token = token;
    }

    /** WeChat has no long-lived token: it is fetched with the app id and secret. */
    @Override
    public boolean configured() {
        return !settings().baseUrl().isEmpty() && !settings().appId().isEmpty() && !settings().appSecret().isEmpty();
    }

    @Override
    public ChatRequest text(String handle, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("touser", handle);
        body.put("msgtype", "text");
        body.put("text", Map.of("content", text));
        return new ChatRequest("/cgi-bin/message/custom/send", "access_token=" + token.get(), null, body);
    }

    @Override
    public ChatRequest outsideWindow(String handle, String kind, String language, Map<String, Object> values, String text) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String field : settings().fieldsFor(kind)) {
            String[] nameAndVariable = field.split(":", 2);
            String name = nameAndVariable[0].strip();
            Object value = values.get((nameAndVariable.length == 2 ? nameAndVariable[1] : name).strip());
            data.put(name, Map.of("value", value == null ? "" : value.toString()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("touser", handle);
        body.put("template_id", settings().templateFor(kind));
        Object link = values.get("thanks".equals(kind) ? "satisfactionUrl" : "statusUrl");
        if (link != null) {
            body.put("url", link);
        }
        body.put("data", data);
        return new ChatRequest("/cgi-bin/message/template/send", "access_token=" + token.get(), null, body);
    }

    @Override
    public void check(int status, String body) {
        if (status < 200 || status >= 300) {
            throw refusal(status, "HTTP " + status);
        }
        JsonNode answer = ChatPlatform.json(body);
        int errcode = answer.path("errcode").asInt(0);
        if (errcode == 0) {
            return;
        }
        String what = "errcode " + errcode + " " + ChatPlatform.said(answer.path("errmsg").asText(""));
        if (TOKEN.contains(errcode)) {
            token.invalidate();
            throw new ReplyNotDelivered(name() + " did not take the message: " + what + " (a new token is fetched)");
        }
        if (GONE.contains(errcode)) { // 43004: the customer unfollowed; 40003: not an openid of this account
            throw new RecipientGone(name() + " did not take the message: " + what);
        }
        // 45015: the 48-hour window closed
        throw refusal(TEMPORARY.contains(errcode) ? 503 : 400, what);
    }
}
