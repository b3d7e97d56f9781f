package org.complainthub.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** What the channels report becomes each channel's state: rounds, staleness, masked reasons, the gauges. */
class ChannelHealthTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ChannelHealth health(MockEnvironment env) {
        return new ChannelHealth(env, registry);
    }

    private static Map<String, ChannelHealth.View> byName(ChannelHealth h) {
        return h.channels().stream().collect(Collectors.toMap(ChannelHealth.View::name, Function.identity()));
    }

    @Test
    void theChannelsComeFromTheSettingsWebhookPlatformsIncluded() {
        ChannelHealth h = health(new MockEnvironment().withProperty("hub.email.enabled", "true")
                .withProperty("hub.webhooks.acme.enabled", "true").withProperty("hub.webhooks.acme.scheme", "hmac")
                .withProperty("hub.webhooks.line.enabled", "false"));
        Map<String, ChannelHealth.View> all = byName(h);
        assertThat(all).containsOnlyKeys("email", "hotline", "hotline-sftp", "webform", "acme", "line");
        assertThat(all.get("email").enabled()).isTrue();
        assertThat(all.get("email").staleAfter()).as("pollers have the default").hasMinutes(5);
        assertThat(all.get("acme").staleAfter()).as("a request channel is quiet when its customers are").isNull();
        assertThat(all.get("line").status()).isEqualTo(ChannelHealth.DISABLED);
        assertThat(all.get("hotline").status()).isEqualTo(ChannelHealth.DISABLED);

        h.succeeded("not-a-channel"); // ignored, no new series
        assertThat(registry.find("hub.channel.up").tag("channel", "not-a-channel").gauge()).isNull();
        assertThat(registry.get("hub.channel.enabled").tag("channel", "acme").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("hub.channel.enabled").tag("channel", "line").gauge().value()).isZero();
        assertThat(registry.find("hub.channel.backlog").tag("channel", "email").gauge()).isNotNull();
        assertThat(registry.find("hub.channel.backlog").tag("channel", "acme").gauge()).as("no backlog for requests").isNull();
    }

    @Test
    void aRoundSucceedsOnlyWhenNothingFailedInIt() throws Exception {
        ChannelHealth h = health(new MockEnvironment().withProperty("hub.email.enabled", "true"));
        h.pollBegins("email");
        h.failed("email", new java.io.IOException("connection reset"));
        h.pollEnds("email");
        ChannelHealth.View v = byName(h).get("email");
        assertThat(v.lastSuccess()).isNull();
        assertThat(v.consecutiveFailures()).isEqualTo(1);
        assertThat(v.status()).isEqualTo(ChannelHealth.FAILING);
        assertThat(v.lastError()).isEqualTo("IOException: connection reset");
        assertThat(registry.get("hub.channel.failures").tag("channel", "email").counter().count()).isEqualTo(1.0);

        h.pollBegins("email");
        h.backlog("email", 7);
        h.pollEnds("email");
        v = byName(h).get("email");
        assertThat(v.lastSuccess()).isNotNull();
        assertThat(v.consecutiveFailures()).isZero();
        assertThat(v.status()).isEqualTo(ChannelHealth.UP);
        assertThat(v.lastError()).as("kept for whoever looks later").isEqualTo("IOException: connection reset");
        assertThat(v.backlog()).isEqualTo(7);
        assertThat(registry.get("hub.channel.backlog").tag("channel", "email").gauge().value()).isEqualTo(7.0);
        assertThat(registry.get("hub.channel.consecutive.failures").tag("channel", "email").gauge().value()).isZero();
        assertThat(registry.get("hub.channel.last.success").tag("channel", "email").gauge().value())
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(5.0));
    }

    @Test
    void aPollerAnotherNodeRunsIsOnStandbyNotStaleAndItsFreshnessCountsFromTheTakeover() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean leads = new java.util.concurrent.atomic.AtomicBoolean(false);
        ChannelHealth h = new ChannelHealth(new MockEnvironment().withProperty("hub.email.enabled", "true")
                .withProperty("hub.health.email.stale-after", "300ms"), registry, channel -> leads.get());
        Thread.sleep(400);
        assertThat(byName(h).get("email").status()).isEqualTo(ChannelHealth.STANDBY);
        assertThat(registry.get("hub.channel.up").tag("channel", "email").gauge().value()).as("no alert on a standby node").isEqualTo(1.0);
        assertThat(byName(h).get("webform").status()).as("requests are taken on every node").isNotEqualTo(ChannelHealth.STANDBY);

        leads.set(true); // the other node died: this one polls now, and has its stale-after to show it
        assertThat(byName(h).get("email").status()).isEqualTo(ChannelHealth.UP);
        Thread.sleep(400);
        assertThat(byName(h).get("email").status()).isEqualTo(ChannelHealth.STALE);
    }

    @Test
    void aPollerWithoutSuccessForItsStaleAfterIsStaleAndItsGaugeSaysSo() throws Exception {
        ChannelHealth h = health(new MockEnvironment().withProperty("hub.email.enabled", "true")
                .withProperty("hub.hotline.enabled", "true").withProperty("hub.health.email.stale-after", "100ms"));
        assertThat(byName(h).get("email").status()).isEqualTo(ChannelHealth.UP);
        Thread.sleep(150);
        assertThat(byName(h).get("email").status()).isEqualTo(ChannelHealth.STALE);
        assertThat(byName(h).get("hotline").status()).as("its own, default stale-after").isEqualTo(ChannelHealth.UP);
        assertThat(registry.get("hub.channel.up").tag("channel", "email").gauge().value()).isZero();
        assertThat(registry.get("hub.channel.up").tag("channel", "hotline").gauge().value()).isEqualTo(1.0);

        ChannelsHealthIndicator indicator = new ChannelsHealthIndicator(h);
        assertThat(indicator.health().getStatus().getCode()).isEqualTo("DOWN");
        assertThat(indicator.health().getDetails().get("stale")).isEqualTo(java.util.List.of("email"));

        h.succeeded("email");
        assertThat(byName(h).get("email").status()).isEqualTo(ChannelHealth.UP);
        assertThat(indicator.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void reasonsAreOneShortLineWithoutAddressesNumbersOrQuotedText() {
        assertThat(ChannelHealth.shortened("Duplicate key 'zhang.wei@example.com'\nfor caller +86 138 0013 8000"))
                .isEqualTo("Duplicate key '…' for caller <number>");
        assertThat(ChannelHealth.shortened("AUTHENTICATE failed for complaints@shop.example"))
                .isEqualTo("AUTHENTICATE failed for <address>");
        assertThat(ChannelHealth.shortened("Couldn't connect to host, port: 127.0.0.1, 4143; timeout -1"))
                .as("hosts and ports stay").isEqualTo("Couldn't connect to host, port: 127.0.0.1, 4143; timeout -1");
        assertThat(ChannelHealth.shortened("x".repeat(500))).hasSize(160);
        assertThat(ChannelHealth.reason(new RuntimeException(new java.io.IOException("disk full")))).contains("IOException: disk full");
    }
}
