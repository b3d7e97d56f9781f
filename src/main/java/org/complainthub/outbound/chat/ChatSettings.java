package org.complainthub.outbound.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One platform's reply settings, {@code hub.outbound.<platform>.*} (channel-config/<platform>/replies.properties).
 *
 * @param baseUrl        the platform's API root (a local server in tests), e.g. https://graph.facebook.com/v21.0
 * @param token          the bearer or bot token (from the environment); WeChat fetches its own from appId/appSecret
 * @param refreshToken   X: the OAuth 2.0 refresh token to renew the user token with (appId: the client id, appSecret:
 *                       the client secret of a confidential client); empty: the token is used as it is
 * @param senderId       Messenger page id, Instagram account id, WhatsApp phone-number id
 * @param appId          WeChat appid
 * @param appSecret      WeChat appsecret (from the environment)
 * @param replyWindow    how long after the customer's last message a free-form reply is allowed; empty: no window
 * @param template       per kind (ack, overdue, thanks): what to send outside the window: the WeChat template_id, the
 *                       WhatsApp template name, the Messenger/Instagram message tag; empty: fall back to another contact
 * @param templateLanguage per customer language (zh, en): the WhatsApp template's language code
 * @param templateFields per kind: the template's fields, from the message variables: WhatsApp body parameters in
 *                       order ({@code reference,satisfactionUrl}), WeChat data fields ({@code character_string1:reference})
 */
public record ChatSettings(String baseUrl, String token, String refreshToken, String senderId, String appId, String appSecret,
                           Duration replyWindow, Map<String, String> template, Map<String, String> templateLanguage,
                           Map<String, List<String>> templateFields) {

    public ChatSettings {
        baseUrl = baseUrl == null ? "" : baseUrl.strip().replaceAll("/+$", "");
        token = blankToEmpty(token);
        refreshToken = blankToEmpty(refreshToken);
        senderId = blankToEmpty(senderId);
        appId = blankToEmpty(appId);
        appSecret = blankToEmpty(appSecret);
        template = template == null ? Map.of() : template;
        templateLanguage = templateLanguage == null ? Map.of() : templateLanguage;
        templateFields = templateFields == null ? Map.of() : templateFields;
    }

    /** The template (or tag) for a kind of message outside the window, or null. */
    public String templateFor(String kind) {
        String t = template.get(kind);
        return t == null || t.isBlank() ? null : t.strip();
    }

    public List<String> fieldsFor(String kind) {
        return templateFields.getOrDefault(kind, List.of());
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
