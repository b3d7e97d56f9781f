package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The customer message templates (mappings/templates/messages) and the customer pages (mappings/templates/pages), as
 * files: every one compiles, renders with realistic values and without the optional ones, and says what it must.
 * Plain JUnit, no Spring: the renderer is not needed to check the wording.
 */
class MessageTemplatesFilesTest {

    private static final Path MESSAGES = Path.of("mappings/templates/messages");
    private static final Path PAGES = Path.of("mappings/templates/pages");
    private static final List<String> KINDS = List.of("ack", "overdue", "thanks", "progress", "reopened");
    private static final List<String> PARTS = List.of("email-subject", "email-body", "sms", "chat");
    private static final List<String> LANGS = List.of("zh", "en");
    private static final List<String> QUEUES =
            List.of("quality", "logistics", "customer-service", "billing", "legal", "after-sales", "triage");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Emails and SMS are plain text: values go out as they are. */
    private static final MustacheFactory PLAIN = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    /** The pages are HTML: the default factory escapes every {{value}}. */
    private static final MustacheFactory HTML = new DefaultMustacheFactory();

    // ---- sample values ----

    /** A link of exactly 80 characters, like the hub's signed links. */
    static String link(String path) {
        String start = "https://service.example.com/" + path + "/";
        String token = "Yk3J9xQ2mV7pL0aZ8rT5wY1nB6cD4eF0gH2iK9qW3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC3vB5nM7";
        return start + token.substring(0, 80 - start.length());
    }

    /** Every variable, with realistic values; department is the longest name of its language. */
    static Map<String, Object> full(String lang) {
        Map<String, Object> v = new HashMap<>();
        v.put("reference", "C-20261123-000417");
        v.put("statusUrl", link("status"));
        v.put("optOutUrl", link("optout"));
        v.put("satisfactionUrl", link("satisfaction"));
        v.put("hotline", "400-800-0000");
        if (lang.equals("zh")) {
            v.put("name", "王芳");
            v.put("department", "质量管理部");
            v.put("dueAt", "2026年11月24日 18:00");
            v.put("organisation", "客户服务中心");
            v.put("subject", "洗衣机用了三天就坏了");
            v.put("resolution", "已为您更换同型号新洗衣机，并补偿 200 元购物券。");
            v.put("agent", "李娜");
            v.put("note", "已联系厂家上门检测，预计两天内给出维修方案。");
            v.put("handler", "赵敏");
            v.put("supervisor", "钱主管");
        } else {
            v.put("name", "Alex Morgan");
            v.put("department", "After-Sales Service");
            v.put("dueAt", "24 Nov 2026, 18:00");
            v.put("organisation", "Customer Service Centre");
            v.put("subject", "Washing machine broke after three days");
            v.put("resolution", "We replaced the washing machine with a new one and added a 200 yuan voucher.");
            v.put("agent", "Sam Lee");
            v.put("note", "The manufacturer will inspect the machine at your home; a repair plan follows within two days.");
            v.put("handler", "Jo Chen");
            v.put("supervisor", "Pat Wu");
        }
        return v;
    }

    /** Only what is always there. */
    static Map<String, Object> minimal(String lang) {
        Map<String, Object> v = full(lang);
        for (String optional : List.of("name", "subject", "resolution", "agent", "handler", "supervisor")) {
            v.remove(optional);
        }
        return v;
    }

