package org.complainthub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.complainthub.HubProperties;
import org.springframework.stereotype.Component;

/**
 * The messages customers receive, from mappings/templates/messages/{@code <kind>.<part>.<lang>.mustache} (kind ack,
 * overdue, thanks, progress, reopened; part email-subject, email-body, sms, chat (the social platforms); lang zh, en) and texts.yaml. Read and compiled at start-up:
 * an operator edits them and restarts, no rebuild. Plain text: nothing is HTML-escaped.
 */
@Component
public class MessageTemplates {

    public static final List<String> KINDS = List.of("ack", "overdue", "thanks", "progress", "reopened");
    public static final List<String> PARTS = List.of("email-subject", "email-body", "sms", "chat");
    public static final List<String> LANGUAGES = List.of("zh", "en");

    private final Map<String, Mustache> templates = new HashMap<>();
    private final JsonNode texts;

    public MessageTemplates(HubProperties hub) {
        Path dir = hub.mappingsDir().resolve("templates/messages");
        DefaultMustacheFactory plain = new DefaultMustacheFactory() {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        for (String kind : KINDS) {
            for (String part : PARTS) {
                for (String lang : LANGUAGES) {
                    String name = kind + "." + part + "." + lang + ".mustache";
                    Path file = dir.resolve(name);
                    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        templates.put(name, plain.compile(r, name));
                    } catch (IOException e) {
                        throw new IllegalStateException("message template " + file + " is missing or unreadable", e);
                    }
                }
            }
        }
        try {
            texts = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("texts.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir.resolve("texts.yaml"), e);
        }
        for (String lang : LANGUAGES) {
            if (texts.path(lang).path("dueAtFormat").isMissingNode()) {
                throw new IllegalStateException(dir.resolve("texts.yaml") + ": " + lang + ".dueAtFormat is missing");
            }
        }
    }

    public String render(OutboundRequest.Kind kind, String part, String lang, Map<String, Object> model) {
        Mustache m = templates.get(kind.name().toLowerCase() + "." + part + "." + lang(lang) + ".mustache");
        StringWriter out = new StringWriter();
        m.execute(out, model);
        return out.toString().strip();
    }

    /** A text of texts.yaml for that language ("organisation", "departments.quality"), or the key itself. */
    public String text(String lang, String dottedKey) {
        JsonNode at = texts.path(lang(lang));
        for (String k : dottedKey.split("\\.")) {
            at = at.path(k);
        }
        return at.isTextual() ? at.asText() : dottedKey;
    }

    /** The locale texts.yaml names for a language (month names in dates). */
    public java.util.Locale locale(String lang) {
        return java.util.Locale.forLanguageTag(text(lang, "locale"));
    }

    private static String lang(String lang) {
        return "en".equals(lang) ? "en" : "zh";
    }
}
