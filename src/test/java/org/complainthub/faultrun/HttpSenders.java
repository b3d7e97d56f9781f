package org.complainthub.faultrun;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.complainthub.support.Multipart;

/**
 * The HTTP sources: the web form's JSON API (with an Idempotency-Key, as an API client that retries should send), the
 * form page (GET for its one-time token, then the multipart POST, retried with the same token as a browser resubmits
 * the same page), Telegram's Bot API webhook (secret token header) and the WhatsApp Cloud API through Meta's webhook
 * (X-Hub-Signature-256 over the raw body). Like the real platforms, each sender retries a request that got no 2xx
 * (connection refused or reset, a timeout, 5xx, 429) with the very same body, after the Retry-After the hub gave
 * (at most 5 s) or a growing pause, until it is taken or the run gives up at its end. Another 4xx is final: the
 * platform would not retry it either.
 */
final class HttpSenders implements AutoCloseable {

    static final String TELEGRAM_SECRET = "fault-run_telegram-secret";
    static final String META_SECRET = "fault-run-meta-app-secret";

    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"");
    private static final byte[] PHOTO = HexFormat.of().parseHex("ffd8ffe000104a46494600010100000100010000ffd9");

    private final String base;
    private final HttpClient client;
    private final ExecutorService senders;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-retry");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long giveUpAt = Long.MAX_VALUE;

    HttpSenders(String base, int concurrency) {
        this.base = base;
        this.senders = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "http-sender");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).executor(Executors.newFixedThreadPool(4, r -> {
                    Thread t = new Thread(r, "http-client");
                    t.setDaemon(true);
                    return t;
                })).build();
    }

    /** After this, a unit not yet taken is left as it is (not retried any more). */
    void giveUpAt(long nanoTime) {
        giveUpAt = nanoTime;
    }

    long requests() {
        return requests.get();
    }

    /** Requests that got no 2xx (refused connections, resets, timeouts, 429/5xx) and were retried. */
    long failures() {
        return failures.get();
    }

    void send(Unit u, String text, String email, String phone) {
        senders.execute(() -> attempt(u, text, email, phone, null));
    }

    private void attempt(Unit u, String text, String email, String phone, String token) {
        if (System.nanoTime() > giveUpAt) {
            return;
        }
        u.attempts.incrementAndGet();
        requests.incrementAndGet();
        String formToken = token;
        try {
            if (u.channel == Channel.WEBFORM_FORM && formToken == null) {
                HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                        .timeout(Duration.ofSeconds(30)).header("Accept-Language", "zh-CN,zh;q=0.9").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher m = FORM_TOKEN.matcher(page.body());
                if (page.statusCode() != 200 || !m.find()) {
                    retry(u, text, email, phone, null, page);
                    return;
                }
                formToken = m.group(1);
            }
            HttpResponse<String> r = client.send(request(u, text, email, phone, formToken), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status / 100 == 2) {
                u.accepted(r.body());
            } else if (status / 100 == 4 && status != 429 && status != 408) {
                u.refused(status + " " + r.body());
            } else {
                retry(u, text, email, phone, formToken, r);
            }
        } catch (Exception e) {
            // refused, reset (the hub was killed under the request) or timed out: sent again, the same request
            retry(u, text, email, phone, formToken, null);
        }
    }

    private void retry(Unit u, String text, String email, String phone, String token, HttpResponse<String> answer) {
        failures.incrementAndGet();
        long delayMs = Math.min(5_000, 250L << Math.min(5, u.attempts.get() - 1));
        if (answer != null) {
            String after = answer.headers().firstValue("Retry-After").orElse(null);
            if (after != null && after.matches("\\d+")) {
                delayMs = Math.min(5_000, Long.parseLong(after) * 1000);
            }
        }
        delayMs += ThreadLocalRandom.current().nextLong(250);
        retries.schedule(() -> senders.execute(() -> attempt(u, text, email, phone, token)), delayMs, TimeUnit.MILLISECONDS);
    }

    private HttpRequest request(Unit u, String text, String email, String phone, String formToken) {
        long now = System.currentTimeMillis() / 1000;
        return switch (u.channel) {
            case WEBFORM_JSON -> post("/api/complaints", "application/json", ("{\"customer\": {\"name\": \"Fault Run " + u.seq
                    + "\", \"email\": \"" + email + "\"}, \"subject\": \"Complaint " + u.marker + "\", \"description\": \""
                    + text + "\"}").getBytes(StandardCharsets.UTF_8)).header("Idempotency-Key", u.marker).build();
            case WEBFORM_FORM -> {
                Multipart form = new Multipart().field("customer.name", "客户 " + u.seq).field("customer.email", email)
                        .field("subject", "投诉 " + u.marker).field("description", text).field("consent", "yes")
                        .field("formToken", formToken).file("attachments", "photo-" + u.seq + ".jpg", "image/jpeg", PHOTO);
                yield post("/complaints", form.contentType(), form.body()).build();
            }
            case TELEGRAM -> post("/webhooks/telegram", "application/json", ("{\"update_id\":" + (500_000_000L + u.seq)
                    + ",\"message\":{\"message_id\":" + u.seq + ",\"from\":{\"id\":" + telegramChat(u.seq)
                    + ",\"is_bot\":false,\"first_name\":\"Fault\",\"last_name\":\"Run\",\"language_code\":\"en\"},"
                    + "\"chat\":{\"id\":" + telegramChat(u.seq) + ",\"first_name\":\"Fault\",\"type\":\"private\"},\"date\":"
                    + now + ",\"text\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8))
                    .header("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET).build();
            case WHATSAPP -> {
                String waId = phone.substring(1); // E.164 without the +
                byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":"
                        + "[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
                        + "\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"Fault Run " + u.seq
                        + "\"},\"wa_id\":\"" + waId + "\"}],\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"wamid." + u.marker
                        + "\",\"timestamp\":\"" + now + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text
                        + "\"}}]},\"field\":\"messages\"}]}]}").getBytes(StandardCharsets.UTF_8);
                yield post("/webhooks/meta", "application/json", body).header("X-Hub-Signature-256", metaSignature(body)).build();
            }
            default -> throw new IllegalArgumentException(u.channel + " is not an HTTP source");
        };
    }

    static long telegramChat(int seq) {
        return 7_000_000_000L + seq;
    }

    private HttpRequest.Builder post(String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static String metaSignature(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(META_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        senders.shutdownNow();
    }
}
