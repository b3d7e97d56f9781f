package org.complainthub.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.complainthub.HubExchange;

/**
 * {@code hub_intake_total{channel, outcome}} on /actuator/prometheus: accepted, rejected (4xx), unavailable (broker
 * down, 503), failed (500); the machine channels add duplicate and quarantined. The raw material of the monthly
 * report's counts per channel.
 */
@Component
public class IntakeMetrics {

    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String channel, String outcome) {
        count(channel, outcome, 1);
    }

    /** n at once (a batch of a file's calls). */
    public void count(String channel, String outcome, int n) {
        if (n > 0) {
            Counter.builder("hub.intake").description("Submissions per channel and outcome")
                    .tag("channel", channel).tag("outcome", outcome).register(registry).increment(n);
        }
    }

    /**
     * The channel an exchange came through: named by the intake Kamelet once it was entered, else by the channel's
     * route id, which starts with the channel's name (webform-api-intake → webform).
     */
    public static String channelOf(org.apache.camel.Exchange exchange) {
        String named = exchange.getProperty(HubExchange.CHANNEL, String.class);
        return named != null ? named : channelOf(exchange.getFromRouteId());
    }

    static String channelOf(String routeId) {
        if (routeId == null || routeId.isEmpty()) {
            return "unknown";
        }
        int dash = routeId.indexOf('-');
        return dash > 0 ? routeId.substring(0, dash) : routeId;
    }
}
