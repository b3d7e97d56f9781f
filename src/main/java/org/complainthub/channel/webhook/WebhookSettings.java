package org.complainthub.channel.webhook;

import jakarta.annotation.PostConstruct;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The webhook platforms' settings, {@code hub.webhooks.<platform>.<key>}, from channel-config/<platform>/channel.properties
 * (secrets from environment variables). A platform that is enabled without its secrets stops the start with the file
 * and key named: a webhook that checks nothing must never run.
 */
@Component
public class WebhookSettings {

    /** The secrets each platform's scheme cannot work without. */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "meta", List.of("app-secret", "verify-token"),
            "wechat", List.of("token"),
            "telegram", List.of("secret-token"),
            "slack", List.of("signing-secret"),
            "x", List.of("consumer-secret"));

    private final Environment env;
    /** Settings are read at start-up and do not change while the hub runs: each resolved once, not per request. */
    private final java.util.concurrent.ConcurrentMap<String, String> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookSettings(Environment env) {
        this.env = env;
    }

    @PostConstruct
    void check() {
        REQUIRED.forEach((platform, keys) -> {
            if (!bool(platform, "enabled")) {
                return;
            }
            for (String key : keys) {
                if (get(platform, key).isBlank()) {
                    throw new IllegalStateException("channel-config/" + platform + "/channel.properties: hub.webhooks."
                            + platform + "." + key + " is empty; the " + platform + " webhook is enabled and cannot check requests without it");
                }
            }
        });
        if (bool("wechat", "enabled") && !bool("wechat", "allow-plain")
                && (get("wechat", "encoding-aes-key").isBlank() || get("wechat", "app-id").isBlank())) {
            throw new IllegalStateException("channel-config/wechat/channel.properties: hub.webhooks.wechat.allow-plain is false, "
                    + "so safe mode needs hub.webhooks.wechat.encoding-aes-key and hub.webhooks.wechat.app-id "
                    + "(an account in plain mode: set hub.webhooks.wechat.allow-plain=true)");
        }
    }

    public String get(String platform, String key) {
        return resolved.computeIfAbsent(platform + "." + key, k -> env.getProperty("hub.webhooks." + k, "").strip());
    }

    public boolean bool(String platform, String key) {
        return Boolean.parseBoolean(get(platform, key));
    }

    public int integer(String platform, String key, int fallback) {
        String v = get(platform, key);
        return v.isEmpty() ? fallback : Integer.parseInt(v);
    }

    public Duration duration(String platform, String key, Duration fallback) {
        String v = get(platform, key);
        return v.isEmpty() ? fallback : org.springframework.boot.convert.DurationStyle.detectAndParse(v);
    }

    public List<String> list(String platform, String key) {
        String v = get(platform, key);
        return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
