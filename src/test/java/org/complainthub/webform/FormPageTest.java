package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Demand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The form page as the renderer builds it, on the real template and texts in mappings/. No Spring context. */
class FormPageTest {

    private static final String MAPPINGS = "mappings";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FormPage page = new FormPage(MAPPINGS, "zh", 5, 10_485_760, "Asia/Shanghai");

    @TempDir
    Path tmp;

    // ---- which language ----

    @Test
    void explicitLangParameterWinsOverTheHeader() {
        assertThat(page.language("en-US,en;q=0.9", "zh")).isEqualTo("zh");
        assertThat(page.language("zh-CN,zh;q=0.9", "en")).isEqualTo("en");
        assertThat(page.language(null, "EN")).isEqualTo("en");
        assertThat(page.language(null, "zh-TW")).isEqualTo("zh");
    }

    @Test
    void unknownLangParameterFallsBackToTheHeader() {
        assertThat(page.language("en-GB", "fr")).isEqualTo("en");
        assertThat(page.language("en-GB", "")).isEqualTo("en");
        assertThat(page.language("en-GB", "<script>")).isEqualTo("en");
    }

    @Test
    void acceptLanguageIsReadByQValue() {
        assertThat(page.language("fr-FR, en;q=0.8, zh-CN;q=0.9", null)).isEqualTo("zh");
        assertThat(page.language("zh;q=0.5, en-GB", null)).isEqualTo("en");
        assertThat(page.language("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7,zh;q=0.6", null)).isEqualTo("en");
        assertThat(page.language("zh-Hant-TW", null)).isEqualTo("zh");
        assertThat(page.language("en, zh", null)).as("equal weights: header order").isEqualTo("en");
        assertThat(page.language("en;q=0, zh;q=0.1", null)).as("q=0 means not acceptable").isEqualTo("zh");
        assertThat(page.language("en;q=abc, zh;q=0.3", null)).as("a malformed weight is ignored").isEqualTo("zh");
        assertThat(page.language("zhuang, en;q=0.1", null)).as("only whole subtags count").isEqualTo("en");
    }

    @Test
    void noUsableLanguageGivesTheConfiguredDefault() {
        assertThat(page.language(null, null)).isEqualTo("zh");
        assertThat(page.language("de-DE, fr;q=0.5, *;q=0.1", null)).isEqualTo("zh");
        assertThat(page.language(",,;;q=", null)).isEqualTo("zh");
        FormPage english = new FormPage(MAPPINGS, "en", 5, 10_485_760, "Asia/Shanghai");
        assertThat(english.language("ja-JP", null)).isEqualTo("en");
        assertThat(english.language("ja-JP, zh;q=0.2", null)).isEqualTo("zh");
    }

    @Test
    void pageIsInTheChosenLanguage() {
        String zh = page.render("en;q=0.5, zh-CN", null);
        assertThat(zh).contains("<html lang=\"zh-CN\">", "在线投诉", "提交投诉",
                "name=\"customer.language\" value=\"zh\"");
        String en = page.render("zh-CN", "en");
        assertThat(en).contains("<html lang=\"en\">", "Make a complaint", "Send complaint",
                "name=\"customer.language\" value=\"en\"");
        assertThat(en).doesNotContain("提交投诉");
        assertThat(configOf(en).path("lang").asText()).isEqualTo("en");
        assertThat(configOf(en).path("texts").path("submit").path("label").asText()).isEqualTo("Send complaint");
    }

    @Test
    void languageSwitchLinksToBothLanguagesAndMarksTheCurrentOne() {
        String zh = page.render(null, "zh");
        assertThat(zh).contains("<a href=\"?lang=zh\" lang=\"zh-CN\" hreflang=\"zh-CN\" aria-current=\"true\">中文</a>",
                "<a href=\"?lang=en\" lang=\"en\" hreflang=\"en\">English</a>");
    }

    // ---- texts ----

    @Test
    void everyTextKeyIsInBothLanguages() throws IOException {
        JsonNode texts = YAML.readTree(Path.of(MAPPINGS, FormPage.TEXTS).toFile());
        Set<String> zh = leaves(texts.get("zh"), "");
        Set<String> en = leaves(texts.get("en"), "");
        assertThat(zh).isNotEmpty().isEqualTo(en);
        for (String code : new String[] {"required", "invalid", "too_long", "contact_required", "consent_required",
                "unknown_field", "too_many", "too_large", "unsupported_type", "fallback"}) {
            assertThat(zh).as("a message for error code %s", code).contains("errors.codes." + code);
        }
        for (ComplaintType type : ComplaintType.values()) {
            assertThat(zh).contains("types." + type.name());
        }
        for (Demand demand : Demand.values()) {
            assertThat(zh).contains("demands." + demand.name());
        }
    }

    @Test
    void everyTextTheTemplateUsesExistsAndNothingIsLeftBlank() {
        for (String lang : FormPage.LANGUAGES) {
            String html = page.render(null, lang);
            assertThat(html).as("no unfilled renderer placeholder").doesNotContain("{maxAttachments}",
                    "{maxAttachmentSize}");
            assertThat(html).as("no empty label").doesNotContainPattern("<label for=\"[^\"]+\">\\s*<");
            assertThat(html).doesNotContainPattern("<option value=\"[A-Z_]+\"></option>");
        }
    }

