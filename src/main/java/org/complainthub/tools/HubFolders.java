package org.complainthub.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The folders IT edits: routes, channel settings, mappings (with templates) and the classification rules file.
 *
 * @param routes        routes/*.yaml (hub.routes-dir)
 * @param channelConfig channel-config/<channel>/*.properties
 * @param mappings      the mapping files, templates/ (hub.mappings-dir)
 * @param rules         the classification rules (hub.rules-file)
 */
public record HubFolders(Path routes, Path channelConfig, Path mappings, Path rules) {

    /** Where the hub finds its channel settings (spring.config.import in application.properties). */
    public static final Path CHANNEL_CONFIG = Path.of("channel-config");

    /** The folders of a running hub, from its settings. */
    public static HubFolders of(Environment env) {
        Path mappings = Path.of(env.getProperty("hub.mappings-dir", "mappings"));
        return new HubFolders(Path.of(env.getProperty("hub.routes-dir", "routes")), CHANNEL_CONFIG, mappings,
                Path.of(env.getProperty("hub.rules-file", mappings.resolve("rules/classification.yaml").toString())));
    }

    /**
     * From the tools' options (--routes DIR, --channel-config DIR, --mappings DIR, --rules FILE); the defaults are the
     * hub's, relative to the working directory; the rules follow --mappings unless named.
     */
    static HubFolders of(Map<String, String> options) {
        Path mappings = Path.of(options.getOrDefault("mappings", "mappings"));
        return new HubFolders(Path.of(options.getOrDefault("routes", "routes")),
                Path.of(options.getOrDefault("channel-config", CHANNEL_CONFIG.toString())), mappings,
                Path.of(options.getOrDefault("rules", mappings.resolve("rules/classification.yaml").toString())));
    }

    public HubFolders withMappings(Path dir) {
        return new HubFolders(routes, channelConfig, dir, rules);
    }

    /**
     * The hub's settings as the hub would see them, without starting it: these folders, then system properties and
     * environment variables (so {@code ${HUB_X:}} placeholders resolve from the real environment, and HUB_A_B overrides
     * hub.a.b), then every channel-config/<channel>/channel.properties and replies.properties, then an
     * application.properties in ./config/ or ./ if there is one, then the jar's own application.properties.
     */
    public StandardEnvironment environment() {
        StandardEnvironment env = new StandardEnvironment();
        MutablePropertySources sources = env.getPropertySources();
        Map<String, Object> folders = new LinkedHashMap<>();
        folders.put("hub.routes-dir", routes.toString());
        folders.put("hub.mappings-dir", mappings.toString());
        folders.put("hub.rules-file", rules.toString());
        sources.addFirst(new MapPropertySource("the tool's folders", folders));
        for (Path file : channelFiles()) {
            sources.addLast(load(new FileSystemResource(file)));
        }
        for (String external : List.of("config/application.properties", "application.properties")) {
            if (Files.isRegularFile(Path.of(external))) {
                sources.addLast(load(new FileSystemResource(external)));
            }
        }
        sources.addLast(load(new ClassPathResource("application.properties")));
        return env;
    }

    /** channel-config/*&#47;channel.properties and replies.properties, in the order the hub imports them. */
    List<Path> channelFiles() {
        if (!Files.isDirectory(channelConfig)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(channelConfig)) {
            List<Path> sorted = dirs.filter(Files::isDirectory).sorted().toList();
            // spring.config.import: every channel.properties, then every replies.properties; a later one wins
            return Stream.concat(sorted.stream().map(d -> d.resolve("replies.properties")),
                    sorted.stream().map(d -> d.resolve("channel.properties"))).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + channelConfig, e);
        }
    }

    private static PropertySource<?> load(Resource resource) {
        try {
            return new ResourcePropertySource(resource);
        } catch (IOException | IllegalArgumentException e) {
            // a file that does not parse is check's to report; the rest of the settings still count
            return new PropertiesPropertySource(resource.getDescription(), new Properties());
        }
    }
}
