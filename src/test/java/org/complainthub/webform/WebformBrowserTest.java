package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.complainthub.support.Browser;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * A customer on a phone fills the real form in Chinese with a photo, submits it to the running hub and sees the
 * reference; the complaint is on its queue with the photo's sha256 as evidence, and the evidence link serves the photo.
 */
class WebformBrowserTest extends HubIntegrationTest {

    @BeforeAll
    static void needsChromium() {
        Browser.assumeInstalled();
    }

    @Test
    void chineseComplaintWithAPhotoFromThePageToTheQueue() throws Exception {
        Path photo = Files.createTempDirectory("photo-").resolve("破损的杯子.jpg");
        byte[] bytes = new byte[48_000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(photo, bytes);

        try (Browser browser = Browser.phone()) {
            WebDriver driver = browser.driver();
            driver.get("http://localhost:" + port + "/?lang=zh");
            assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh-CN");
            driver.findElement(By.id("customer-name")).sendKeys("陈静");
            driver.findElement(By.id("customer-phone")).sendKeys("139 0013 9000");
            driver.findElement(By.id("target-order")).sendKeys("JD-88231");
            driver.findElement(By.id("description")).sendKeys("快递送来的杯子碎了三个，外箱明显被压坏，快递员还态度很差。");
            driver.findElement(By.id("demands-EXCHANGE")).click();
            driver.findElement(By.id("attachments")).sendKeys(photo.toString());
            driver.findElement(By.id("consent")).click();
            driver.findElement(By.id("submit")).click();

            browser.await().until(visibilityOfElementLocated(By.id("reference")));
            String reference = driver.findElement(By.id("reference")).getText();
            assertThat(reference).matches("C-\\d{8}-\\d{6,}");
            String dueShown = driver.findElement(By.id("due-at")).getText();
            assertThat(browser.scriptErrors()).isEmpty();

            Received onQueue = take("complaints.logistics");
            JsonNode record = onQueue.record();
            assertThat(record.get("id").asText()).isEqualTo(reference);
            assertThat(record.get("channel").asText()).isEqualTo("webform");
            assertThat(record.at("/customer/language").asText()).isEqualTo("zh");
            assertThat(record.at("/customer/phone").asText()).isEqualTo("+8613900139000");
            assertThat(record.at("/target/order").asText()).isEqualTo("JD-88231");
            assertThat(record.get("demands").get(0).asText()).isEqualTo("EXCHANGE");
            JsonNode evidence = record.get("evidence").get(0);
            assertThat(evidence.get("fileName").asText()).isEqualTo("破损的杯子.jpg");
            assertThat(evidence.get("sha256").asText()).isEqualTo(WebformIntakeTest.sha256(bytes));
            assertThat(evidence.get("size").asLong()).isEqualTo(bytes.length);

            String expectedDue = OffsetDateTime.parse(record.get("dueAt").asText())
                    .atZoneSameInstant(ZoneId.of("Asia/Shanghai"))
                    .format(DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm"));
            assertThat(dueShown).isEqualTo(expectedDue);

            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(evidence.get("location").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(bytes);
            browser.screenshot(Path.of("target/webform-confirmation-zh.png"));
        }
    }

    @Test
    void thePageFollowsAcceptLanguage() throws Exception {
        HttpResponse<String> en = http.send(HttpRequest.newBuilder(uri("/")).header("Accept-Language", "en-GB,en;q=0.9")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(en.statusCode()).isEqualTo(200);
        assertThat(en.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(en.headers().firstValue("Content-Language")).hasValue("en");
        assertThat(en.body()).contains("<html lang=\"en\"");
        HttpResponse<String> zh = http.send(HttpRequest.newBuilder(uri("/")).header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(zh.headers().firstValue("Content-Language")).hasValue("zh");
        assertThat(zh.body()).contains("<html lang=\"zh-CN\"");
    }
}
