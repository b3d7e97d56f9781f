package org.complainthub.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The route files (routes/*.yaml) as the tools read them, without Camel: each route's id, the property placeholders
 * ({@code {{key}}}) it needs, and its calls into the intake Kamelets with their parameters (which channel or platform,
 * which mapping file).
 */
final class RouteFiles {

    static final List<String> KAMELETS = List.of("complaint-intake", "webhook-intake");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    /** A call into an intake Kamelet: {@code parameters} as written (placeholders not resolved). */
    record Intake(String file, String routeId, String kamelet, Map<String, String> parameters) {
        /** The channel (complaint-intake) or platform (webhook-intake) it names. */
        String name() {
            return parameters.getOrDefault(kamelet.equals("webhook-intake") ? "platform" : "channel", "");
        }

        String where() {
            return file + ": route " + routeId;
        }
    }

    /** A placeholder a route needs: Camel stops the start when its key is not set. */
    record Placeholder(String file, String routeId, String key) {
    }

    final List<Intake> intakes = new ArrayList<>();
    final List<Placeholder> placeholders = new ArrayList<>();

    /** Reads every *.yaml in {@code dir}; what is wrong with them goes into {@code problems}. */
    static RouteFiles read(Path dir, List<String> problems) {
        RouteFiles routes = new RouteFiles();
        if (!Files.isDirectory(dir)) {
            problems.add(show(dir) + ": no such folder (--routes, hub.routes-dir)");
            return routes;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(show(dir) + ": cannot be listed: " + e.getMessage());
            return routes;
        }
        Map<String, String> ids = new HashMap<>();
        for (Path file : files) {
            routes.readFile(show(file), file, ids, problems);
        }
        return routes;
    }

    private void readFile(String name, Path file, Map<String, String> ids, List<String> problems) {
        Object doc;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (MarkedYAMLException e) {
            problems.add(name + ": line " + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem()
                    + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
            return;
        } catch (IOException | YAMLException e) {
            problems.add(name + ": cannot be read as YAML: " + e.getMessage());
            return;
        }
        if (doc == null) {
            return;
        }
        if (!(doc instanceof List<?> items)) {
            problems.add(name + ": not a list of routes (each item begins with \"- route:\")");
            return;
        }
        int n = 0;
        for (Object item : items) {
            n++;
            if (!(item instanceof Map<?, ?> map)) {
                problems.add(name + ": item " + n + " is not a route (\"- route:\" with an id and a from)");
                continue;
            }
            if (map.containsKey("from")) {
                problems.add(name + ": item " + n + ": a route without an id (write \"- route:\" with \"id:\" and the from under it)");
                walk(map, name, "item " + n, problems);
                continue;
            }
            if (!(map.get("route") instanceof Map<?, ?> route)) {
                walk(map, name, "item " + n, problems); // routeConfiguration, beans, ...: their placeholders count too
                continue;
            }
            String id = route.get("id") instanceof String s ? s.strip() : "";
            if (id.isEmpty()) {
                problems.add(name + ": route " + n + " has no id (every route needs one: it names the route in logs and metrics)");
                id = "#" + n;
            } else if (ids.putIfAbsent(id, name) != null) {
                problems.add(name + ": route " + id + ": the id is taken already by a route in " + ids.get(id));
            }
            if (!route.containsKey("from")) {
                problems.add(name + ": route " + id + ": no from (where the route takes its messages from)");
            }
            walk(route, name, id, problems);
        }
    }

    /** Every string in the route for placeholders, every map for a call into an intake Kamelet. */
    private void walk(Object node, String file, String routeId, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof String s && ("uri".equals(k) || "to".equals(k) || "toD".equals(k))) {
                    intake(s, "uri".equals(k) ? map.get("parameters") : null, file, routeId);
                }
            });
            map.values().forEach(v -> walk(v, file, routeId, problems));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, file, routeId, problems));
        } else if (node instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                String key = m.group(1).strip();
                // {{?key}} is optional, {{key:default}} has a default, {{env:X}} and the like are Camel's functions
                if (!key.startsWith("?") && !key.contains(":")) {
                    placeholders.add(new Placeholder(file, routeId, key));
                }
            }
        }
    }

    private void intake(String uri, Object parameters, String file, String routeId) {
        for (String kamelet : KAMELETS) {
            String prefix = "kamelet:" + kamelet;
            if (!uri.equals(prefix) && !uri.startsWith(prefix + "?") && !uri.startsWith(prefix + "/")) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            int q = uri.indexOf('?');
            if (q >= 0) {
                for (String pair : uri.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        params.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
            if (parameters instanceof Map<?, ?> named) {
                named.forEach((k, v) -> params.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            }
            intakes.add(new Intake(file, routeId, kamelet, params));
        }
    }

    /**
     * {@code value} with its placeholders filled in from {@code env} ({@code {{key}}}, {@code {{?key}}},
     * {@code {{key:default}}}), or null when a key it needs is not set.
     */
    static String resolve(String value, Environment env) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).strip();
            String found;
            if (key.startsWith("?")) {
                found = env.getProperty(key.substring(1), "");
            } else if (key.contains(":")) {
                int colon = key.indexOf(':');
                found = env.getProperty(key.substring(0, colon), key.substring(colon + 1));
            } else {
                found = env.getProperty(key);
            }
            if (found == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(found));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String show(Path p) {
        return p.toString().replace('\\', '/');
    }
}
