package org.complainthub.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * The webhook part of {@code check}: an enabled platform without the secrets its verification scheme needs. Each
 * message is {@code channel-config/<platform>/channel.properties: hub.webhooks.<platform>.<key>: <what is wrong>}.
 * <p>
 * Stands in for the webhook settings' own check of issue 14 (WebhookSettings.problems(Environment), data-driven
 * schemes); when that is merged, {@link HubCheck} calls it instead and this class goes.
 */
final class WebhookSecretsCheck {

    private static final String PREFIX = "hub.webhooks.";
    private static final Pattern PLATFORM_KEY = Pattern.compile("hub\\.webhooks\\.([a-z][a-z0-9-]*)\\.[a-z0-9.-]+");
    /** The secrets each verification scheme cannot work without (the shipped platforms: the scheme is the name). */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "meta", List.of("app-secret", "verify-token"),
            "wechat", List.of("token"),
            "telegram", List.of("secret-token"),
            "slack", List.of("signing-secret"),
            "x", List.of("consumer-secret"));

    private WebhookSecretsCheck() {
    }

    static List<String> problems(Environment env, SettingsFiles files, Path channelConfig) {
        Set<String> platforms = new TreeSet<>();
        for (SettingsFiles.Setting s : files.all()) {
            Matcher m = PLATFORM_KEY.matcher(s.key());
            if (m.matches()) {
                platforms.add(m.group(1));
            }
        }
        List<String> out = new ArrayList<>();
        for (String platform : platforms) {
            String enabled = get(env, platform, "enabled");
            if (!enabled.isEmpty() && !enabled.equals("true") && !enabled.equals("false")) {
                out.add(where(files, channelConfig, platform, "enabled") + "\"" + enabled + "\" is neither true nor false");
            }
            if (!enabled.equals("true")) {
                continue;
            }
            String scheme = get(env, platform, "scheme");
            List<String> required = new ArrayList<>(REQUIRED.getOrDefault(scheme.isEmpty() ? platform : scheme, List.of()));
            boolean safeMode = "wechat".equals(scheme.isEmpty() ? platform : scheme)
                    && !get(env, platform, "allow-plain").equals("true");
            if (safeMode) {
                required.addAll(List.of("encoding-aes-key", "app-id")); // safe mode decrypts with both
            }
            for (String key : required) {
                if (get(env, platform, key).isEmpty()) {
                    String variable = files.find(PREFIX + platform + "." + key).flatMap(SettingsFiles.Setting::variable)
                            .map(v -> " (" + v + (System.getenv(v) == null ? " is not set)" : " is empty)")).orElse("");
                    out.add(where(files, channelConfig, platform, key) + "empty" + variable + " and the " + platform
                            + " webhook is enabled" + (safeMode && !REQUIRED.get("wechat").contains(key)
                            ? " in safe mode (allow-plain=false)" : ""));
                }
            }
        }
        return out;
    }

    private static String get(Environment env, String platform, String key) {
        try {
            return env.getProperty(PREFIX + platform + "." + key, "").strip();
        } catch (IllegalArgumentException unresolvable) {
            return "";
        }
    }

    private static String where(SettingsFiles files, Path channelConfig, String platform, String key) {
        return files.fileOf(PREFIX + platform + "." + key, channelConfig, platform) + ": " + PREFIX + platform + "." + key + ": ";
    }
}
