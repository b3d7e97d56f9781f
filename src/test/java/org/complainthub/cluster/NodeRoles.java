package org.complainthub.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.support.HubProcess;

/**
 * What a run sees of the nodes' elections: the cluster roles in each node's /actuator/info ({node, service, leading,
 * standby}), the pollers camel-master started (from the node's log, with the time), and a sampler that records any
 * namespace led by two live nodes at once.
 */
final class NodeRoles {

    /** The singletons every node stands by for (route ids). */
    static final List<String> SINGLETONS = List.of("email-intake", "hotline-folder", "outbound-overdue", "dedup-expired-claims");
    private static final Pattern STARTED = Pattern.compile("^(\\S+)\\s.*Leadership taken\\. Attempt #\\d+ success\\. Consumer started: (\\S+)");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> twoLeaders = new ConcurrentHashMap<>();

    /** The log settings a node needs for {@link #starts}. */
    static List<String> logSettings() {
        return List.of("logging.level.org.apache.camel.component.master=INFO", "logging.level.org.complainthub.cluster=INFO");
    }

    /** A node's settings with its node id. */
    static List<String> withId(List<String> settings, String id) {
        List<String> out = new ArrayList<>(settings);
        out.add("hub.cluster.node-id=" + id);
        return out;
    }

    /** Poller starts in a node's log, in order: when, and the endpoint started (camel-master logs each start). */
    static List<Map.Entry<Instant, String>> starts(HubProcess hub) throws IOException {
        List<Map.Entry<Instant, String>> out = new ArrayList<>();
        for (String line : hub.log().lines().toList()) {
            Matcher m = STARTED.matcher(line);
            if (m.find()) {
                out.add(Map.entry(Instant.parse(m.group(1)), m.group(2)));
            }
        }
        return out;
    }

    /** When the node started a poller of {@code endpoint} (a URI prefix) after {@code after}; fails after 60 s. */
    static Instant awaitStart(HubProcess hub, String endpoint, Instant after) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            Optional<Instant> at = starts(hub).stream().filter(e -> e.getValue().startsWith(endpoint) && e.getKey().isAfter(after))
                    .map(Map.Entry::getKey).findFirst();
            if (at.isPresent()) {
                return at.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(endpoint + " was not started on the survivor within 60 s of the kill");
    }

    /** The node's cluster roles from /actuator/info: {node, service, leading: [route ids], standby: [...]}. */
    JsonNode cluster(HubProcess hub) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.managementUrl() + "/actuator/info"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body()).path("cluster");
    }

    void awaitLeading(HubProcess hub, List<String> routes) throws Exception {
        awaitRoles(hub, "leading", routes);
    }

    void awaitStandby(HubProcess hub, List<String> routes) throws Exception {
        awaitRoles(hub, "standby", routes);
    }

    private void awaitRoles(HubProcess hub, String role, List<String> routes) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode c = null;
        while (System.nanoTime() < end) {
            c = cluster(hub);
            List<String> listed = new ArrayList<>();
            c.path(role).forEach(n -> listed.add(n.asText()));
            if (listed.containsAll(routes)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + role + " " + routes + ", the hub says " + c);
    }

    /** Which of {@code hubs} leads {@code route} now (the first live one listing it), or null. */
    HubProcess leaderOf(List<HubProcess> hubs, String route) throws Exception {
        for (HubProcess hub : hubs) {
            if (hub.isAlive()) {
                for (JsonNode r : cluster(hub).path("leading")) {
                    if (route.equals(r.asText())) {
                        return hub;
                    }
                }
            }
        }
        return null;
    }

    /** Samples the live nodes every 250 ms in a daemon thread; interrupt it to stop. */
    Thread sample(List<HubProcess> hubs) {
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Map<String, List<String>> leaders = new HashMap<>();
                for (HubProcess hub : List.copyOf(hubs)) {
                    if (!hub.isAlive()) {
                        continue;
                    }
                    try {
                        JsonNode c = cluster(hub);
                        c.path("leading").forEach(r -> leaders.computeIfAbsent(r.asText(), k -> new ArrayList<>())
                                .add(c.path("node").asText()));
                    } catch (Exception unreachable) {
                        // killed in between
                    }
                }
                leaders.forEach((route, nodes) -> {
                    if (nodes.size() > 1) {
                        twoLeaders.put(route + "@" + Instant.now(), String.join(",", nodes));
                    }
                });
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "leader-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return sampler;
    }

    /** Namespaces seen led by two live nodes at once: route@time -> nodes. */
    Map<String, String> twoLeaders() {
        return Map.copyOf(twoLeaders);
    }
}
