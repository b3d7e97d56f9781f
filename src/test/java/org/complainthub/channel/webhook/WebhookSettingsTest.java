package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

/**
 * A webhook that is switched on must be able to check what it receives, and every setting must be one the hub can use:
 * otherwise the hub does not start, and the check names file and key. The platforms, their channels, schemes and
 * secrets are whatever channel-config/ says.
 */
class WebhookSettingsTest {

    @Test
    void anEnabledPlatformWithoutItsSecretStopsTheStartNamingFileAndKey() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.webhooks.meta.enabled", "true")
                .withProperty("hub.webhooks.meta.app-secret", "s");
        assertThatThrownBy(() -> new WebhookSettings(env).check()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel-config/meta/channel.properties").hasMessageContaining("hub.webhooks.meta.verify-token");
        env.setProperty("hub.webhooks.meta.verify-token", "t");
        assertThatCode(() -> new WebhookSettings(env).check()).doesNotThrowAnyException();
    }

    @Test
    void wechatSafeModeOnlyNeedsItsKeyAndAppId() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.webhooks.wechat.enabled", "true")
                .withProperty("hub.webhooks.wechat.token", "t").withProperty("hub.webhooks.wechat.allow-plain", "false");
        assertThatThrownBy(() -> new WebhookSettings(env).check()).hasMessageContaining("hub.webhooks.wechat.encoding-aes-key");
        env.setProperty("hub.webhooks.wechat.encoding-aes-key", WebhookSignaturesTest.OWN_AES_KEY);
        env.setProperty("hub.webhooks.wechat.app-id", WebhookSignaturesTest.OWN_APP_ID);
        assertThatCode(() -> new WebhookSettings(env).check()).doesNotThrowAnyException();
    }

    @Test
    void disabledPlatformsNeedNothing() {
        assertThatCode(() -> new WebhookSettings(new MockEnvironment()).check()).doesNotThrowAnyException();
    }

    /** channel-config/ as shipped, read by hand as the check command does (no Spring context), plus these settings. */
    static StandardEnvironment shipped(String... more) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        java.util.Map<String, Object> extra = new java.util.HashMap<>();
        for (int i = 0; i < more.length; i += 2) {
            extra.put(more[i], more[i + 1]);
        }
        env.getPropertySources().addFirst(new MapPropertySource("test", extra));
        try (Stream<Path> files = Files.walk(Path.of("channel-config"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".properties")).sorted().toList()) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                env.getPropertySources().addLast(new PropertiesPropertySource(f.toString().replace('\\', '/'), p));
            }
        }
        return env;
    }

    @Test
    void theShippedChannelConfigHasNoProblemsAndItsPlatformsAreFoundInIt() throws IOException {
        StandardEnvironment env = shipped();
        assertThat(WebhookSettings.problems(env)).isEmpty();
        WebhookSettings settings = new WebhookSettings(env);
        assertThat(settings.platforms()).containsExactlyInAnyOrder("meta", "wechat", "telegram", "slack", "x", "line", "sms");
        assertThat(settings.channels("meta")).containsExactly("messenger", "instagram", "whatsapp");
        assertThat(settings.channels("line")).containsExactly("line");
        assertThat(settings.scheme("line")).isEqualTo("hmac");
        assertThat(settings.format("sms")).isEqualTo("form");
        assertThat(settings.socialChannel("whatsapp")).isTrue();
        assertThat(settings.socialChannel("sms")).isTrue();
        assertThat(settings.socialChannel("hotline")).isFalse();
    }

    @Test
    void lineAndSmsSwitchedOnWithoutTheirSecretsAreNamedByFileAndKey() throws IOException {
        StandardEnvironment env = shipped("hub.webhooks.line.enabled", "true", "hub.webhooks.sms.enabled", "true");
        assertThat(WebhookSettings.problems(env)).containsExactly(
                "channel-config/line/channel.properties: hub.webhooks.line.signature.secret: empty; the line webhook is enabled and cannot check requests without it",
                "channel-config/sms/channel.properties: hub.webhooks.sms.signature.secret: empty; the sms webhook is enabled and cannot check requests without it");
        assertThatThrownBy(() -> new WebhookSettings(env).check()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.webhooks.line.signature.secret").hasMessageContaining("hub.webhooks.sms.signature.secret");
        env.getPropertySources().addFirst(new MapPropertySource("secrets", java.util.Map.of(
                "HUB_LINE_CHANNEL_SECRET", "line-secret", "HUB_SMS_WEBHOOK_SECRET", "sms-secret")));
        assertThat(WebhookSettings.problems(env)).as("the secrets from the environment variables the files name").isEmpty();
    }

    @Test
    void everySettingTheHubCannotUseIsNamedByFileAndKey() throws IOException {
        StandardEnvironment env = shipped(
                "hub.webhooks.kakao.scheme", "kakao-sign",
                "hub.webhooks.viber.scheme", "hmac", "hub.webhooks.viber.signature.header", "X-Viber-Content-Signature",
                "hub.webhooks.viber.format", "yaml", "hub.webhooks.viber.mapping", "viber.jsonata",
                "hub.webhooks.viber.max-bytes", "1MB", "hub.webhooks.viber.enabled", "yes",
                "hub.webhooks.viber.follow-up-window", "half an hour",
                "hub.webhooks.zalo.scheme", "hmac", "hub.webhooks.zalo.signature.header", "X-ZEvent-Signature",
                "hub.webhooks.zalo.mapping", "line.jsonata", "hub.webhooks.zalo.channels", "line,Zalo",
                "hub.outbound.transports.line", "line,email",
                "hub.webhooks.Bad_Name.path", "/x",
                "hub.webhooks.wire.scheme", "hmac", "hub.webhooks.wire.signature.header", "X-Sig", "hub.webhooks.wire.enabled", "true",
                "hub.webhooks.wire.signature.secret", "${HUB_NO_SUCH_VARIABLE}");
        List<String> problems = WebhookSettings.problems(env);
        assertThat(problems).contains(
                "channel-config/Bad_Name/channel.properties: hub.webhooks.Bad_Name: a platform's name is a lower-case letter, then at most 31 lower-case letters, digits or -",
                "channel-config/kakao/channel.properties: hub.webhooks.kakao.scheme: \"kakao-sign\" is unknown: one of hmac, meta, x, slack, telegram, wechat",
                "channel-config/viber/channel.properties: hub.webhooks.viber.enabled: \"yes\" is neither true nor false",
                "channel-config/viber/channel.properties: hub.webhooks.viber.max-bytes: \"1MB\" is not a whole number",
                "channel-config/viber/channel.properties: hub.webhooks.viber.follow-up-window: \"half an hour\" is not a duration (e.g. 30m, 2h)",
                "channel-config/viber/channel.properties: hub.webhooks.viber.format: \"yaml\" is not json, xml or form",
                "channel-config/viber/channel.properties: hub.webhooks.viber.mapping: there is no mappings/viber.jsonata (hub.mappings-dir is mappings)",
                "channel-config/zalo/channel.properties: hub.webhooks.zalo.channels: \"Zalo\" is no channel name (a lower-case letter, then letters, digits or -)",
                "channel-config/line/channel.properties: hub.outbound.transports.line: \"line\" is no reply transport of the hub "
                        + "(email, sms, instagram, messenger, slack, telegram, wechat, whatsapp, x): replying on another platform needs its send API in Java");
        assertThat(problems).anyMatch(p -> p.startsWith("channel-config/wire/channel.properties: hub.webhooks.wire: a setting cannot be read: ")
                && p.contains("HUB_NO_SUCH_VARIABLE"));
        // line is the line platform's (l < z): zalo claiming it too is the problem
        assertThat(problems).contains("channel-config/zalo/channel.properties: hub.webhooks.zalo.channels: \"line\" is a channel of line already");
        assertThat(problems).allMatch(p -> p.matches("channel-config/[^/]+/(channel|replies)\\.properties: hub\\.[a-z]+\\.[A-Za-z_]+[^: ]*: .+"));
        // a secret missing only matters once the platform is switched on
        assertThat(problems).noneMatch(p -> p.contains("signature.secret"));
    }

    @Test
    void aReplyTransportOfAnotherPlatformCannotReachTheChannelsCustomers() throws IOException {
        assertThat(WebhookSettings.problems(shipped("hub.outbound.transports.sms", "sms,wechat"))).containsExactly(
                "channel-config/sms/channel.properties: hub.outbound.transports.sms: \"wechat\" cannot reach a customer of sms: "
                        + "a platform's id is only good on its own platform");
    }
}
