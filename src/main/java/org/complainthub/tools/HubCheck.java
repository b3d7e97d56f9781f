package org.complainthub.tools;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.mustachejava.DefaultMustacheFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.complainthub.HubProperties;
import org.complainthub.channel.webhook.WebhookSettings;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.complaint.RecordJson;
import org.complainthub.outbound.MessageTemplates;
import org.complainthub.webform.FormPage;
import org.springframework.core.env.Environment;

/**
 * Everything IT edits, checked without starting the hub: the route files (YAML, ids, the mapping each intake call
 * names, the settings their placeholders need), the channel settings (readable, set once, the mapping files they name,
 * what an enabled channel cannot run without, its secrets in the environment), every mapping file (it compiles), the
 * classification rules and the templates. Each problem names the file and the key. The {@code check} command prints
 * them; the hub runs the same at start-up ({@link StartupCheck}) and does not start while there is one.
 */
public final class HubCheck {

    private static final Pattern MAPPING_NAME = Pattern.compile("[A-Za-z0-9._-]+\\.jsonata");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /**
     * @param problems what stops the hub (check exits 1)
     * @param notes    worth knowing, not wrong: an optional secret of an enabled channel is not set
     * @param summary  what was checked, in one line
     */
    public record Result(List<String> problems, List<String> notes, String summary) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final HubFolders folders;
    private final Environment env;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Keys whose emptiness was reported as a problem: not noted again. */
    private final Set<String> reported = new LinkedHashSet<>();
    private SettingsFiles settings;
    private final Set<String> mappingNames = new LinkedHashSet<>();

    private HubCheck(HubFolders folders, Environment env) {
        this.folders = folders;
        this.env = env;
    }

    /** Checks {@code folders} with the settings of {@code env} (the hub's own, or one {@link HubFolders#environment} built). */
    public static Result run(HubFolders folders, Environment env) {
        return new HubCheck(folders, env).run();
    }

    private Result run() {
        List<Path> files = folders.channelFiles();
        if (!Files.isDirectory(folders.channelConfig())) {
            problems.add(show(folders.channelConfig()) + ": no such folder (--channel-config)");
        }
        settings = SettingsFiles.read(files, problems);
        checkOtherChannelFiles();
        compileMappings();
        checkMappingSettings();
        RouteFiles routes = RouteFiles.read(folders.routes(), problems);
        for (Path yml : list(folders.routes(), ".yml")) {
            notes.add(show(yml) + ": not read by the hub (route files end in .yaml)");
        }
        checkRoutes(routes);
        // the webhook platforms' own check, the one the hub runs at start-up; an empty secret is told its variable
        for (String p : WebhookSettings.problems(env)) {
            Matcher key = Pattern.compile(": (hub\\.[^ :]+): ").matcher(p);
            if (key.find()) {
                reported.add(key.group(1));
                int at = p.indexOf(": empty", key.start());
                if (at >= 0) {
                    int empty = at + ": empty".length();
                    String variable = settings.find(key.group(1)).flatMap(SettingsFiles.Setting::variable)
                            .map(v -> " (" + v + (System.getenv(v) == null ? " is not set)" : " is empty)")).orElse("");
                    p = p.substring(0, empty) + variable + p.substring(empty);
                }
            }
            problems.add(p);
        }
        checkEmail();
        checkHotline();
        checkWebform();
        noteEmptySecrets();
        checkRules();
        checkTemplates();
        String summary = String.format("%s/ (%d route calls into the intake), %s/ (%d settings files), %s/ (%d mapping files), %s",
                show(folders.routes()), routes.intakes.size(), show(folders.channelConfig()), files.size(),
                show(folders.mappings()), mappingNames.size(), show(folders.rules()));
        return new Result(List.copyOf(new LinkedHashSet<>(problems)), List.copyOf(new LinkedHashSet<>(notes)), summary);
    }

    // ---- mappings ----

