package org.complainthub.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code channels} component of /actuator/health: each watched channel's details ({@link ChannelHealth.View}),
 * and DOWN, naming them under {@code stale}, while an enabled channel is stale.
 * <p>
 * Not part of the readiness group, on purpose: a mailbox nobody can read (a changed password, a server away) must
 * alert, but taking the hub out of the load balancer for it would stop the web form and the webhooks too, and
 * restarting it (liveness) would not bring the mailbox back. Readiness is about what every channel needs: the broker
 * and the database. The overall /actuator/health does include it, so a monitor on that URL sees a stale channel.
 */
@Component
public class ChannelsHealthIndicator implements HealthIndicator {

    private final ChannelHealth channels;

    public ChannelsHealthIndicator(ChannelHealth channels) {
        this.channels = channels;
    }

    @Override
    public Health health() {
        List<ChannelHealth.View> all = channels.channels();
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> stale = all.stream().filter(v -> v.status().equals(ChannelHealth.STALE)).map(ChannelHealth.View::name).toList();
        Health.Builder health = stale.isEmpty() ? Health.up() : Health.down().withDetail("stale", stale);
        for (ChannelHealth.View v : all) {
            details.put(v.name(), v.details());
        }
        return health.withDetails(details).build();
    }
}
