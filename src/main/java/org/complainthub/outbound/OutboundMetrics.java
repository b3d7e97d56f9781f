package org.complainthub.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code hub_outbound_total{transport, outcome}} on /actuator/prometheus: messages to customers sent, tries that
 * failed and are tried again later (failed), requests given up on (dead: on complaints.outbound.dead), and tries
 * stopped by the hub's own database or broker (hub-fault, not counted as a try). Email and SMS start at zero, so a
 * rate or an increase sees their first message.
 */
@Component
public class OutboundMetrics {

    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String DEAD = "dead";
    public static final String HUB_FAULT = "hub-fault";

    private final MeterRegistry registry;

    public OutboundMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String transport : List.of("email", "sms")) {
            for (String outcome : List.of(SENT, FAILED, DEAD)) {
                counter(transport, outcome);
            }
        }
    }

    public void count(String transport, String outcome) {
        counter(transport == null ? "none" : transport, outcome).increment();
    }

    private Counter counter(String transport, String outcome) {
        return Counter.builder("hub.outbound").description("Outbound messages per transport and outcome")
                .tag("transport", transport).tag("outcome", outcome).register(registry);
    }
}
