package org.complainthub.outbound.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WhatsApp Cloud API: {@code POST /<phone-number id>/messages} with the system-user token as bearer. Inside the
 * 24-hour customer-service window a text ({@code "type": "text"}); outside it only an approved template
 * ({@code "type": "template"}, name and language configured, body parameters from the message variables).
 */
class WhatsappReplies extends GraphSendReplies {

    WhatsappReplies(ChatSettings settings) {
        super("whatsapp", settings);
    }

    @Override
    public ChatRequest text(String handle, String text) {
        Map<String, Object> body = envelope(handle, "text");
        body.put("text", Map.of("preview_url", false, "body", text));
        return post(body);
    }

    @Override
    public ChatRequest outsideWindow(String handle, String kind, String language, Map<String, Object> values, String text) {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("name", settings().templateFor(kind));
        template.put("language", Map.of("code", settings().templateLanguage().getOrDefault(language, language)));
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (String variable : settings().fieldsFor(kind)) {
            Object value = values.get(variable.strip());
            parameters.add(Map.of("type", "text", "text", value == null || value.toString().isBlank() ? "-" : value.toString()));
        }
        if (!parameters.isEmpty()) {
            template.put("components", List.of(Map.of("type", "body", "parameters", parameters)));
        }
        Map<String, Object> body = envelope(handle, "template");
        body.put("template", template);
        return post(body);
    }

    private static Map<String, Object> envelope(String handle, String type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", handle);
        body.put("type", type);
        return body;
    }
}
