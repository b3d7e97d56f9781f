package org.complainthub.webform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Demand;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The customer-facing complaint form (GET /), in Chinese and English.
 * <p>
 * At start-up it compiles {@code templates/webform/form.mustache} and loads the wording from
 * {@code templates/webform/form-text.yaml}, both under {@code hub.mappings-dir}, and refuses to start if either is
 * missing, if a key is in one language but not the other, or if the template uses a key the texts do not have: a
 * wording mistake must show up when IT restarts the hub, not as an empty label in front of a customer.
 * The page posts to {@code complaints} (relative to the page) as multipart/form-data.
 */
@Component
public class FormPage {

    public static final List<String> LANGUAGES = List.of("zh", "en");
    static final String TEMPLATE = "templates/webform/form.mustache";
    static final String TEXTS = "templates/webform/form-text.yaml";

    // {{t.a.b}}, {{#t.a}}, {{{t.a}}}: the texts the template reads
    private static final Pattern TEMPLATE_KEY = Pattern.compile("\\{\\{\\{?\\s*[#^/&]?\\s*t\\.([^\\s}]+)\\s*}?}}");
    // T.a.b in the page's script (T is the texts object); computed look-ups like T.fields[id] are checked up to the [
    private static final Pattern SCRIPT_KEY = Pattern.compile("(?<![\\w$.])T((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String defaultLanguage;
    private final SubmissionKeys keys;
    private final Mustache template;
    private final Map<String, Map<String, Object>> scopes = new LinkedHashMap<>();

    /** A page without a token: each rendering as the others (tests of the page's wording and layout). */
    public FormPage(String mappingsDir, String defaultLanguage, int maxAttachments, long maxAttachmentBytes, String timeZone) {
        this(mappingsDir, defaultLanguage, maxAttachments, maxAttachmentBytes, timeZone, null);
    }

    /** The hub's page: each rendering carries a fresh one-time token ({@link SubmissionKeys}). */
    @org.springframework.beans.factory.annotation.Autowired
    public FormPage(@Value("${hub.mappings-dir:mappings}") String mappingsDir,
                    @Value("${hub.webform.default-language:zh}") String defaultLanguage,
                    @Value("${hub.webform.max-attachments:5}") int maxAttachments,
                    @Value("${hub.webform.max-attachment-bytes:10485760}") long maxAttachmentBytes,
                    @Value("${hub.time-zone:Asia/Shanghai}") String timeZone,
                    SubmissionKeys keys) {
        this.keys = keys;
        if (!LANGUAGES.contains(defaultLanguage)) {
            throw new IllegalStateException("hub.webform.default-language must be one of " + LANGUAGES
                    + ", not '" + defaultLanguage + "'");
        }
        if (maxAttachments < 0) {
            throw new IllegalStateException("hub.webform.max-attachments must be 0 or more, not " + maxAttachments);
        }
        if (maxAttachmentBytes <= 0) {
            throw new IllegalStateException("hub.webform.max-attachment-bytes must be positive, not "
                    + maxAttachmentBytes);
        }
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalStateException("hub.time-zone is not a time zone id: '" + timeZone + "'", e);
        }
        this.defaultLanguage = defaultLanguage;

        Path textsFile = Path.of(mappingsDir).resolve(TEXTS);
        Path templateFile = Path.of(mappingsDir).resolve(TEMPLATE);
        Map<String, Map<String, Object>> texts = loadTexts(textsFile);
        String templateText = read(templateFile, "the web form template");
        checkTemplateKeys(templateFile, templateText, texts);
        try {
            this.template = new DefaultMustacheFactory().compile(new StringReader(templateText), templateFile.toString());
        } catch (MustacheException e) {
            throw new IllegalStateException("Web form template " + templateFile + " does not compile: "
                    + e.getMessage(), e);
        }

        Map<String, String> fill = Map.of(
                "{maxAttachments}", Integer.toString(maxAttachments),
                "{maxAttachmentSize}", humanSize(maxAttachmentBytes));
        for (String lang : LANGUAGES) {
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) fillIn(texts.get(lang), fill);
            scopes.put(lang, scope(lang, t, texts, maxAttachments, maxAttachmentBytes, timeZone));
        }
    }

    /**
     * The page in the language {@link #language} picks, with a fresh one-time token (the hidden field formToken) when
     * the hub issues them. Safe to call from many threads.
     */
    public String render(String acceptLanguage, String langParam) {
        StringWriter out = new StringWriter(32 * 1024);
        Map<String, Object> thisPage = keys == null ? Map.of() : Map.of("formToken", keys.issue());
        template.execute(out, List.of(thisPage, scopes.get(language(acceptLanguage, langParam))));
        return out.toString();
    }

    /**
     * {@code zh} or {@code en}: an explicit {@code lang} parameter wins, then the first of zh* / en* in the
     * Accept-Language header by q-value (ties in header order), then {@code hub.webform.default-language}.
     * The server should answer with {@code Content-Language} set to this and {@code Vary: Accept-Language}.
     */
    public String language(String acceptLanguage, String langParam) {
        String chosen = supported(langParam);
        if (chosen != null) {
            return chosen;
        }
        if (acceptLanguage != null) {
            record Range(String lang, double q, int position) { }
            List<Range> ranges = new ArrayList<>();
            String[] items = acceptLanguage.split(",");
            for (int i = 0; i < items.length && i < 50; i++) {
                String[] parts = items[i].split(";");
                double q = 1.0;
                for (int p = 1; p < parts.length; p++) {
                    String param = parts[p].trim();
                    if (param.regionMatches(true, 0, "q=", 0, 2)) {
                        try {
                            q = Double.parseDouble(param.substring(2).trim());
                        } catch (NumberFormatException e) {
                            q = 0; // a malformed weight: ignore that range rather than guess
                        }
                    }
                }
                String lang = supported(parts[0]);
                if (lang != null && q > 0) {
                    ranges.add(new Range(lang, q, i));
                }
            }
            ranges.sort((a, b) -> a.q() != b.q() ? Double.compare(b.q(), a.q()) : Integer.compare(a.position(), b.position()));
            if (!ranges.isEmpty()) {
                return ranges.get(0).lang();
            }
        }
        return defaultLanguage;
    }

    /** zh for zh, zh-CN, zh-Hant-TW...; en for en, en-GB...; null for anything else. */
    private static String supported(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        for (String lang : LANGUAGES) {
            if (t.equals(lang) || t.startsWith(lang + "-") || t.startsWith(lang + "_")) {
                return lang;
            }
        }
        return null;
    }

    private static Map<String, Object> scope(String lang, Map<String, Object> t, Map<String, Map<String, Object>> all,
                                             int maxAttachments, long maxAttachmentBytes, String timeZone) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("lang", lang);
        scope.put("t", t);
        scope.put("types", options(t, "types", ComplaintType.values()));
        scope.put("demands", options(t, "demands", Demand.values()));
        List<Map<String, Object>> languages = new ArrayList<>();
        for (String code : LANGUAGES) {
            @SuppressWarnings("unchecked")
            Map<String, Object> language = (Map<String, Object>) all.get(code).get("language");
            languages.add(Map.of("code", code, "name", language.get("name"), "tag", language.get("tag"),
                    "current", code.equals(lang)));
        }
        scope.put("languages", languages);
        scope.put("attachmentsAllowed", maxAttachments > 0);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("lang", lang);
        config.put("timeZone", timeZone);
        config.put("maxAttachments", maxAttachments);
        config.put("maxAttachmentBytes", maxAttachmentBytes);
        config.put("texts", t);
        scope.put("configJson", scriptSafeJson(config));
        return scope;
    }

    private static List<Map<String, Object>> options(Map<String, Object> t, String key, Enum<?>[] values) {
        @SuppressWarnings("unchecked")
        Map<String, Object> labels = (Map<String, Object>) t.get(key);
        List<Map<String, Object>> options = new ArrayList<>();
        for (Enum<?> value : values) {
            options.add(Map.of("value", value.name(), "label", labels.get(value.name())));
        }
        return options;
    }

    /**
     * JSON that can sit inside a script element: {@code <} {@code >} {@code &} only occur inside JSON strings, where
     * the \\u escapes mean the same, so {@code </script>} or {@code <!--} in a text cannot end the element.
     */
    static String scriptSafeJson(Object value) {
        try {
            return JSON.writeValueAsString(value)
                    .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Web form texts cannot be written as JSON", e);
        }
    }

    /** 10485760 → "10 MB", 1572864 → "1.5 MB", 512000 → "500 KB". */
    static String humanSize(long bytes) {
        double mb = bytes / (1024.0 * 1024.0);
        if (mb >= 1) {
            return trim(String.format(Locale.ROOT, "%.1f", mb)) + " MB";
        }
        double kb = bytes / 1024.0;
        if (kb >= 1) {
            return trim(String.format(Locale.ROOT, "%.1f", kb)) + " KB";
        }
        return bytes + " B";
    }

    private static String trim(String decimal) {
        return decimal.endsWith(".0") ? decimal.substring(0, decimal.length() - 2) : decimal;
    }

    private static Object fillIn(Object value, Map<String, String> fill) {
        if (value instanceof String s) {
            for (Map.Entry<String, String> f : fill.entrySet()) {
                s = s.replace(f.getKey(), f.getValue());
            }
            return s;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> fillIn(v, fill)).toList();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> copy.put((String) k, fillIn(v, fill)));
        return copy;
    }

    // ---- start-up checks ----

    private static Map<String, Map<String, Object>> loadTexts(Path file) {
        String yaml = read(file, "the web form texts");
        Object root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
        } catch (IOException e) {
            throw new IllegalStateException("Web form texts " + file + " are not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> rootMap)) {
            throw new IllegalStateException("Web form texts " + file + " must be a map with the keys " + LANGUAGES);
        }
        Map<String, Map<String, Object>> texts = new LinkedHashMap<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (String lang : LANGUAGES) {
            Object section = rootMap.get(lang);
            if (!(section instanceof Map<?, ?>)) {
                throw new IllegalStateException("Web form texts " + file + ": the language section '" + lang
                        + ":' is missing");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) section;
            Set<String> leaves = new TreeSet<>();
            collectKeys(file, lang, "", map, leaves);
            texts.put(lang, map);
            keys.put(lang, leaves);
        }
        for (String lang : LANGUAGES) {
            for (String other : LANGUAGES) {
                Set<String> missing = new TreeSet<>(keys.get(lang));
                missing.removeAll(keys.get(other));
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("Web form texts " + file + ": the key(s) " + missing + " are under '"
                            + lang + ":' but missing under '" + other + ":'");
                }
            }
        }
        for (String lang : LANGUAGES) {
            requireKey(file, texts, lang, "language.name");
            requireKey(file, texts, lang, "language.tag");
            for (ComplaintType type : ComplaintType.values()) {
                requireKey(file, texts, lang, "types." + type.name());
            }
            for (Demand demand : Demand.values()) {
                requireKey(file, texts, lang, "demands." + demand.name());
            }
            Object months = lookup(texts.get(lang), "due.months");
            if (!(months instanceof List<?> list) || list.size() != 12) {
                throw new IllegalStateException("Web form texts " + file + ": " + lang
                        + ".due.months must be a list of 12 month names");
            }
        }
        return texts;
    }

    /** Every leaf must be a text or a list of texts: an empty value ("key:") is a forgotten translation. */
    private static void collectKeys(Path file, String lang, String prefix, Map<?, ?> map, Set<String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> child) {
                collectKeys(file, lang, key + ".", child, out);
            } else if (v instanceof String s && !s.isBlank()
                    || v instanceof List<?> list && list.stream().allMatch(i -> i instanceof String)) {
                out.add(key);
            } else if (v instanceof Number || v instanceof Boolean) {
                // an unquoted 400 or true is read as a number or a boolean: the page wants text
                @SuppressWarnings("unchecked")
                Map.Entry<Object, Object> entry = (Map.Entry<Object, Object>) e;
                entry.setValue(String.valueOf(v));
                out.add(key);
            } else {
                throw new IllegalStateException("Web form texts " + file + ": " + lang + "." + key
                        + " has no text");
            }
        }
    }

    private static void requireKey(Path file, Map<String, Map<String, Object>> texts, String lang, String key) {
        if (lookup(texts.get(lang), key) == null) {
            throw new IllegalStateException("Web form texts " + file + ": the key " + lang + "." + key + " is missing");
        }
    }

    private static Object lookup(Map<String, Object> texts, String dotted) {
        Object node = texts;
        for (String part : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    /** mustache.java renders an unknown key as nothing; a typo would leave a silent hole in the page. */
    private static void checkTemplateKeys(Path templateFile, String template, Map<String, Map<String, Object>> texts) {
        Set<String> used = new TreeSet<>();
        Matcher m = TEMPLATE_KEY.matcher(template);
        while (m.find()) {
            used.add(m.group(1));
        }
        m = SCRIPT_KEY.matcher(template);
        while (m.find()) {
            used.add(m.group(1).substring(1));
        }
        for (String key : used) {
            for (String lang : LANGUAGES) {
                if (lookup(texts.get(lang), key) == null) {
                    throw new IllegalStateException("Web form template " + templateFile + " uses the text '" + key
                            + "', which is missing under '" + lang + ":' in " + TEXTS);
                }
            }
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("Cannot start the web form: " + what + " file " + file.toAbsolutePath()
                    + " does not exist (hub.mappings-dir is relative to the working directory)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + what + " file " + file.toAbsolutePath(), e);
        }
    }
}
