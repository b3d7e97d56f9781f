package org.complainthub.tools;

import org.complainthub.support.Folders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.complainthub.tools.TryCommandTest.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on the repository's own folders (all well), and on temporary copies of routes/, channel-config/ and
 * mappings/ with one mistake each: every problem is named by file and key, and the exit code is 1.
 */
class CheckCommandTest {

    @TempDir
    Path tmp;
    Path routes;
    Path config;
    Path mappings;

    @BeforeEach
    void copies() throws IOException {
        routes = Folders.copy(Path.of("routes"), tmp.resolve("routes"));
        config = Folders.copy(Path.of("channel-config"), tmp.resolve("channel-config"));
        mappings = Folders.copy(Path.of("mappings"), tmp.resolve("mappings"));
    }

    private Run check() {
        return TryCommandTest.run("check", "--routes", routes.toString(), "--channel-config", config.toString(),
                "--mappings", mappings.toString());
    }

    private String shown(Path p) {
        return p.toString().replace('\\', '/');
    }

    @Test
    void theRepositorysOwnFoldersAreWell() {
        Run r = TryCommandTest.run("check");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("check: routes/").contains("mappings/rules/classification.yaml").endsWith("all well\n");
        assertThat(check().exit()).as("the copies, before any change").isZero();
    }

    @Test
    void aTypoInAMappingNamesTheFileAndLine() throws IOException {
        Path slack = mappings.resolve("slack.jsonata");
        String text = Files.readString(slack, StandardCharsets.UTF_8);
        String line = "$edit := $e.subtype = \"message_changed\";";
        assertThat(text).contains(line);
        long lineNumber = text.substring(0, text.indexOf(line)).chars().filter(c -> c == '\n').count() + 1;
        Files.writeString(slack, text.replace(line, "$edit := $e.subtype = ;"), StandardCharsets.UTF_8);
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains(shown(slack) + ": line " + lineNumber + ": ").contains("1 problem(s)");
    }

    @Test
    void aSettingARouteNeedsThatIsMissingNamesRouteAndKey() throws IOException {
        Path x = config.resolve("x/channel.properties");
        Files.writeString(x, Files.readString(x).replace("hub.webhooks.x.path=/webhooks/x\n", ""));
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains(shown(routes.resolve("x.camel.yaml"))
                + ": route x-webhook: {{hub.webhooks.x.path}}: hub.webhooks.x.path is not set");
    }

    @Test
    void aRequiredSettingOfAnEnabledChannelThatIsEmptyNamesFileAndKey() throws IOException {
        Path email = config.resolve("email/channel.properties");
        Files.writeString(email, Files.readString(email).replace("hub.email.enabled=false", "hub.email.enabled=true")
                .replace("hub.email.host=localhost", "hub.email.host="));
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains(shown(email) + ": hub.email.host: empty").contains("and the email channel is enabled");
    }

    @Test
    void aSettingNamingAMissingMappingNamesFileAndKey() throws IOException {
        Path hotline = config.resolve("hotline/channel.properties");
        Files.writeString(hotline, Files.readString(hotline).replace("mapping=hotline-asterisk.jsonata", "mapping=hotline-astrisk.jsonata"));
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains(shown(hotline) + ": hub.hotline.formats.asterisk.mapping: hotline-astrisk.jsonata does not exist in "
                + shown(mappings) + "/");
    }

    @Test
    void aRouteNamingAMissingMappingNamesTheRoute() throws IOException {
        Path kiosk = routes.resolve("kiosk.camel.yaml");
        Files.writeString(kiosk, """
                - route:
                    id: kiosk-intake
                    from:
                      uri: platform-http:/kiosk
                      steps:
                        - to:
                            uri: kamelet:complaint-intake
                            parameters:
                              channel: kiosk
                              mapping: nosuch.jsonata
                """);
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains(shown(kiosk) + ": route kiosk-intake: mapping nosuch.jsonata does not exist in " + shown(mappings) + "/");
    }

    @Test
    void aMissingSecretOfAnEnabledWebhookNamesFileKeyAndVariable() throws IOException {
        assumeThat(System.getenv("HUB_SLACK_SIGNING_SECRET")).as("the test's environment sets no Slack secret").isNull();
        Path slack = config.resolve("slack/channel.properties");
        Files.writeString(slack, Files.readString(slack).replace("${HUB_SLACK_ENABLED:false}", "true"));
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        // the webhook settings' own check may name the folder as channel-config/: the file's own two levels suffice
        assertThat(r.out()).contains("slack/channel.properties: hub.webhooks.slack.signing-secret: empty")
                .contains("the slack webhook is enabled").contains("HUB_SLACK_SIGNING_SECRET is not set");
        // the bot token only fetches files: noted, not a problem
        assertThat(r.out()).contains("note: " + shown(slack) + ": hub.webhooks.slack.media-token: empty (HUB_SLACK_BOT_TOKEN is not set)")
                .contains("1 problem(s)");
    }

    @Test
    void brokenYamlARouteWithoutIdAndABrokenRulesFileAreEachNamed() throws IOException {
        Files.writeString(routes.resolve("broken.camel.yaml"), "- route:\n    id: a\n   from: [\n");
        Files.writeString(routes.resolve("noid.camel.yaml"), "- route:\n    from:\n      uri: timer:x\n");
        Path rules = mappings.resolve("rules/classification.yaml");
        Files.writeString(rules, Files.readString(rules) + "\nunknownKey: 1\n");
        Run r = check();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains(shown(routes.resolve("broken.camel.yaml")) + ": line ")
                .contains(shown(routes.resolve("noid.camel.yaml")) + ": route 1 has no id")
                .contains(shown(rules) + ": unknownKey");
    }

    /** A channel added as files only (a route, its settings, an existing mapping) passes, and try takes its sample. */
    @Test
    void aCorrectNewChannelPassesAndCanBeTried() throws IOException {
        Files.writeString(routes.resolve("kiosk.camel.yaml"), """
                - route:
                    id: kiosk-intake
                    routeConfigurationId: http-intake
                    from:
                      uri: "platform-http:{{hub.kiosk.path}}"
                      steps:
                        - to:
                            uri: kamelet:complaint-intake
                            parameters:
                              channel: kiosk
                              mapping: "{{hub.kiosk.mapping}}"
                              routeId: kiosk-intake-core
                """);
        Files.createDirectories(config.resolve("kiosk"));
        Files.writeString(config.resolve("kiosk/channel.properties"), "hub.kiosk.path=/kiosk\nhub.kiosk.mapping=webform-api.jsonata\n");
        Run r = check();
        assertThat(r.exit()).as(r.out()).isZero();
        Run tried = TryCommandTest.run("try", "kiosk", "src/test/resources/golden/webform-api/minimal.in.json", "--routes",
                routes.toString(), "--channel-config", config.toString(), "--mappings", mappings.toString());
        assertThat(tried.exit()).as(tried.out()).isZero();
        assertThat(tried.out()).contains("as channel kiosk: " + shown(mappings) + "/webform-api.jsonata").contains("\"channel\" : \"kiosk\"");
    }
}