    @Test
    void aKeyMissingInOneLanguageStopsStartUpNamingFileAndKey() throws IOException {
        Path dir = copyOfMappings();
        ObjectNode texts = (ObjectNode) YAML.readTree(dir.resolve(FormPage.TEXTS).toFile());
        ((ObjectNode) texts.get("en").get("confirmation")).remove("dueLabel");
        YAML.writeValue(dir.resolve(FormPage.TEXTS).toFile(), texts);

        assertThatThrownBy(() -> new FormPage(dir.toString(), "zh", 5, 10_485_760, "Asia/Shanghai"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("form-text.yaml")
                .hasMessageContaining("confirmation.dueLabel")
                .hasMessageContaining("'en:'");
    }

    @Test
    void aComplaintTypeWithoutALabelStopsStartUp() throws IOException {
        Path dir = copyOfMappings();
        ObjectNode texts = (ObjectNode) YAML.readTree(dir.resolve(FormPage.TEXTS).toFile());
        ((ObjectNode) texts.get("en").get("types")).remove("PRIVACY");
        ((ObjectNode) texts.get("zh").get("types")).remove("PRIVACY");
        YAML.writeValue(dir.resolve(FormPage.TEXTS).toFile(), texts);

        assertThatThrownBy(() -> new FormPage(dir.toString(), "zh", 5, 10_485_760, "Asia/Shanghai"))
                .hasMessageContaining("form-text.yaml").hasMessageContaining("types.PRIVACY");
    }

    @Test
    void aTemplateUsingAnUnknownTextStopsStartUp() throws IOException {
        Path dir = copyOfMappings();
        Path template = dir.resolve(FormPage.TEMPLATE);
        Files.writeString(template, Files.readString(template).replace("{{t.submit.label}}", "{{t.submit.lable}}"));

        assertThatThrownBy(() -> new FormPage(dir.toString(), "zh", 5, 10_485_760, "Asia/Shanghai"))
                .hasMessageContaining("form.mustache").hasMessageContaining("submit.lable");
    }

    @Test
    void missingFilesStopStartUpNamingTheFile() throws IOException {
        Path dir = copyOfMappings();
        Files.delete(dir.resolve(FormPage.TEMPLATE));
        assertThatThrownBy(() -> new FormPage(dir.toString(), "zh", 5, 10_485_760, "Asia/Shanghai"))
                .hasMessageContaining("form.mustache").hasMessageContaining("does not exist");

        Files.delete(dir.resolve(FormPage.TEXTS));
        assertThatThrownBy(() -> new FormPage(dir.toString(), "zh", 5, 10_485_760, "Asia/Shanghai"))
                .hasMessageContaining("form-text.yaml").hasMessageContaining("does not exist");
    }

    @Test
    void badSettingsStopStartUpNamingTheProperty() {
        assertThatThrownBy(() -> new FormPage(MAPPINGS, "fr", 5, 10_485_760, "Asia/Shanghai"))
                .hasMessageContaining("hub.webform.default-language");
        assertThatThrownBy(() -> new FormPage(MAPPINGS, "zh", 5, 0, "Asia/Shanghai"))
                .hasMessageContaining("hub.webform.max-attachment-bytes");
        assertThatThrownBy(() -> new FormPage(MAPPINGS, "zh", 5, 10_485_760, "Asia/Beijing"))
                .hasMessageContaining("hub.time-zone");
    }

    // ---- escaping ----

    @Test
    void textsAreEscapedInTheHtmlAndCannotBreakOutOfTheScript() throws IOException {
        String nasty = "</script><script>alert(1)</script><!-- \"quoted\" & 'single' \u2028";
        Path dir = copyOfMappings();
        ObjectNode texts = (ObjectNode) YAML.readTree(dir.resolve(FormPage.TEXTS).toFile());
        ((ObjectNode) texts.get("zh").get("page")).put("heading", nasty);
        ((ObjectNode) texts.get("zh").get("fields").get("customer-name")).put("label", "\"><img src=x onerror=alert(2)>");
        YAML.writeValue(dir.resolve(FormPage.TEXTS).toFile(), texts);

        String html = new FormPage(dir.toString(), "zh", 5, 10_485_760, "Asia/Shanghai").render(null, "zh");

        assertThat(html).contains("<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &quot;quoted&quot; &amp;");
        assertThat(html).doesNotContain("<img src=x", "<script>alert(1)");
        // exactly the page's own two scripts, and the texts come back intact from the JSON one
        assertThat(count(html, "<script")).isEqualTo(2);
        assertThat(count(html, "</script>")).isEqualTo(2);
        JsonNode config = configOf(html);
        assertThat(config.path("texts").path("page").path("heading").asText()).isEqualTo(nasty);
        assertThat(config.path("texts").path("fields").path("customer-name").path("label").asText())
                .isEqualTo("\"><img src=x onerror=alert(2)>");
    }

    @Test
    void langParameterIsNeverEchoed() {
        String html = page.render("\"><script>alert(1)</script>", "\"><script>alert(1)</script>");
        assertThat(html).doesNotContain("alert(1)");
    }

    // ---- limits and contract ----

    @Test
    void attachmentLimitsAreShownAndPassedToTheScript() {
        FormPage limited = new FormPage(MAPPINGS, "zh", 3, 2 * 1024 * 1024, "Europe/Berlin");
        String zh = limited.render(null, "zh");
        assertThat(zh).contains("最多 3 个文件，每个不超过 2 MB");
        JsonNode config = configOf(zh);
        assertThat(config.path("maxAttachments").asInt()).isEqualTo(3);
        assertThat(config.path("maxAttachmentBytes").asLong()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.path("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(config.path("texts").path("errors").path("codes").path("too_many").asText()).contains("3");

        String en = limited.render(null, "en");
        assertThat(en).contains("Up to 3 files, each at most 2 MB");
        assertThat(configOf(page.render(null, "en")).path("timeZone").asText()).isEqualTo("Asia/Shanghai");
    }

    @Test
    void noAttachmentFieldWhenNoneAreAllowed() {
        String html = new FormPage(MAPPINGS, "zh", 0, 10_485_760, "Asia/Shanghai").render(null, "zh");
        assertThat(html).doesNotContain("type=\"file\"").contains("id=\"complaint-form\"");
    }

    @Test
    void humanSizes() {
        assertThat(FormPage.humanSize(10_485_760)).isEqualTo("10 MB");
        assertThat(FormPage.humanSize(1_572_864)).isEqualTo("1.5 MB");
        assertThat(FormPage.humanSize(512_000)).isEqualTo("500 KB");
        assertThat(FormPage.humanSize(100)).isEqualTo("100 B");
    }

    @Test
    void formHasTheFieldsOfTheIntakeContract() {
        String html = page.render(null, "zh");
        assertThat(html).contains("id=\"complaint-form\" action=\"complaints\" method=\"post\" enctype=\"multipart/form-data\"",
                "id=\"submit\"", "id=\"reference\"", "id=\"due-at\"");
        Map<String, String> fields = Map.of(
                "customer.name", "customer-name", "customer.phone", "customer-phone",
                "customer.email", "customer-email", "customer.language", "customer-language",
                "target.order", "target-order", "type", "type", "subject", "subject",
                "description", "description", "consent", "consent", "attachments", "attachments");
        fields.forEach((name, id) -> assertThat(html).containsPattern("id=\"" + id + "\" name=\"" + Pattern.quote(name) + "\""));
        assertThat(html).contains("name=\"consent\" value=\"yes\"", "name=\"attachments\" multiple");
        assertThat(html).contains("<option value=\"\">不确定</option>");
        for (ComplaintType type : ComplaintType.values()) {
            assertThat(html).contains("<option value=\"" + type.name() + "\">");
        }
        for (Demand demand : Demand.values()) {
            assertThat(html).contains("id=\"demands-" + demand.name() + "\" name=\"demands\" value=\"" + demand.name() + "\"");
        }
        // every input has a label bound to it
        Matcher ids = Pattern.compile("<(?:input|select|textarea) type=\"(?!hidden)[^\"]*\" id=\"([^\"]+)\"|<(?:select|textarea) id=\"([^\"]+)\"").matcher(html);
        int inputs = 0;
        while (ids.find()) {
            String id = ids.group(1) != null ? ids.group(1) : ids.group(2);
            assertThat(html).as("label for %s", id).contains("<label for=\"" + id + "\"");
            inputs++;
        }
        assertThat(inputs).isGreaterThanOrEqualTo(9 + Demand.values().length);
    }

    @Test
    void pageIsSelfContainedAndFitsAPhone() {
        String html = page.render(null, "en");
        assertThat(html).contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        assertThat(html).doesNotContainPattern("(?i)(src|href|action)\\s*=\\s*\"?(https?:)?//");
        assertThat(html).doesNotContainPattern("(?i)@import|url\\(|@font-face|<link");
        assertThat(html).contains("<noscript>").contains("400-800-0000").contains("service@example.com");
        assertThat(html).contains("PIPL");
    }

    // ---- helpers ----

    private Path copyOfMappings() throws IOException {
        Path dir = tmp.resolve("mappings");
        for (String file : new String[] {FormPage.TEMPLATE, FormPage.TEXTS}) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(MAPPINGS, file), target);
        }
        return dir;
    }

    private static JsonNode configOf(String html) {
        String open = "<script id=\"form-config\" type=\"application/json\">";
        int start = html.indexOf(open) + open.length();
        String json = html.substring(start, html.indexOf("</script>", start));
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("the embedded config is not JSON: " + json, e);
        }
    }

    private static Set<String> leaves(JsonNode node, String prefix) {
        Set<String> out = new TreeSet<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.addAll(leaves(e.getValue(), prefix + e.getKey() + "."));
            }
        } else {
            out.add(prefix.substring(0, prefix.length() - 1));
        }
        return out;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