    static String render(MustacheFactory factory, Path file, Object scope) {
        Mustache m = factory.compile(new StringReader(read(file)), file.toString());
        StringWriter out = new StringWriter();
        m.execute(out, scope);
        return out.toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path message(String kind, String part, String lang) {
        return MESSAGES.resolve(kind + "." + part + "." + lang + ".mustache");
    }

    // ---- message templates ----

    @Test
    void thereAreTwentyFourMessageTemplatesAndNoOthers() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String kind : KINDS) {
            for (String part : PARTS) {
                for (String lang : LANGS) {
                    expected.add(message(kind, part, lang).getFileName().toString());
                }
            }
        }
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(MESSAGES)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mustache")).forEach(present::add);
        }
        assertThat(present).hasSize(40).isEqualTo(expected);
    }

    @Test
    void everyMessageSaysWhatItMust() {
        for (String kind : KINDS) {
            for (String part : PARTS) {
                for (String lang : LANGS) {
                    Path file = message(kind, part, lang);
                    for (boolean withOptional : List.of(true, false)) {
                        Map<String, Object> v = withOptional ? full(lang) : minimal(lang);
                        String text = render(PLAIN, file, v);
                        String what = file + (withOptional ? " (all values)" : " (no optional values)") + ":\n" + text;

                        assertThat(text).as(what).contains((String) v.get("reference"))
                                .doesNotContain("{{", "}}", "null", "&amp;", "&#");
                        if (part.equals("email-subject")) {
                            assertThat(text.strip()).as(what).doesNotContain("\n", "\r").isEqualTo(text);
                            assertThat(text).as(what + "\nthe customer's words stay out of the subject")
                                    .doesNotContain("洗衣机", "Washing", "王芳", "Alex");
                            continue;
                        }
                        assertThat(text).as(what).contains((String) v.get("optOutUrl"));
                        if (kind.equals("thanks")) {
                            assertThat(text).as(what).contains((String) v.get("satisfactionUrl"));
                        } else {
                            assertThat(text).as(what).contains((String) v.get("statusUrl"));
                        }
                        if (withOptional) {
                            assertThat(text).as(what + "\ngreets by name").contains((String) v.get("name"));
                        } else {
                            assertThat(text).as(what + "\na generic greeting")
                                    .containsAnyOf("尊敬的客户", "您好", "Dear customer", "Thank you", "We are sorry",
                                            "Thank");
                        }
                        if (kind.equals("ack")) {
                            assertThat(text).as(what).contains((String) v.get("department"), (String) v.get("dueAt"));
                        }
                        if (kind.equals("reopened")) {
                            assertThat(text).as(what + "\nthe new answer time").contains((String) v.get("dueAt"));
                        }
                        if (kind.equals("progress") && !part.equals("sms")) {
                            assertThat(text).as(what + "\nthe desk's note").contains((String) v.get("note"));
                        }
                        if (part.equals("sms")) {
                            checkSms(lang, text, what);
                        } else if (part.equals("chat")) {
                            checkChat(v, text, what);
                        } else {
                            checkEmailBody(kind, lang, v, withOptional, text, what);
                        }
                    }
                }
            }
        }
    }

    private static void checkEmailBody(String kind, String lang, Map<String, Object> v, boolean withOptional,
                                       String text, String what) {
        assertThat(text).as(what).contains((String) v.get("organisation"), (String) v.get("hotline"))
                .doesNotStartWith("\n").doesNotContain("\n\n\n", "\r");
        for (String line : text.split("\n")) {
            assertThat(line).as(what + "\nno trailing white space: " + line).isEqualTo(line.stripTrailing());
        }
        if (lang.equals("zh")) {
            assertThat(text).as(what).startsWith(withOptional ? "尊敬的王芳，您好：" : "尊敬的客户，您好：");
        } else {
            assertThat(text).as(what).startsWith(withOptional ? "Dear Alex Morgan," : "Dear customer,");
        }
        if (kind.equals("ack")) {
            assertThat(text).as(what).contains(lang.equals("zh")
                    ? "我们将在 " + v.get("dueAt") + " 前答复您" : "we will answer you by " + v.get("dueAt"));
        }
        if (!kind.equals("thanks")) {
            assertThat(text).as(what).contains((String) v.get("department"));
        }
        if (kind.equals("overdue")) {
            assertThat(text).as(what + "\napologises").containsAnyOf("抱歉", "sorry");
        }
        if (withOptional) {
            assertThat(text).as(what + "\nrestates the request").contains((String) v.get("subject"));
            if (kind.equals("thanks")) {
                assertThat(text).as(what + "\nrestates what was done, signed by the staff member")
                        .contains((String) v.get("resolution"), (String) v.get("agent"));
            }
        } else {
            assertThat(text).as(what).doesNotContain("“”", "\"\"", "处理结果：\n", "What we did:");
        }
    }

    /** Characters an SMS can carry in GSM-7 without an escape; one character outside makes it UCS-2 (67 a part). */
    private static final String GSM7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final Pattern LINK = Pattern.compile("https?://\\S+");

    private static void checkSms(String lang, String text, String what) {
        assertThat(text).as(what).doesNotContain("\n", "\r").isEqualTo(text.strip());
        int links = 0;
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            links += m.group().length();
        }
        int words = text.length() - links;
        System.out.printf("%-60s %3d characters, %3d without links%n",
                what.substring(0, what.indexOf(':')), text.length(), words);
        if (lang.equals("zh")) {
            assertThat(text).as(what).startsWith("【客户服务中心】").contains("退订");
            // two 80-character links are already 160 characters: 140 in all cannot be reached, so the words are kept short
            assertThat(text.length()).as(what + "\nat most four SMS parts of 67 characters").isLessThanOrEqualTo(268);
            assertThat(words).as(what + "\nat most 95 characters besides the links").isLessThanOrEqualTo(95);
        } else {
            assertThat(text).as(what).contains("Stop: ");
            assertThat(text.length()).as(what + "\nat most two SMS parts of 153 GSM-7 characters")
                    .isLessThanOrEqualTo(306);
            for (char c : text.toCharArray()) {
                assertThat(GSM7.indexOf(c)).as(what + "\nnot a GSM-7 character: '" + c + "'").isNotNegative();
            }
        }
    }

    /** A chat message (WeChat, Messenger, WhatsApp, Telegram, Slack, X): short lines, fits every platform's limit. */
    private static void checkChat(Map<String, Object> v, String text, String what) {
        assertThat(text).as(what).isEqualTo(text.strip()).doesNotContain("\r", "\n\n");
        // Messenger's limit (2,000) is the smallest; WeChat customer-service text is limited to about 2,048 bytes
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).as(what + "\nfits a WeChat text message").isLessThanOrEqualTo(2048);
        assertThat(text.split("\n").length).as(what + "\nat most five lines on a phone").isLessThanOrEqualTo(5);
        assertThat(text).as(what + "\nsigned").contains((String) v.get("organisation"));
    }

    @Test
    void optionalValuesMayAlsoBeEmptyStrings() {
        for (String kind : KINDS) {
            for (String part : PARTS) {
                for (String lang : LANGS) {
                    Map<String, Object> v = full(lang);
                    for (String optional : List.of("name", "subject", "resolution", "agent", "handler", "supervisor")) {
                        v.put(optional, "");
                    }
                    assertThat(render(PLAIN, message(kind, part, lang), v))
                            .isEqualTo(render(PLAIN, message(kind, part, lang), minimal(lang)));
                }
            }
        }
    }

    @Test
    void valuesAreNotReadAsTemplates() {
        Map<String, Object> v = full("en");
        v.put("name", "{{reference}} <b>Bob</b> & Co");
        String body = render(PLAIN, message("ack", "email-body", "en"), v);
        assertThat(body).startsWith("Dear {{reference}} <b>Bob</b> & Co,");
    }

    // ---- texts.yaml ----

    @Test
    void messageTextsHaveTheSameKeysInBothLanguages() throws IOException {
        Map<String, Object> texts = yaml(MESSAGES.resolve("texts.yaml"));
        assertThat(texts.keySet()).containsExactlyInAnyOrder("zh", "en");
        assertThat(keys(texts.get("zh"), "")).isEqualTo(keys(texts.get("en"), ""))
                .contains("organisation", "hotline", "dueAtFormat", "locale");
        for (String lang : LANGS) {
            Map<String, Object> t = map(texts.get(lang));
            assertThat(map(t.get("departments")).keySet()).as(lang).containsExactlyInAnyOrderElementsOf(QUEUES);
            assertThat(keys(t, "")).allSatisfy(key -> assertThat(leaf(t, key)).as(lang + "." + key).isNotBlank());
        }
    }

    @Test
    void everyDepartmentOfTheRulesHasANameForCustomers() throws IOException {
        Map<String, Object> rules = yaml(Path.of("mappings/rules/classification.yaml"));
        Map<String, Object> departments = map(map(yaml(MESSAGES.resolve("texts.yaml")).get("zh")).get("departments"));
        assertThat(departments.keySet()).containsAll(map(rules.get("departments")).values().stream()
                .map(String::valueOf).toList());
    }

    @Test
    void dueAtFormatGivesTheTimesTheTemplatesExpect() throws IOException {
        Map<String, Object> texts = yaml(MESSAGES.resolve("texts.yaml"));
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        ZonedDateTime due = ZonedDateTime.parse("2026-11-24T10:00:00Z").withZoneSameInstant(zone);
        ZonedDateTime september = ZonedDateTime.of(2026, 9, 3, 9, 5, 0, 0, zone);
        Map<String, String> expected = Map.of("zh", "2026年11月24日 18:00|2026年9月3日 09:05",
                "en", "24 Nov 2026, 18:00|3 Sep 2026, 09:05");
        for (String lang : LANGS) {
            Map<String, Object> t = map(texts.get(lang));
            DateTimeFormatter f = DateTimeFormatter.ofPattern((String) t.get("dueAtFormat"),
                    Locale.forLanguageTag((String) t.get("locale")));
            assertThat(f.format(due) + "|" + f.format(september)).as(lang).isEqualTo(expected.get(lang));
        }
    }

    // ---- pages ----

    private static final List<String> PAGE_FILES = List.of("status.mustache", "satisfaction.mustache", "optout.mustache");
    private static final String HOSTILE = "<script>alert('x')</script>";
    // {{t.a.b}}, {{#t.a}}, {{^t.a}}, {{/t.a}}: the texts a page reads
    private static final Pattern TEXT_KEY = Pattern.compile("\\{\\{\\{?\\s*[#^/&]?\\s*t\\.([^\\s}]+)\\s*}?}}");
    private static final Pattern ID = Pattern.compile("\\sid=\"([^\"]*)\"");

    @Test
    void pageTextsHaveTheSameKeysInBothLanguages() throws IOException {
        Map<String, Object> texts = yaml(PAGES.resolve("pages-text.yaml"));
        assertThat(texts.keySet()).containsExactlyInAnyOrder("zh", "en");
        Set<String> zh = keys(texts.get("zh"), "");
        assertThat(zh).isEqualTo(keys(texts.get("en"), ""))
                .contains("errors.score_required", "errors.comment_too_long", "status.states.received",
                        "status.states.open", "status.states.overdue", "status.states.resolved", "optOut.doneText");
        for (int score = 1; score <= 5; score++) {
            assertThat(zh).contains("satisfaction.scores." + score);
        }
        for (String lang : LANGS) {
            Map<String, Object> t = map(texts.get(lang));
            assertThat(keys(t, "")).allSatisfy(key -> assertThat(leaf(t, key)).as(lang + "." + key).isNotBlank());
            assertThat(leaf(t, "langSwitch." + lang + ".current")).as(lang).isEqualTo("true");
            assertThat(leaf(t, "langSwitch." + (lang.equals("zh") ? "en" : "zh") + ".current")).as(lang).isEqualTo("false");
        }
    }

    @Test
    void everyTextThePagesUseIsThereAndEveryTextIsUsed() throws IOException {
        Map<String, Object> texts = yaml(PAGES.resolve("pages-text.yaml"));
        Set<String> used = new TreeSet<>();
        for (String page : PAGE_FILES) {
            Matcher m = TEXT_KEY.matcher(read(PAGES.resolve(page)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        for (String lang : LANGS) {
            Set<String> have = keys(texts.get(lang), "");
            assertThat(used).as(lang + ": used by a page but not in pages-text.yaml")
                    .allSatisfy(key -> assertThat(have).contains(key));
            assertThat(have).as(lang + ": in pages-text.yaml but no page uses it")
                    .allSatisfy(key -> assertThat(used).contains(key));
        }
    }

    static Map<String, Object> pageScope(String lang, Map<String, Object> values) throws IOException {
        Map<String, Object> scope = new HashMap<>(values);
        scope.put("lang", lang);
        scope.put("t", yaml(PAGES.resolve("pages-text.yaml")).get(lang));
        scope.putIfAbsent("reference", "C-20261123-000417");
        return scope;
    }

    static String page(String file, String lang, Map<String, Object> values) throws IOException {
        String html = render(HTML, PAGES.resolve(file), pageScope(lang, values));
        String what = file + " " + lang + " " + values;
        assertThat(html).as(what).startsWith("<!DOCTYPE html>").contains("</html>")
                .doesNotContain("{{", "}}", "null")
                .as(what + "\nself-contained, no script").doesNotContain("<script", "<link", " src=", "url(", "@import",
                        "http://", "https://");
        Map<String, Integer> ids = new HashMap<>();
        Matcher m = ID.matcher(html);
        while (m.find()) {
            ids.merge(m.group(1), 1, Integer::sum);
        }
        assertThat(ids).as(what + "\nids are unique").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        return html;
    }

    static Map<String, Object> statusValues(String lang, String state) {
        Map<String, Object> v = new HashMap<>();
        boolean zh = lang.equals("zh");
        v.put("receivedAt", zh ? "2026年11月23日 10:00" : "23 Nov 2026, 10:00");
        v.put("dueAt", zh ? "2026年11月24日 18:00" : "24 Nov 2026, 18:00");
        v.put("department", zh ? "质量管理部" : "Quality Management");
        v.put("open", !state.equals("received"));
        v.put("overdue", state.equals("overdue"));
        v.put("resolved", state.equals("resolved"));
        if (state.equals("resolved")) {
            v.put("resolvedAt", zh ? "2026年11月24日 09:30" : "24 Nov 2026, 09:30");
        }
        return v;
    }

    @Test
    void statusPageShowsEachState() throws IOException {
        for (String lang : LANGS) {
            Map<String, Object> t = map(yaml(PAGES.resolve("pages-text.yaml")).get(lang));
            for (String state : List.of("received", "open", "overdue", "resolved")) {
                Map<String, Object> v = statusValues(lang, state);
                String html = page("status.mustache", lang, v);
                String what = lang + " " + state + ":\n" + html;
                assertThat(html).as(what)
                        .contains("<html lang=\"" + leaf(t, "language.tag") + "\">")
                        .contains("id=\"state\" data-state=\"" + state + "\"")
                        .contains(leaf(t, "status.states." + state))
                        .contains("id=\"reference\">C-20261123-000417<", "id=\"received-at\">" + v.get("receivedAt") + "<",
                                "id=\"department\">" + v.get("department") + "<", "id=\"due-at\">" + v.get("dueAt") + "<")
                        .contains("href=\"?lang=zh\"", "href=\"?lang=en\"", "href=\"/?lang=" + lang + "\"")
                        .contains("aria-current=\"step\"");
                assertThat(html.split("id=\"state\"", -1)).as(what + "\none state at a time").hasSize(2);
                assertThat(html.contains("id=\"resolved-at\">" + v.get("resolvedAt") + "<")).as(what)
                        .isEqualTo(state.equals("resolved"));
                assertThat(html.contains("class=\"late-tag\"")).as(what).isEqualTo(state.equals("overdue"));
                assertThat(html.split(" aria-current=\"true\"", -1)).as(what + "\none current language").hasSize(2);
                assertThat(html).as(what).containsPattern("href=\"\\?lang=" + lang + "\"[^>]*aria-current=\"true\"");
            }
            Map<String, Object> stillOpen = statusValues(lang, "open");
            stillOpen.put("resolvedAt", "2026-11-24");
            assertThat(page("status.mustache", lang, stillOpen)).as("resolvedAt only when resolved")
                    .doesNotContain("resolved-at");
            Map<String, Object> both = statusValues(lang, "resolved");
            both.put("overdue", true);
            assertThat(page("status.mustache", lang, both)).as("resolved wins over overdue")
                    .contains("data-state=\"resolved\"").doesNotContain("class=\"late-tag\"");
        }
    }

    @Test
    void satisfactionPageHasAPlainFormADoneAndAnExpiredState() throws IOException {
        for (String lang : LANGS) {
            Map<String, Object> t = map(yaml(PAGES.resolve("pages-text.yaml")).get(lang));
            String form = page("satisfaction.mustache", lang, Map.of());
            assertThat(form).as(lang + " form")
                    .contains("method=\"post\"", "action=\"\"", "enctype=\"application/x-www-form-urlencoded\"",
                            "id=\"comment\" name=\"comment\"", "maxlength=\"1000\"", "id=\"submit\"",
                            leaf(t, "satisfaction.submit"), "C-20261123-000417")
                    .doesNotContain("id=\"thanks\"", "id=\"expired\"", "id=\"error-summary\"", " checked>",
                            " aria-invalid=");
            for (int score = 1; score <= 5; score++) {
                assertThat(form).as(lang + " form").containsPattern("<label class=\"option\" for=\"score-" + score
                        + "\"><input type=\"radio\" id=\"score-" + score + "\" name=\"score\" value=\"" + score + "\"")
                        .contains(leaf(t, "satisfaction.scores." + score));
            }

            String done = page("satisfaction.mustache", lang, Map.of("done", true));
            assertThat(done).as(lang + " done").contains("id=\"thanks\"", leaf(t, "satisfaction.thanks.heading"))
                    .doesNotContain("<form", "id=\"score-1\"", "id=\"expired\"");

            String expired = page("satisfaction.mustache", lang, Map.of("expired", true, "done", true));
            assertThat(expired).as(lang + " expired").contains("id=\"expired\"", leaf(t, "satisfaction.expired.heading"),
                            "href=\"tel:400-800-0000\"")
                    .doesNotContain("<form", "id=\"score-1\"", "id=\"thanks\"");

            String noScore = page("satisfaction.mustache", lang,
                    Map.of("error", Map.of("score_required", true), "comment", "Fine <b>really</b>"));
            assertThat(noScore).as(lang + " score_required")
                    .contains("id=\"error-summary\"", "role=\"alert\"", "href=\"#score-1\"", "id=\"score-error\"",
                            leaf(t, "errors.summary"), leaf(t, "errors.score_required"),
                            ">Fine &lt;b&gt;really&lt;/b&gt;</textarea>")
                    .doesNotContain(leaf(t, "errors.comment_too_long"), " checked>", " aria-invalid=");

            String tooLong = page("satisfaction.mustache", lang,
                    Map.of("error", Map.of("comment_too_long", true), "score", Map.of("4", true), "comment", "x"));
            assertThat(tooLong).as(lang + " comment_too_long")
                    .contains("href=\"#comment\"", "id=\"comment-error\"", leaf(t, "errors.comment_too_long"),
                            "aria-describedby=\"comment-hint comment-error\" aria-invalid=\"true\"",
                            "value=\"4\" checked>")
                    .doesNotContain(leaf(t, "errors.score_required"));
            assertThat(tooLong.split(" checked>", -1)).as("only the customer's score is checked").hasSize(2);
        }
    }

    @Test
    void optOutPageConfirmsWithAPostAndSaysWhenItIsDone() throws IOException {
        for (String lang : LANGS) {
            Map<String, Object> t = map(yaml(PAGES.resolve("pages-text.yaml")).get(lang));
            String done = page("optout.mustache", lang, Map.of("done", true));
            assertThat(done).as(lang).contains("id=\"optout-done\"", leaf(t, "optOut.doneText"),
                    leaf(t, "optOut.stillHandled"), "id=\"reference\">C-20261123-000417<").doesNotContain("<form");
            String confirm = page("optout.mustache", lang, Map.of());
            assertThat(confirm).as(lang).contains("<form method=\"post\" action=\"\"", "id=\"optout-confirm\"",
                    leaf(t, "optOut.confirm"), "C-20261123-000417").doesNotContain("optout-done");
        }
    }

    @Test
    void valuesAreEscapedOnThePages() throws IOException {
        Map<String, Object> hostile = new HashMap<>(statusValues("en", "resolved"));
        hostile.put("reference", HOSTILE);
        hostile.put("department", HOSTILE);
        hostile.put("dueAt", HOSTILE);
        hostile.put("receivedAt", HOSTILE);
        hostile.put("resolvedAt", HOSTILE);
        hostile.put("lang", "en\"><script>alert(1)</script>");
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";
        String status = render(HTML, PAGES.resolve("status.mustache"), withT(hostile));
        assertThat(status).doesNotContain("<script").contains("id=\"reference\">" + escaped + "<",
                "id=\"department\">" + escaped + "<", "id=\"resolved-at\">" + escaped + "<");
        for (String file : List.of("satisfaction.mustache", "optout.mustache")) {
            for (Map<String, Object> state : List.of(Map.<String, Object>of(), Map.<String, Object>of("done", true))) {
                Map<String, Object> v = new HashMap<>(state);
                v.put("reference", HOSTILE);
                v.put("comment", "</textarea>" + HOSTILE);
                String html = render(HTML, PAGES.resolve(file), withT(v));
                assertThat(html).as(file + " " + state).doesNotContain("<script", "</textarea><").contains(escaped);
            }
        }
    }

    private static Map<String, Object> withT(Map<String, Object> values) throws IOException {
        Map<String, Object> scope = new HashMap<>(values);
        scope.put("t", yaml(PAGES.resolve("pages-text.yaml")).get("en"));
        return scope;
    }

    /** Two pages to look at in a browser: the Chinese rating form and the English overdue status. */
    @Test
    void writesSamplePagesToLookAt() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("satisfaction-zh.html", page("satisfaction.mustache", "zh", Map.of()));
        pages.put("status-en-overdue.html", page("status.mustache", "en", statusValues("en", "overdue")));
        for (Map.Entry<String, String> p : pages.entrySet()) {
            Files.writeString(tmp.resolve(p.getKey()), p.getValue(), StandardCharsets.UTF_8);
        }
    }

    // ---- helpers ----

    static Map<String, Object> yaml(Path file) throws IOException {
        return map(YAML.readValue(file.toFile(), Map.class));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** The dotted paths of every leaf: departments.quality, page.title, ... */
    static Set<String> keys(Object node, String prefix) {
        Set<String> keys = new TreeSet<>();
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> keys.addAll(keys(v, prefix + k + ".")));
        } else {
            keys.add(prefix.substring(0, prefix.length() - 1));
        }
        return keys;
    }

    static String leaf(Map<String, Object> t, String path) {
        Object node = t;
        for (String part : path.split("\\.")) {
            node = map(node).get(part);
        }
        return String.valueOf(node);
    }
}
