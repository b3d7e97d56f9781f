package org.complainthub.channel.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.complainthub.complaint.Complaint.Evidence;
import org.complainthub.complaint.RecordJson;
import org.complainthub.evidence.EvidenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Downloads the media of a social message into the evidence store on intake: platform links expire (WeChat's after
 * three days). A medium is a link from the payload ({@code url}, fetched only from the platform's
 * {@code media-hosts}, so an unsigned WeChat plain-mode body cannot make the hub fetch anything else) or a platform
 * media id ({@code id}) resolved through the platform's API at its configured base URL: Telegram getFile, WhatsApp
 * Cloud API media. A medium that cannot be fetched does not hold the complaint up: it is named in the result's
 * {@code failed} list and the complaint keeps the platform's event (with the link or id) as its raw copy.
 */
@Component
public class MediaFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);

    private final WebhookSettings settings;
    private final EvidenceStore evidence;
    // WeChat waits 5 s for the whole answer: connecting and downloading are bounded well inside that
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(1500))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public MediaFetcher(WebhookSettings settings, EvidenceStore evidence) {
        this.settings = settings;
        this.evidence = evidence;
    }

    /** @param stored the evidence entries  @param failed the media types that could not be fetched */
    public record Fetched(List<Evidence> stored, List<String> failed) {
    }

    public Fetched fetch(String platform, List<?> media) {
        List<Evidence> stored = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int limit = settings.integer(platform, "media-max-count", 5);
        for (Object o : media) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            String type = m.get("type") == null ? "file" : String.valueOf(m.get("type"));
            if (stored.size() >= limit) {
                failed.add(type);
                continue;
            }
            try {
                stored.add(download(platform, m, type));
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: a {} could not be fetched into the evidence store: {}", platform, type, e.getMessage());
                failed.add(type);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(type);
            }
        }
        return new Fetched(stored, failed);
    }

    private Evidence download(String platform, Map<?, ?> m, String type) throws IOException, InterruptedException {
        String token = settings.get(platform, "media-token");
        URI uri;
        if (m.get("url") instanceof String url && !url.isBlank()) {
            uri = URI.create(url);
            if (!allowed(platform, uri)) {
                throw new IOException("the link's host is not one of hub.webhooks." + platform + ".media-hosts");
            }
        } else if (m.get("id") != null) {
            uri = resolve(platform, String.valueOf(m.get("id")), token);
        } else {
            throw new IOException("neither a link nor a media id");
        }
        // a link is fetched with the platform's token only where the platform wants it (Slack's url_private)
        String bearer = m.get("url") != null && !settings.bool(platform, "media-token-for-links") ? null : token;
        HttpResponse<InputStream> r = http.send(get(platform, uri, bearer), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode());
            }
            String contentType = r.headers().firstValue("Content-Type").orElse("application/octet-stream");
            String name = m.get("name") instanceof String n && !n.isBlank() ? n : fileName(uri, type);
            return evidence.store(name, contentType, body, settings.integer(platform, "media-max-bytes", 20 * 1024 * 1024));
        }
    }

    /** A platform media id to the link its API gives for it. */
    private URI resolve(String platform, String id, String token) throws IOException, InterruptedException {
        if (!id.matches("[A-Za-z0-9_.:-]{1,300}")) {
            throw new IOException("not a media id");
        }
        String api = settings.get(platform, "api-base-url").replaceAll("/+$", "");
        Map<?, ?> answer;
        if ("telegram".equals(platform)) {
            String bot = settings.get(platform, "bot-token");
            answer = json(http.send(get(platform, URI.create(api + "/bot" + bot + "/getFile?file_id=" + id), null),
                    HttpResponse.BodyHandlers.ofByteArray()));
            if (!(answer.get("result") instanceof Map<?, ?> result) || !(result.get("file_path") instanceof String path)
                    || path.contains("..")) {
                throw new IOException("getFile gave no file_path");
            }
            return URI.create(api + "/file/bot" + bot + "/" + path);
        }
        answer = json(http.send(get(platform, URI.create(api + "/" + id), token), HttpResponse.BodyHandlers.ofByteArray()));
        if (!(answer.get("url") instanceof String url)) {
            throw new IOException("the media lookup gave no url");
        }
        URI uri = URI.create(url);
        if (!allowed(platform, uri)) {
            throw new IOException("the media link's host is not one of hub.webhooks." + platform + ".media-hosts");
        }
        return uri;
    }

    private HttpRequest get(String platform, URI uri, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET()
                .timeout(Duration.ofMillis(settings.integer(platform, "media-timeout-ms", 3000)));
        if (bearer != null && !bearer.isBlank()) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    private static Map<?, ?> json(HttpResponse<byte[]> r) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode());
        }
        return RecordJson.MAPPER.readValue(new String(r.body(), StandardCharsets.UTF_8), Map.class);
    }

    boolean allowed(String platform, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || host.isEmpty()) {
            return false;
        }
        return settings.list(platform, "media-hosts").stream().map(h -> h.toLowerCase(Locale.ROOT))
                .anyMatch(h -> host.equals(h) || host.endsWith("." + h));
    }

    private static String fileName(URI uri, String type) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() || !last.contains(".") ? type : last;
    }
}
