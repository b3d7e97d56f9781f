package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A webhook that is switched on must be able to check what it receives: otherwise the hub does not start. */
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
}
