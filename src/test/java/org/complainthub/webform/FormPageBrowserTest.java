package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.complainthub.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The form page alone in a real (headless) browser, on a phone-sized window. A tiny JDK HTTP server serves the page
 * as FormPage renders it and answers POST /complaints with canned answers of the intake contract, so this checks what
 * the customer sees for each answer without the hub behind it.
 */
class FormPageBrowserTest {

    private static final int MAX_FILES = 3;
    private static final long MAX_BYTES = 64 * 1024;
    private static final Path SCREENSHOT = Path.of("/tmp/form-zh.png");

    /** One canned answer; the gate, when there is one, holds the answer back until the test opens it. */
    record Answer(int status, Map<String, String> headers, String body, CountDownLatch gate) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, null);
        }
    }

    /** A POST as the server got it. */
    record Received(String contentType, String body) { }

    private static final Answer CUT_OFF = new Answer(-1, Map.of(), "", null);
    private static final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static JsonNode texts;
    private static HttpServer server;
    private static ExecutorService threads;
    private static Browser browser;
    private static WebDriver driver;
    private static String base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        Browser.assumeInstalled();
        texts = new ObjectMapper(new YAMLFactory()).readTree(Path.of("mappings", FormPage.TEXTS).toFile());
        FormPage page = new FormPage("mappings", "zh", MAX_FILES, MAX_BYTES, "Asia/Shanghai");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String lang = null;
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("lang=")) {
                lang = URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8);
            }
            byte[] html = page.render(exchange.getRequestHeaders().getFirst("Accept-Language"), lang)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        });
        server.createContext("/complaints", FormPageBrowserTest::answer);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        browser = Browser.phone();
        driver = browser.driver();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @BeforeEach
    void clear() {
        answers.clear();
        received.clear();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8)));
        Answer a = answers.poll();
        if (a == CUT_OFF) {
            // the connection breaks in the middle of the answer: the browser sees a network error
            exchange.sendResponseHeaders(202, 1000);
            exchange.getResponseBody().write("{\"id\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            exchange.close();
            return;
        }
        if (a == null) {
            a = Answer.json(500, "{\"error\":\"the test gave no answer for this request\"}");
        }
        if (a.gate() != null) {
            try {
                a.gate().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
        exchange.close();
    }

    @Test
    void chineseComplaintShowsServerErrorsByTheirFieldsKeepsEverythingThenConfirms() throws IOException {
        Path photo = file("box.jpg", 2000);
        answers.add(Answer.json(400, """
                {"errors":[
                  {"field":"customer.email","code":"invalid","message":"not an email address"},
                  {"field":"description","code":"too_long","message":"at most 5000 characters"},
                  {"field":"attachments","code":"unsupported_type","message":"box.jpg: image/x-unknown"}]}"""));
        answers.add(Answer.json(202, "{\"id\":\"C-20261123-000417\",\"dueAt\":\"2026-11-23T18:11:00Z\"}"));

        driver.get(base + "/?lang=zh");
        assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh-CN");
        assertThat(browser.viewportWidth()).as("laid out at phone width").isEqualTo(Browser.PHONE_WIDTH);
        assertThat(browser.scrollsSideways()).as("sideways scroll on an empty form").isFalse();

        type("customer-name", "张三");
        type("customer-phone", "13812345678");
        type("customer-email", "zhangsan@example");
        type("target-order", "A-2026-0042");
        new Select(driver.findElement(By.id("type"))).selectByValue("DELIVERY");
        type("subject", "快递外箱破损");
        type("description", "收到的包裹外箱破损，里面的杯子碎了。");
        click("demands-REFUND");
        click("demands-APOLOGY");
        driver.findElement(By.id("attachments")).sendKeys(photo.toString());
        click("consent");
        click("submit");

        browser.await().until(visibilityOfElementLocated(By.id("customer-email-error")));
        assertThat(text("customer-email-error")).isEqualTo(zh("errors.fields.customer-email.invalid"));
        assertThat(text("description-error")).isEqualTo(zh("errors.fields.description.too_long"));
        assertThat(text("attachments-error")).isEqualTo(zh("errors.codes.unsupported_type"));
        assertThat(attribute("customer-email", "aria-invalid")).isEqualTo("true");
        assertThat(attribute("description", "aria-invalid")).isEqualTo("true");
        assertThat(attribute("customer-name", "aria-invalid")).isNull();
        assertThat(driver.findElement(By.id("customer-name-error")).isDisplayed()).isFalse();
        WebElement summary = driver.findElement(By.id("error-summary"));
        assertThat(summary.getDomAttribute("role")).isEqualTo("alert");
        assertThat(summary.findElements(By.tagName("li"))).extracting(WebElement::getText).containsExactly(
                zh("fields.customer-email.label") + zh("page.colon") + zh("errors.fields.customer-email.invalid"),
                zh("fields.description.label") + zh("page.colon") + zh("errors.fields.description.too_long"),
                zh("fields.attachments.label") + zh("page.colon") + zh("errors.codes.unsupported_type"));
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("error-summary");

        // everything the customer entered is still there, the chosen file too
        assertThat(value("customer-name")).isEqualTo("张三");
        assertThat(value("customer-phone")).isEqualTo("13812345678");
        assertThat(value("customer-email")).isEqualTo("zhangsan@example");
        assertThat(value("target-order")).isEqualTo("A-2026-0042");
        assertThat(value("type")).isEqualTo("DELIVERY");
        assertThat(value("subject")).isEqualTo("快递外箱破损");
        assertThat(value("description")).isEqualTo("收到的包裹外箱破损，里面的杯子碎了。");
        assertThat(checked("demands-REFUND")).isTrue();
        assertThat(checked("demands-APOLOGY")).isTrue();
        assertThat(checked("demands-REPAIR")).isFalse();
        assertThat(checked("consent")).isTrue();
        assertThat(browser.script("return Array.from(document.getElementById('attachments').files).map(f => f.name)"))
                .isEqualTo(List.of("box.jpg"));
        assertThat(driver.findElement(By.id("submit")).isEnabled()).isTrue();
        assertThat(browser.scrollsSideways()).as("sideways scroll with errors shown").isFalse();

        // the request had the contract's field names
        Received first = received.get(0);
        assertThat(first.contentType()).startsWith("multipart/form-data; boundary=");
        assertThat(first.body()).contains(
                part("customer.name", "张三"), part("customer.phone", "13812345678"),
                part("customer.email", "zhangsan@example"), part("customer.language", "zh"),
                part("target.order", "A-2026-0042"), part("type", "DELIVERY"), part("subject", "快递外箱破损"),
                part("description", "收到的包裹外箱破损，里面的杯子碎了。"),
                part("demands", "REFUND"), part("demands", "APOLOGY"), part("consent", "yes"),
                "name=\"attachments\"; filename=\"box.jpg\"");

        // corrected and sent again: the answer is the reference and the due time in Shanghai time
        driver.findElement(By.id("customer-email")).clear();
        type("customer-email", "zhangsan@example.com");
        click("submit");
        browser.await().until(visibilityOfElementLocated(By.id("reference")));
        assertThat(text("reference")).isEqualTo("C-20261123-000417");
        assertThat(text("due-at")).isEqualTo("2026年11月24日 02:11");
        assertThat(driver.findElement(By.id("complaint-form")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("error-summary")).isDisplayed()).isFalse();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).body()).contains(part("customer.email", "zhangsan@example.com"),
                "name=\"attachments\"; filename=\"box.jpg\"");
        assertThat(browser.scrollsSideways()).as("sideways scroll on the confirmation").isFalse();
        browser.screenshot(SCREENSHOT);
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void checksRequiredFieldsAndAttachmentLimitsBeforeSending() throws IOException {
        driver.get(base + "/?lang=zh");
        click("submit");
        browser.await().until(visibilityOfElementLocated(By.id("error-summary")));
        assertThat(text("customer-error")).isEqualTo(zh("errors.codes.contact_required"));
        assertThat(text("description-error")).isEqualTo(zh("errors.fields.description.required"));
        assertThat(text("consent-error")).isEqualTo(zh("errors.codes.consent_required"));
        assertThat(attribute("customer-phone", "aria-invalid")).isEqualTo("true");
        assertThat(attribute("customer-email", "aria-invalid")).isEqualTo("true");
        assertThat(attribute("consent", "aria-invalid")).isEqualTo("true");

        // files picked one after the other add up; the limits are checked as soon as they are picked
        Path a = file("a.png", 1000);
        Path b = file("b.png", 1000);
        Path big = file("video.mp4", (int) MAX_BYTES + 1);
        Path d = file("d.pdf", 10);
        WebElement input = driver.findElement(By.id("attachments"));
        input.sendKeys(a.toString());
        input.sendKeys(b + "\n" + big);
        assertThat(fileNames()).containsExactly("a.png", "b.png", "video.mp4");
        assertThat(text("attachments-error")).isEqualTo(zh("errors.files.too_large")
                .replace("{file}", "video.mp4").replace("{maxAttachmentSize}", "64 KB"));
        input.sendKeys(d.toString());
        assertThat(text("attachments-error")).contains(zh("errors.codes.too_many").replace("{maxAttachments}", "3"));

        type("customer-phone", "13812345678");
        type("description", "发票金额不对");
        click("consent");
        click("submit");
        assertThat(received).as("nothing is sent while a check fails").isEmpty();
        assertThat(driver.findElement(By.id("error-summary")).findElements(By.tagName("li"))).hasSize(2);

        // removing the big file clears the error
        driver.findElement(By.cssSelector("#attachments-list li:nth-child(3) button")).click();
        driver.findElement(By.cssSelector("#attachments-list li:nth-child(3) button")).click();
        assertThat(fileNames()).containsExactly("a.png", "b.png");
        assertThat(driver.findElement(By.id("attachments-error")).isDisplayed()).isFalse();
        assertThat(browser.scrollsSideways()).isFalse();
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void englishPageExplainsEachFailureKeepsTheInputAndFormatsTheDueTime() {
        CountDownLatch gate = new CountDownLatch(1);
        answers.add(new Answer(503, Map.of("Content-Type", "application/json", "Retry-After", "30"),
                "{\"error\":\"broker unavailable\"}", gate));
        answers.add(new Answer(429, Map.of("Content-Type", "application/json", "Retry-After", "120"),
                "{\"error\":\"rate limited\"}", null));
        answers.add(new Answer(413, Map.of(), "", null));
        answers.add(Answer.json(415, "{\"error\":\"unsupported media type\"}"));
        answers.add(CUT_OFF);
        answers.add(Answer.json(500, "{\"error\":\"boom\"}"));
        answers.add(Answer.json(202, "{\"id\":\"C-20261124-000001\",\"dueAt\":\"2026-11-24T10:00:00+08:00\"}"));

        driver.get(base + "/?lang=en");
        assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
        type("customer-email", "pat@example.com");
        type("description", "The parcel arrived a week late.");
        click("consent");

        // while sending, the button is disabled and says so
        click("submit");
        browser.await().until(attributeToBe(By.id("submit"), "disabled", "true"));
        assertThat(text("submit")).isEqualTo(en("submit.sending"));
        assertThat(text("form-status")).isEqualTo(en("status.sending"));
        gate.countDown();

        String kept = " " + en("errors.http.kept");
        expectMessage(en("errors.http.unavailable") + " " + en("errors.http.retryIn").replace("{wait}", "30 seconds") + kept);
        assertThat(driver.findElement(By.id("submit")).isEnabled()).isTrue();
        assertThat(text("submit")).isEqualTo(en("submit.label"));

        click("submit");
        expectMessage(en("errors.http.rateLimited") + " " + en("errors.http.retryIn").replace("{wait}", "2 minutes") + kept);
        click("submit");
        expectMessage(en("errors.http.tooLarge") + kept);
        click("submit");
        expectMessage(en("errors.http.unsupported") + kept);
        click("submit");
        expectMessage(en("errors.http.network") + kept);
        click("submit");
        expectMessage(en("errors.http.server") + kept);
        assertThat(value("customer-email")).isEqualTo("pat@example.com");
        assertThat(value("description")).isEqualTo("The parcel arrived a week late.");
        assertThat(checked("consent")).isTrue();
        assertThat(received).allSatisfy(r -> assertThat(r.body()).contains(part("customer.language", "en"))
                .doesNotContain("name=\"attachments\""));

        click("submit");
        browser.await().until(visibilityOfElementLocated(By.id("reference")));
        assertThat(text("reference")).isEqualTo("C-20261124-000001");
        assertThat(text("due-at")).isEqualTo("24 Nov 2026, 10:00");
        assertThat(received).hasSize(7);
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void noSidewaysScrollOnTheNarrowestPhoneInEitherLanguage() throws IOException {
        Path longName = file("IMG_20261123_101010_a_very_long_file_name_from_a_phone_camera_roll.jpg", 10);
        try (Browser narrow = Browser.phone(360, 740)) {
            for (String lang : FormPage.LANGUAGES) {
                narrow.driver().get(base + "/?lang=" + lang);
                assertThat(narrow.viewportWidth()).isEqualTo(360);
                narrow.driver().findElement(By.id("attachments")).sendKeys(longName.toString());
                narrow.driver().findElement(By.id("submit")).click(); // errors on the page: its widest state
                narrow.await().until(visibilityOfElementLocated(By.id("error-summary")));
                assertThat(narrow.scrollsSideways()).as("sideways scroll at 360 px, %s", lang).isFalse();
                assertThat(narrow.scriptErrors()).isEmpty();
            }
        }
    }

    /** Every card keeps its content the same distance from its edges (inside any border), on a phone and a desktop. */
    @Test
    void everyCardHasTheSameInnerInsetsOnAPhoneAndADesktop() {
        String insets = """
                return Array.from(document.querySelectorAll('.card')).filter(c => c.offsetParent !== null).map(c => {
                  const box = c.getBoundingClientRect();
                  const kids = Array.from(c.children).filter(k => k.getClientRects().length > 0);
                  const left = Math.min(...kids.map(k => k.getBoundingClientRect().left));
                  const right = Math.max(...kids.map(k => k.getBoundingClientRect().right));
                  const border = getComputedStyle(c);
                  return (c.id || c.getAttribute('aria-labelledby'))
                      + ' ' + Math.round(left - box.left - parseFloat(border.borderLeftWidth))
                      + ' ' + Math.round(box.right - right - parseFloat(border.borderRightWidth));
                });""";
        for (Browser screen : List.of(Browser.phone(), Browser.desktop(1280, 900))) {
            try (screen) {
                screen.driver().get(base + "/?lang=zh");
                @SuppressWarnings("unchecked")
                List<String> cards = (List<String>) screen.script(insets);
                assertThat(cards).hasSizeGreaterThanOrEqualTo(3);
                String first = cards.get(0).substring(cards.get(0).indexOf(' '));
                assertThat(first.trim().split(" ")).as("the first card's insets")
                        .allSatisfy(px -> assertThat(Integer.parseInt(px)).isPositive());
                assertThat(cards).as("insets (left, right) of each card, %d px wide", screen.viewportWidth())
                        .allSatisfy(card -> assertThat(card).endsWith(first));
            }
        }
    }

    // ---- helpers ----

    private void expectMessage(String expected) {
        browser.await().until(textToBePresentInElementLocated(By.id("form-message"), expected));
        assertThat(text("form-message")).isEqualTo(expected);
    }

    private Path file(String name, int size) throws IOException {
        Path f = tmp.resolve(name);
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) 'x');
        Files.write(f, bytes);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static List<String> fileNames() {
        return (List<String>) browser.script(
                "return Array.from(document.getElementById('attachments').files).map(f => f.name)");
    }

    private static String part(String name, String value) {
        return "name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static void type(String id, String text) {
        driver.findElement(By.id(id)).sendKeys(text);
    }

    private static void click(String id) {
        WebElement e = driver.findElement(By.id(id));
        // checkboxes are clicked by their label, as a finger on a phone would
        if ("checkbox".equals(e.getDomAttribute("type"))) {
            driver.findElement(By.cssSelector("label[for='" + id + "']")).click();
        } else {
            e.click();
        }
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static String value(String id) {
        return driver.findElement(By.id(id)).getDomProperty("value");
    }

    private static boolean checked(String id) {
        return driver.findElement(By.id(id)).isSelected();
    }

    private static String attribute(String id, String name) {
        return driver.findElement(By.id(id)).getDomAttribute(name);
    }

    private static String zh(String key) {
        return textOf("zh", key);
    }

    private static String en(String key) {
        return textOf("en", key);
    }

    private static String textOf(String lang, String key) {
        JsonNode node = texts.get(lang);
        for (String part : key.split("\\.")) {
            node = node.get(part);
        }
        return node.asText().replace("{maxAttachments}", Integer.toString(MAX_FILES))
                .replace("{maxAttachmentSize}", "64 KB");
    }
}
