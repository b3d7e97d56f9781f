package org.complainthub.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The channel settings as written in channel-config/<channel>/*.properties (not resolved): which file sets a key, and
 * the environment variable its {@code ${HUB_X:}} placeholder reads. A file that does not parse, or sets a key twice
 * (the second silently wins), is a problem.
 */
final class SettingsFiles {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

    /** One key as written: the file (as shown in messages), the key and its raw value. */
    record Setting(String file, String key, String raw) {
        /** The environment variable the value reads (HUB_SLACK_SIGNING_SECRET), if it is such a placeholder. */
        Optional<String> variable() {
            Matcher m = VARIABLE.matcher(raw);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
    }

    private final Map<String, Setting> byKey = new LinkedHashMap<>();

    /** Reads every file of {@code files}; what is wrong with them goes into {@code problems}. */
    static SettingsFiles read(List<Path> files, List<String> problems) {
        SettingsFiles settings = new SettingsFiles();
        for (Path file : files) {
            String name = file.toString().replace('\\', '/');
            Map<String, String> keys = new LinkedHashMap<>();
            Properties p = new Properties() {
                @Override
                public synchronized Object put(Object key, Object value) {
                    if (keys.put((String) key, (String) value) != null) {
                        problems.add(name + ": " + key + ": set twice (the last value wins; remove one)");
                    }
                    return super.put(key, value);
                }
            };
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                problems.add(name + ": cannot be read as a properties file: " + e.getMessage());
                continue;
            }
            keys.forEach((k, v) -> settings.byKey.putIfAbsent(k, new Setting(name, k, v)));
        }
        return settings;
    }

    Optional<Setting> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    List<Setting> all() {
        return new ArrayList<>(byKey.values());
    }

    /** The file that sets {@code key}, or where it belongs: channel-config/<channel>/channel.properties. */
    String fileOf(String key, Path channelConfig, String channel) {
        return find(key).map(Setting::file)
                .orElse(channelConfig.resolve(channel).resolve("channel.properties").toString().replace('\\', '/'));
    }
}
