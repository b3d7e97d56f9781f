package org.complainthub.channel.webhook;

import jakarta.annotation.PostConstruct;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.outbound.chat.ChatPlatforms;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * The webhook platforms and their settings, {@code hub.webhooks.<platform>.<key>}, from
 * channel-config/<platform>/channel.properties (secrets from environment variables). The platforms are whatever the
 * settings name: no list in Java. A platform's scheme says how its requests are verified (and which secrets it needs),
 * its channels which channel names its messages may carry. A platform that is enabled without its secrets, or with a
 * setting the hub cannot use, stops the start with every problem named by file and key ({@link #problems}): a webhook
 * that checks nothing must never run.
 */
@Component
public class WebhookSettings {

    static final String PREFIX = "hub.webhooks.";
    /** How a platform's requests are verified; hmac is the configurable one ({@link HmacScheme}). */
    static final Set<String> SCHEMES = Set.of("hmac", "meta", "x", "slack", "telegram", "wechat");
    /** The secrets each scheme cannot work without (hmac, meta, x and slack: their {@link HmacScheme#secretKey}, too). */
    static final Map<String, List<String>> SECRETS = Map.of(
            "meta", List.of("verify-token"),
            "wechat", List.of("token"),
            "telegram", List.of("secret-token"));
    static final Set<String> FORMATS = Set.of("json", "xml", "form");
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern MAPPING = Pattern.compile("[A-Za-z0-9._-]+\\.jsonata");
    /** Where a file under channel-config/ shows in the name of the property source Spring made of it. */
    private static final Pattern CONFIG_FILE = Pattern.compile("channel-config/([^/\\]]+)/([^/\\]]+\\.properties)");

    private final Environment env;
    /** Settings are read at start-up and do not change while the hub runs: each resolved once, not per request. */
    private final ConcurrentMap<String, String> resolved = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, HmacScheme> hmac = new ConcurrentHashMap<>();
    private volatile Set<String> platforms;
    private volatile Set<String> socialChannels;

    public WebhookSettings(Environment env) {
        this.env = env;
    }

    /** At start-up: every problem of every platform at once, in the exception's message. */
    @PostConstruct
    void check() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the webhook settings cannot be used:\n  " + String.join("\n  ", problems));
        }
    }

    /** What is wrong with the webhook settings of this environment; empty when the hub can start with them. */
    public List<String> problems() {
        return problems(env);
    }

    /**
     * What is wrong with the webhook settings, each as {@code channel-config/<platform>/channel.properties:
     * hub.webhooks.<platform>.<key>: <what is wrong>}. Needs no Spring context: the environment may be one built by
     * hand from the properties files (the {@code check} command).
     */
    public static List<String> problems(Environment env) {
        WebhookSettings s = new WebhookSettings(env);
        List<String> out = new ArrayList<>();
        Map<String, String> channelOwner = new LinkedHashMap<>();
        for (String platform : s.platforms()) {
            if (!NAME.matcher(platform).matches()) {
                out.add(where(platform, "") + "a platform's name is a lower-case letter, then at most 31 lower-case letters, digits or -");
                continue;
            }
            try {
                s.platformProblems(platform, channelOwner, out);
            } catch (IllegalArgumentException unresolvable) { // e.g. ${HUB_SECRET} with no such variable and no default
                out.add(where(platform, "") + "a setting cannot be read: " + unresolvable.getMessage());
            }
        }
        return out;
    }

    private void platformProblems(String platform, Map<String, String> channelOwner, List<String> out) {
        String enabled = get(platform, "enabled");
        if (!enabled.isEmpty() && !enabled.equals("true") && !enabled.equals("false")) {
            out.add(where(platform, "enabled") + "\"" + enabled + "\" is neither true nor false");
        }
        String scheme = scheme(platform);
        if (!SCHEMES.contains(scheme)) {
            out.add(where(platform, "scheme") + (scheme.isEmpty() ? "missing" : "\"" + scheme + "\" is unknown")
                    + ": one of hmac, meta, x, slack, telegram, wechat");
            return;
        }
        for (String key : List.of("max-bytes", "timestamp-window-seconds", "media-max-count", "media-max-bytes", "media-timeout-ms")) {
            String v = get(platform, key);
            if (!v.isEmpty() && !v.matches("\\d{1,9}")) {
                out.add(where(platform, key) + "\"" + v + "\" is not a whole number");
            }
        }
        try {
            duration(platform, "follow-up-window", Duration.ZERO);
        } catch (RuntimeException e) {
            out.add(where(platform, "follow-up-window") + "\"" + get(platform, "follow-up-window") + "\" is not a duration (e.g. 30m, 2h)");
        }
        String format = format(platform);
        if (!FORMATS.contains(format)) {
            out.add(where(platform, "format") + "\"" + format + "\" is not json, xml or form");
        }
        String mapping = mapping(platform);
        Path dir = Path.of(env.getProperty("hub.mappings-dir", "mappings"));
        if (!MAPPING.matcher(mapping).matches()) {
            out.add(where(platform, "mapping") + "\"" + mapping + "\" is not a file name ending in .jsonata");
        } else if (!Files.isRegularFile(dir.resolve(mapping))) {
            out.add(where(platform, "mapping") + "there is no " + dir.resolve(mapping) + " (hub.mappings-dir is " + dir + ")");
        }
        for (String channel : channels(platform)) {
            if (!NAME.matcher(channel).matches()) {
                out.add(where(platform, "channels") + "\"" + channel + "\" is no channel name (a lower-case letter, then letters, digits or -)");
            } else if (channelOwner.putIfAbsent(channel, platform) != null) {
                out.add(where(platform, "channels") + "\"" + channel + "\" is a channel of " + channelOwner.get(channel) + " already");
            } else {
                transportProblems(channel, out);
            }
        }
        boolean on = bool(platform, "enabled");
        if (HmacScheme.signs(scheme)) {
            HmacScheme h = HmacScheme.of(this, platform, scheme);
            h.problems((key, what) -> out.add(where(platform, key) + what));
            if (on && get(platform, h.secretKey()).isBlank()) {
                out.add(where(platform, h.secretKey()) + "empty; the " + platform + " webhook is enabled and cannot check requests without it");
            }
        }
        if (on) {
            for (String key : SECRETS.getOrDefault(scheme, List.of())) {
                if (get(platform, key).isBlank()) {
                    out.add(where(platform, key) + "empty; the " + platform + " webhook is enabled and cannot check requests without it");
                }
            }
            if (scheme.equals("wechat") && !bool(platform, "allow-plain")) {
                for (String key : List.of("encoding-aes-key", "app-id")) {
                    if (get(platform, key).isBlank()) {
                        out.add(where(platform, key) + "empty; allow-plain is false, so safe mode needs encoding-aes-key and "
                                + "app-id (an account in plain mode: set " + PREFIX + platform + ".allow-plain=true)");
                    }
                }
            }
        }
    }

    /**
     * A channel's reply transports (hub.outbound.transports.<channel>) must be ones the hub has: a reply on a platform
     * of its own needs its send API in Java (outbound/chat), which settings alone cannot give.
     */
    private void transportProblems(String channel, List<String> out) {
        String key = "hub.outbound.transports." + channel;
        String list = env.getProperty(key);
        if (list == null) {
            return;
        }
        for (String t : Arrays.stream(list.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList()) {
            if (!t.equals("email") && !t.equals("sms") && !ChatPlatforms.TRANSPORTS.contains(t)) {
                out.add(fileOf(key, channel, "replies.properties") + ": " + key + ": \"" + t + "\" is no reply transport of the hub "
                        + "(email, sms, " + String.join(", ", new TreeSet<>(ChatPlatforms.TRANSPORTS))
                        + "): replying on another platform needs its send API in Java");
            } else if (ChatPlatforms.TRANSPORTS.contains(t) && !t.equals(channel)) {
                out.add(fileOf(key, channel, "replies.properties") + ": " + key + ": \"" + t
                        + "\" cannot reach a customer of " + channel + ": a platform's id is only good on its own platform");
            }
        }
    }

    /**
     * The file under channel-config/ that sets the key, as Spring's name of its property source says (an override on
     * the command line or in the environment names none); else channel-config/<folder>/<file>.
     */
    private String fileOf(String key, String folder, String file) {
        if (env instanceof ConfigurableEnvironment c) {
            for (PropertySource<?> source : c.getPropertySources()) {
                Matcher m = CONFIG_FILE.matcher(source.getName());
                if (source.containsProperty(key) && m.find()) {
                    return m.group();
                }
            }
        }
        return "channel-config/" + folder + "/" + file;
    }

    private static String where(String platform, String key) {
        return "channel-config/" + platform + "/channel.properties: " + PREFIX + platform + (key.isEmpty() ? "" : "." + key) + ": ";
    }

    /** Every platform the settings name (hub.webhooks.<platform>.*), enabled or not. */
    public Set<String> platforms() {
        Set<String> found = platforms;
        if (found == null) {
            found = new TreeSet<>();
            if (env instanceof ConfigurableEnvironment c) {
                for (PropertySource<?> source : c.getPropertySources()) {
                    if (source instanceof EnumerablePropertySource<?> e) {
                        for (String name : e.getPropertyNames()) {
                            if (name.startsWith(PREFIX) && name.indexOf('.', PREFIX.length()) > PREFIX.length()) {
                                found.add(name.substring(PREFIX.length(), name.indexOf('.', PREFIX.length())));
                            }
                        }
                    }
                }
            }
            platforms = found = java.util.Collections.unmodifiableSet(found);
        }
        return found;
    }

    /** How the platform's requests are verified: hub.webhooks.<p>.scheme, else the platform's name if it is a scheme. */
    public String scheme(String platform) {
        String s = get(platform, "scheme");
        return !s.isEmpty() ? s : SCHEMES.contains(platform) && !platform.equals("hmac") ? platform : "";
    }

    /** The channels the platform's messages may carry: hub.webhooks.<p>.channels, else the platform's own name. */
    public List<String> channels(String platform) {
        List<String> named = list(platform, "channels");
        return named.isEmpty() ? List.of(platform) : named;
    }

    /** Whether the channel is one of a webhook platform's (its customers are accounts, with threads and scores). */
    public boolean socialChannel(String channel) {
        Set<String> all = socialChannels;
        if (all == null) {
            all = new java.util.HashSet<>();
            for (String p : platforms()) {
                all.addAll(channels(p));
            }
            socialChannels = all = Set.copyOf(all);
        }
        return all.contains(channel);
    }

    /** The body's format: json (default), xml or form (application/x-www-form-urlencoded). */
    public String format(String platform) {
        String f = get(platform, "format");
        return f.isEmpty() ? "json" : f;
    }

    /** The mapping file in hub.mappings-dir that picks the customer messages out of a request: default <platform>.jsonata. */
    public String mapping(String platform) {
        String m = get(platform, "mapping");
        return m.isEmpty() ? platform + ".jsonata" : m;
    }

    /** The signature settings of a platform whose scheme signs with an HMAC (hmac, meta, x, slack). */
    HmacScheme hmac(String platform) {
        return hmac.computeIfAbsent(platform, p -> HmacScheme.of(this, p, scheme(p)));
    }

    public String get(String platform, String key) {
        return resolved.computeIfAbsent(platform + "." + key, k -> env.getProperty(PREFIX + k, "").strip());
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
