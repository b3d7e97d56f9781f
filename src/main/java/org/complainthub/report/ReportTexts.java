package org.complainthub.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.complainthub.HubProperties;
import org.complainthub.outbound.MessageTemplates;
import org.springframework.stereotype.Component;

/**
 * The report's words in zh and en: mappings/templates/report/report-text.yaml, and the departments' names of
 * messages/texts.yaml (the ones the customers' messages use). A name that is missing shows the stored value.
 */
@Component
public class ReportTexts {

    public static final List<String> LANGUAGES = List.of("zh", "en");

    private final JsonNode texts;
    private final MessageTemplates messages;

    public ReportTexts(HubProperties hub, MessageTemplates messages) {
        this.messages = messages;
        Path file = hub.mappingsDir().resolve("templates/report/report-text.yaml");
        try {
            texts = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        for (String lang : LANGUAGES) {
            if (!texts.path(lang).path("page").isObject()) {
                throw new IllegalStateException(file + ": " + lang + ".page is missing");
            }
        }
        Set<String> zh = keys(texts.path("zh"), "");
        Set<String> en = keys(texts.path("en"), "");
        if (!zh.equals(en)) {
            Set<String> onlyZh = new TreeSet<>(zh);
            onlyZh.removeAll(en);
            Set<String> onlyEn = new TreeSet<>(en);
            onlyEn.removeAll(zh);
            throw new IllegalStateException(file + ": every text in both languages; only under zh: " + onlyZh
                    + ", only under en: " + onlyEn);
        }
    }

    private static Set<String> keys(JsonNode node, String at) {
        Set<String> out = new TreeSet<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                out.addAll(keys(e.getValue(), at + e.getKey() + "."));
            } else {
                out.add(at + e.getKey());
            }
        });
        return out;
    }

    /** A text ("columns.complaints", "channels.email"), or {@code orElse} when there is none. */
    public String text(String lang, String dottedKey, String orElse) {
        JsonNode at = texts.path(lang);
        for (String k : dottedKey.split("\\.", 2)) {
            at = at.path(k);
        }
        return at.isValueNode() ? at.asText() : orElse;
    }

    public String text(String lang, String dottedKey) {
        return text(lang, dottedKey, dottedKey);
    }

    public String department(String lang, String department) {
        String name = messages.text(lang, "departments." + department);
        return name.equals("departments." + department) ? department : name;
    }

    /** The texts of a language as a tree for the page's template (t.page.title ...). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> all(String lang) {
        return new ObjectMapper().convertValue(texts.path(lang), Map.class);
    }
}