    private void compileMappings() {
        Path dir = folders.mappings();
        if (!Files.isDirectory(dir)) {
            problems.add(show(dir) + ": no such folder (--mappings, hub.mappings-dir)");
            return;
        }
        for (Path file : list(dir, ".jsonata")) {
            mappingNames.add(file.getFileName().toString());
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(show(file) + ": cannot be read: " + e.getMessage());
                continue;
            }
            String error = jsonataError(text);
            if (error != null) {
                problems.add(show(file) + ": " + error);
            }
        }
    }

    /** Null when {@code expression} compiles, else "line N: what is wrong". */
    static String jsonataError(String expression) {
        try {
            Jsonata.jsonata(expression);
            return null;
        } catch (JException e) {
            // the location is the character offset just after the offending token
            int at = Math.max(0, Math.min(expression.length(), e.getLocation()) - 1);
            long line = expression.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
            return "line " + line + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "does not compile: " + e.getMessage();
        }
    }

    /** hub.*.mapping and hub.*-mapping settings (the hotline formats, the web form, email) name existing files. */
    private void checkMappingSettings() {
        for (SettingsFiles.Setting s : settings.all()) {
            String last = s.key().substring(s.key().lastIndexOf('.') + 1);
            if (!last.equals("mapping") && !last.endsWith("-mapping")) {
                continue;
            }
            String value = property(s.key());
            if (value == null || value.isBlank()) {
                problems.add(s.file() + ": " + s.key() + ": empty (a mapping file in " + show(folders.mappings()) + "/)");
            } else if (Files.isDirectory(folders.mappings()) && !mappingNames.contains(value.strip())) {
                problems.add(s.file() + ": " + s.key() + ": " + value.strip() + " does not exist in " + show(folders.mappings()) + "/");
            }
        }
    }

    // ---- routes ----

    private void checkRoutes(RouteFiles routes) {
        Set<String> seen = new LinkedHashSet<>();
        for (RouteFiles.Placeholder p : routes.placeholders) {
            if (property(p.key()) == null && seen.add(p.file() + "|" + p.key())) {
                problems.add(p.file() + ": route " + p.routeId() + ": {{" + p.key() + "}}: " + p.key()
                        + " is not set (in " + show(folders.channelConfig()) + "/ or application.properties)");
            }
        }
        for (RouteFiles.Intake call : routes.intakes) {
            boolean webhook = call.kamelet().equals("webhook-intake");
            String name = call.name();
            if (name.isBlank()) {
                problems.add(call.where() + ": kamelet:" + call.kamelet() + " without its " + (webhook ? "platform" : "channel") + " parameter");
            } else if (!name.contains("${") && !CHANNEL_NAME.matcher(name).matches()) {
                problems.add(call.where() + ": " + (webhook ? "platform" : "channel") + " \"" + name
                        + "\": a lower-case letter, then at most 31 lower-case letters, digits or -");
            }
            String raw = call.parameters().get("mapping");
            if (raw == null) {
                if (!webhook) { // a webhook platform's mapping may come from its settings (hub.webhooks.<platform>.mapping)
                    problems.add(call.where() + ": kamelet:complaint-intake without its mapping parameter");
                }
                continue;
            }
            String mapping = RouteFiles.resolve(raw, env);
            if (mapping == null) {
                continue; // the placeholder that is not set is reported above
            }
            if (!MAPPING_NAME.matcher(mapping.strip()).matches()) {
                problems.add(call.where() + ": mapping \"" + mapping + "\" is not the name of a .jsonata file in "
                        + show(folders.mappings()) + "/");
            } else if (Files.isDirectory(folders.mappings()) && !mappingNames.contains(mapping.strip())
                    && !fromCheckedSetting(raw)) {
                problems.add(call.where() + ": mapping " + mapping.strip() + (raw.equals(mapping) ? "" : " (" + raw + ")")
                        + " does not exist in " + show(folders.mappings()) + "/");
            }
        }
    }

    /** The mapping is a placeholder of a channel setting: its missing file was reported with that file and key. */
    private boolean fromCheckedSetting(String raw) {
        Matcher m = Pattern.compile("^\\{\\{([^{}?:]+)}}$").matcher(raw.strip());
        return m.matches() && settings.find(m.group(1).strip()).isPresent();
    }

    // ---- what enabled channels cannot run without ----

    private void checkEmail() {
        if (!"true".equals(property("hub.email.enabled"))) {
            return;
        }
        for (String key : List.of("hub.email.host", "hub.email.username", "hub.email.password")) {
            required(key, "email", "the email channel is enabled");
        }
    }

    private void checkHotline() {
        boolean folder = "true".equals(property("hub.hotline.enabled"));
        boolean sftp = "true".equals(property("hub.hotline.sftp.enabled"));
        if (!folder && !sftp) {
            return;
        }
        Map<String, String> formats = new TreeMap<>();
        for (SettingsFiles.Setting s : settings.all()) {
            Matcher m = Pattern.compile("hub\\.hotline\\.formats\\.([^.]+)\\.take").matcher(s.key());
            if (m.matches()) {
                formats.put(m.group(1), s.file());
            }
            if (s.key().matches("hub\\.hotline\\.formats\\.[^.]+\\.mapping")) {
                formats.putIfAbsent(s.key().split("\\.")[3], s.file());
            }
        }
        for (String key : sftp ? List.of("hub.hotline.format", "hub.hotline.sftp.format") : List.of("hub.hotline.format")) {
            String format = property(key);
            if (format != null && !formats.containsKey(format.strip())) {
                problems.add(settings.fileOf(key, folders.channelConfig(), "hotline") + ": " + key + ": \"" + format
                        + "\" names no format (known: " + formats.keySet() + ")");
            }
        }
        for (String format : formats.keySet()) {
            String key = "hub.hotline.formats." + format + ".take";
            String take = property(key);
            String error = take == null || take.isBlank() ? null : jsonataError(take);
            if (error != null) {
                problems.add(formats.get(format) + ": " + key + ": " + error);
            }
        }
        if (sftp) {
            required("hub.hotline.sftp.host", "hotline", "the hotline's SFTP is enabled");
            required("hub.hotline.sftp.username", "hotline", "the hotline's SFTP is enabled");
            String password = property("hub.hotline.sftp.password");
            String keyFile = property("hub.hotline.sftp.private-key-file");
            if ((password == null || password.isBlank()) && (keyFile == null || keyFile.isBlank())) {
                required("hub.hotline.sftp.password", "hotline", "the hotline's SFTP is enabled and no private-key-file is set");
            }
            String knownHosts = property("hub.hotline.sftp.known-hosts-file");
            if (knownHosts != null && !knownHosts.isBlank() && !Files.isRegularFile(Path.of(knownHosts))) {
                problems.add(settings.fileOf("hub.hotline.sftp.known-hosts-file", folders.channelConfig(), "hotline")
                        + ": hub.hotline.sftp.known-hosts-file: " + knownHosts + " does not exist (the server's host key must be in it)");
            }
        }
    }

    private void checkWebform() {
        if (!"true".equals(property("hub.webform.enabled"))) {
            return;
        }
        String key = "hub.webform.submission-schema";
        String schema = property(key);
        if (schema != null && !schema.isBlank()) {
            Path file = Path.of(schema.replaceFirst("^file:", ""));
            if (!Files.isRegularFile(file)) {
                problems.add(settings.fileOf(key, folders.channelConfig(), "webform") + ": " + key + ": " + schema + " does not exist");
            }
        }
    }

    /** An empty setting the channel cannot do without: named with its file and, for a secret, its variable. */
    private void required(String key, String channel, String because) {
        String value = property(key);
        if (value != null && !value.isBlank()) {
            return;
        }
        SettingsFiles.Setting written = settings.find(key).orElse(null);
        String variable = written != null ? written.variable().orElse(null)
                : key.toUpperCase().replace('.', '_').replace('-', '_'); // the relaxed name Spring reads it from
        problems.add(settings.fileOf(key, folders.channelConfig(), channel) + ": " + key + ": empty"
                + (variable == null ? "" : " (" + variable + (System.getenv(variable) == null ? " is not set)" : " is empty)"))
                + " and " + because);
        reported.add(key);
    }

    /**
     * A {@code ${HUB_X:}} secret of an enabled part of a channel that is empty: noted, not a problem (media tokens and
     * the like are optional; what a channel cannot do without is checked above). A key belongs to the closest
     * {@code <prefix>.enabled} above it (hub.hotline.sftp.password to hub.hotline.sftp.enabled).
     */
    private void noteEmptySecrets() {
        for (SettingsFiles.Setting s : settings.all()) {
            if (s.variable().isEmpty() || reported.contains(s.key()) || s.key().endsWith(".enabled")) {
                continue;
            }
            String enabledKey = enabledKeyOf(s.key());
            String value = property(s.key());
            if (enabledKey != null && "true".equals(property(enabledKey)) && (value == null || value.isBlank())) {
                notes.add(s.file() + ": " + s.key() + ": empty (" + s.variable().get() + " is not set); "
                        + enabledKey + " is true");
            }
        }
    }

    private String enabledKeyOf(String key) {
        String prefix = key;
        while (prefix.lastIndexOf('.') > 0) {
            prefix = prefix.substring(0, prefix.lastIndexOf('.'));
            if (settings.find(prefix + ".enabled").isPresent()) {
                return prefix + ".enabled";
            }
        }
        return null;
    }

    private void checkOtherChannelFiles() {
        if (!Files.isDirectory(folders.channelConfig())) {
            return;
        }
        try (Stream<Path> all = Files.walk(folders.channelConfig(), 2)) {
            List<Path> files = all.filter(Files::isRegularFile).sorted().toList();
            for (Path other : files) {
                String name = other.getFileName().toString();
                if (name.endsWith(".properties") && !name.equals("channel.properties") && !name.equals("replies.properties")) {
                    notes.add(show(other) + ": not read by the hub (it reads channel.properties and replies.properties)");
                }
            }
            for (Path json : files.stream().filter(p -> p.toString().endsWith(".json")).toList()) {
                try {
                    RecordJson.MAPPER.readTree(json.toFile());
                } catch (IOException e) {
                    problems.add(show(json) + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        } catch (IOException e) {
            problems.add(show(folders.channelConfig()) + ": cannot be read: " + e.getMessage());
        }
    }

    // ---- rules and templates ----

    private void checkRules() {
        try {
            ClassificationRules.load(folders.rules());
        } catch (RuntimeException e) { // InvalidRulesException names the file and the key
            problems.add(e.getMessage().startsWith(folders.rules().toString()) ? e.getMessage() : show(folders.rules()) + ": " + e.getMessage());
        }
    }

    /** Every template compiles and every texts file is YAML; the web form's and the messages' own checks run as at start-up. */
    private void checkTemplates() {
        Path dir = folders.mappings().resolve("templates");
        if (!Files.isDirectory(dir)) {
            problems.add(show(dir) + ": no such folder (the web form, the customers' messages and pages)");
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    if (name.endsWith(".mustache")) {
                        new DefaultMustacheFactory().compile(in, show(file));
                    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                        new ObjectMapper(new YAMLFactory()).readTree(in);
                    }
                } catch (IOException | RuntimeException e) {
                    problems.add(show(file) + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
                }
            }
        } catch (IOException e) {
            problems.add(show(dir) + ": cannot be read: " + e.getMessage());
        }
        try {
            new FormPage(folders.mappings().toString(), env.getProperty("hub.webform.default-language", "zh"),
                    env.getProperty("hub.webform.max-attachments", Integer.class, 5),
                    env.getProperty("hub.webform.max-attachment-bytes", Long.class, 10_485_760L),
                    env.getProperty("hub.time-zone", "Asia/Shanghai"));
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        try {
            new MessageTemplates(new HubProperties(null, folders.mappings(), ZoneId.of(env.getProperty("hub.time-zone", "Asia/Shanghai")), "", ""));
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
    }

    // ---- helpers ----

    /** A setting as the hub sees it; null when not set or when it names another that is not set. */
    private String property(String key) {
        try {
            return env.getProperty(key);
        } catch (IllegalArgumentException unresolvable) {
            problems.add(settings.find(key).map(SettingsFiles.Setting::file).orElse("the settings") + ": " + key + ": "
                    + unresolvable.getMessage());
            return null;
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String show(Path p) {
        return RouteFiles.show(p);
    }
}
