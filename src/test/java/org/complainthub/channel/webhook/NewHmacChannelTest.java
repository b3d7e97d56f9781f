package org.complainthub.channel.webhook;

import org.complainthub.support.Folders;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Test;

/**
 * What IT does to connect a platform that signs its webhooks with an HMAC: three files, no Java. The files of the
 * fictional "Acme Chat" (src/test/resources/new-channel: a route, channel-config/acme/channel.properties, a mapping)
 * are copied into copies of the project's routes/, channel-config/ and mappings/, and the hub jar's classes are
 * started as a process in that folder, with the platform switched on and its secret given on the command line, as an
 * operator would. A signed request lands on its department's queue; a forged one is refused with 403.
 */
class NewHmacChannelTest {

    static final Path NEW_CHANNEL = Path.of("src/test/resources/new-channel");
    static final String SECRET = "acme-signing-secret-demo";
    static final String BODY = "{\"deliveries\":[{\"kind\":\"chat.message\",\"id\":\"am_1001\",\"from\":{\"account\":\"acct-7781\","
            + "\"name\":\"Wang Fang\"},\"sent_at\":1718000000,\"body\":\"The courier left my parcel in the rain, order 4411 is ruined\"}]}";

    @Test
    void aNewHmacSignedChannelIsThreeFilesAndItsSignedRequestLandsOnADepartmentQueue() throws Exception {
        assertThat(javaNaming("acme")).as("Java sources naming the new platform").isEmpty();
        Path root = Files.createTempDirectory("new-channel-");
        Path work = Files.createDirectories(root.resolve("hub"));
        for (String folder : List.of("routes", "channel-config", "mappings")) {
            Folders.copy(Path.of(folder), work.resolve(folder));
            Folders.copy(NEW_CHANNEL.resolve(folder), work.resolve(folder));
        }
        try (HubProcess hub = HubProcess.startIn(work, root.resolve("data"), "384m",
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                List.of("hub.webhooks.acme.enabled=true", "hub.webhooks.acme.signature.secret=" + SECRET))) {
            HttpClient http = HttpClient.newHttpClient();
            String ts = String.valueOf(Instant.now().getEpochSecond());

            HttpResponse<String> forged = post(http, hub, ts, sign("not-the-secret", ts));
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);

            HttpResponse<String> signed = post(http, hub, ts, sign(SECRET, ts));
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);

            List<String> desk = hub.receive("complaints.desk", 1, java.time.Duration.ofSeconds(1));
            assertThat(desk).as("the desk's copy: the signed request only").hasSize(1);
            JsonNode record = RecordJson.MAPPER.readTree(desk.get(0));
            assertThat(record.get("channel").asText()).isEqualTo("acme");
            assertThat(record.get("sourceId").asText()).isEqualTo("am_1001");
            assertThat(record.at("/customer/handle").asText()).isEqualTo("acct-7781");
            assertThat(record.at("/customer/name").asText()).isEqualTo("Wang Fang");
            assertThat(record.get("description").asText()).contains("order 4411");
            List<String> department = hub.receive("complaints." + record.get("department").asText(), 1, java.time.Duration.ofSeconds(1));
            assertThat(department).hasSize(1);
            assertThat(RecordJson.MAPPER.readTree(department.get(0)).get("id").asText()).isEqualTo(record.get("id").asText());
        } finally {
            HubProcess.delete(root);
        }
    }

    static String sign(String secret, String ts) {
        byte[] signed = ("v1:" + ts + ":" + BODY).getBytes(StandardCharsets.UTF_8);
        return "v1=" + HexFormat.of().formatHex(HmacScheme.mac("HmacSHA512", secret, signed));
    }

    static HttpResponse<String> post(HttpClient http, HubProcess hub, String ts, String signature) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/webhooks/acme")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Acme-Timestamp", ts).header("X-Acme-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(BODY, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The main Java sources that mention the name (case-insensitive). */
    static List<Path> javaNaming(String name) throws IOException {
        try (Stream<Path> all = Files.walk(Path.of("src/main/java"))) {
            return all.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).toLowerCase(java.util.Locale.ROOT).contains(name);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
