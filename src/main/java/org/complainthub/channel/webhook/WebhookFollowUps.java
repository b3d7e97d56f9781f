package org.complainthub.channel.webhook;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.complainthub.dispatch.FollowUpWindows;
import org.springframework.stereotype.Component;

/**
 * The webhook platforms' channels follow up by account: hub.webhooks.&lt;platform&gt;.follow-up-window (default 30 min)
 * of the platform whose channels (hub.webhooks.&lt;platform&gt;.channels) name the channel.
 */
@Component
public class WebhookFollowUps implements FollowUpWindows {

    static final Duration DEFAULT = Duration.ofMinutes(30);

    private final WebhookSettings settings;
    private final ConcurrentMap<String, Optional<Duration>> windows = new ConcurrentHashMap<>();

    public WebhookFollowUps(WebhookSettings settings) {
        this.settings = settings;
    }

    @Override
    public Optional<Duration> window(String channel) {
        return windows.computeIfAbsent(channel, c -> settings.platforms().stream()
                .filter(p -> settings.channels(p).contains(c)).findFirst()
                .map(p -> settings.duration(p, "follow-up-window", DEFAULT)));
    }
}
