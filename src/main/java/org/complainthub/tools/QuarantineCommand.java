package org.complainthub.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.complainthub.complaint.RecordJson;
import org.complainthub.ops.ManagementToken;

/**
 * {@code quarantine list|replay}: a thin client of the running hub's /actuator/quarantine (QuarantineEndpoint). The
 * replay runs inside the hub, which has the mappings, rules, database and broker; this only asks and prints.
 * <pre>
 *   quarantine list   [--channel C] [--limit N]
 *   quarantine replay (--channel C | ID ...)
 * </pre>
 * Where the hub is: {@code --url} (default HUB_MANAGEMENT_URL, else http://127.0.0.1:8081, the management port). The
 * token: {@code --token} (visible to other users in the process list: better not), else HUB_MANAGEMENT_TOKEN, else the
 * file the hub generated under its data directory ({@code --data-dir}, default HUB_DATA_DIR, else ./data).
 */
final class QuarantineCommand {

    static final String USAGE = """
              java -jar complaint-hub.jar quarantine list [--channel C] [--limit N]
                  what is on complaints.quarantine of the running hub: counts per channel and reason, then each
                  message (JMS id, channel, time, source fingerprint, reason; no personal data in clear)
              java -jar complaint-hub.jar quarantine replay (--channel C | ID ...)
                  takes those messages (or every message of channel C) through intake again, with the hub's mappings,
                  rules and settings as they are now: a complaint (or the one its source already became) leaves the
                  quarantine; what is refused again stays, with the new reason
                  --url URL (default $HUB_MANAGEMENT_URL or http://127.0.0.1:8081); the token: $HUB_MANAGEMENT_TOKEN,
                  else the file the hub keeps in its data directory (--data-dir DIR, default $HUB_DATA_DIR or ./data)""";

    private static final Set<String> OPTIONS = Set.of("channel", "limit", "url", "token", "data-dir");

    private final PrintStream out;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private QuarantineCommand(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    /** {@code args}: "quarantine", then list or replay and their options; the exit code. */
    static int run(String[] args, PrintStream out, Map<String, String> env) {
        return new QuarantineCommand(out, env).run(args);
    }

    private int run(String[] args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, OPTIONS);
        } catch (CommandLine.Mistake e) {
            return usage(e.getMessage());
        }
        Map<String, String> options = line.options();
        List<String> words = line.words();
        if (words.isEmpty() || !Set.of("list", "replay").contains(words.get(0))) {
            return usage("quarantine needs list or replay");
        }
        String token = token(options);
        if (token == null) {
            return usage("no management token: set HUB_MANAGEMENT_TOKEN, or give --data-dir of the hub (its "
                    + ManagementToken.FILE + ")");
        }
        String base = options.getOrDefault("url", env.getOrDefault("HUB_MANAGEMENT_URL", "http://127.0.0.1:8081"));
        String url = base.replaceAll("/+$", "") + "/actuator/quarantine";
        try {
            if (words.get(0).equals("list")) {
                if (words.size() > 1) {
                    return usage("list takes no arguments but options: " + words.subList(1, words.size()));
                }
                return list(url, token, options);
            }
            return replay(url, token, options.get("channel"), words.subList(1, words.size()));
        } catch (IOException e) {
            out.println("cannot reach the hub at " + base + ": " + e);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    private int list(String url, String token, Map<String, String> options) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        if (options.containsKey("channel")) {
            query.append("channel=").append(URLEncoder.encode(options.get("channel"), StandardCharsets.UTF_8));
        }
        if (options.containsKey("limit")) {
            query.append(query.isEmpty() ? "" : "&").append("limit=").append(URLEncoder.encode(options.get("limit"), StandardCharsets.UTF_8));
        }
        JsonNode answer = call(HttpRequest.newBuilder(URI.create(url + (query.isEmpty() ? "" : "?" + query))).GET(), token);
        if (answer == null) {
            return 2;
        }
        out.println("complaints.quarantine: " + answer.path("total").asInt() + " message(s)");
        answer.path("channels").fields().forEachRemaining(c -> {
            out.println("  " + c.getKey() + ": " + c.getValue().path("count").asInt());
            c.getValue().path("reasons").fields().forEachRemaining(r -> out.printf("    %5d  %s%n", r.getValue().asInt(), r.getKey()));
        });
        JsonNode messages = answer.path("messages");
        if (messages.isEmpty()) {
            return 0;
        }
        out.println();
        out.println("message id | channel | quarantined at | source (fingerprint) | replayable | reason");
        for (JsonNode m : messages) {
            String replayable = m.path("replayable").asBoolean() ? "yes" : "no: " + m.path("notReplayable").asText();
            String already = m.has("alreadyComplaint") ? " [already complaint " + m.path("alreadyComplaint").asText() + "]" : "";
            String replays = m.has("replays") ? " [replayed " + m.path("replays").asInt() + "x, first "
                    + m.path("firstQuarantinedAt").asText() + "]" : "";
            out.println(String.join(" | ", m.path("messageId").asText(), m.path("channel").asText(),
                    m.path("quarantinedAt").asText(), m.path("sourceId").asText("-"), replayable,
                    m.path("reason").asText("") + already + replays));
        }
        if (answer.path("total").asInt() > messages.size()) {
            out.println("(" + messages.size() + " of " + answer.path("total").asInt() + " shown: --limit N for more)");
        }
        return 0;
    }

    private int replay(String url, String token, String channel, List<String> ids) throws IOException, InterruptedException {
        if ((channel == null) == ids.isEmpty()) {
            return usage("replay needs either --channel C or message ids (from quarantine list)");
        }
        ObjectNode request = RecordJson.MAPPER.createObjectNode();
        if (channel != null) {
            request.put("channel", channel);
        } else {
            request.put("ids", String.join(",", ids));
        }
        JsonNode answer = call(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8)), token);
        if (answer == null) {
            return 2;
        }
        boolean allTaken = true;
        for (JsonNode r : answer.path("results")) {
            String outcome = r.path("outcome").asText();
            allTaken &= Set.of("complaint", "duplicate", "not-a-complaint", "requeued").contains(outcome);
            out.println(String.join(" | ", r.path("messageId").asText(), r.path("channel").asText("-"), outcome,
                    r.path("complaintId").asText("-"), r.path("note").asText("")));
        }
        out.println("replayed " + answer.path("replayed").asInt() + ": " + answer.path("outcomes"));
        return allTaken ? 0 : 1;
    }

    private JsonNode call(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            out.println("the hub answered " + response.statusCode() + ": " + response.body());
            return null;
        }
        return RecordJson.MAPPER.readTree(response.body());
    }

    private String token(Map<String, String> options) {
        if (options.containsKey("token")) {
            return options.get("token");
        }
        String fromEnv = env.get("HUB_MANAGEMENT_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path file = ManagementToken.file(Path.of(options.getOrDefault("data-dir", env.getOrDefault("HUB_DATA_DIR", "./data"))));
        if (Files.isReadable(file)) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                out.println("cannot read " + file + ": " + e.getMessage());
            }
        }
        return null;
    }

    private int usage(String problem) {
        out.println(problem);
        out.println("usage:");
        out.print(USAGE.indent(2));
        return 2;
    }
}
