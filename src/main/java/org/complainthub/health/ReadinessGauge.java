package org.complainthub.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code hub_ready} on /actuator/prometheus: 1 while the readiness group (/actuator/health/readiness: the routes, the
 * broker, the database) is UP, else 0. What a load balancer sees, as a series an alert can watch for minutes.
 */
@Component
public class ReadinessGauge {

    public ReadinessGauge(MeterRegistry registry, ObjectProvider<HealthEndpoint> health) {
        Gauge.builder("hub.ready", health, ReadinessGauge::ready)
                .description("1 while /actuator/health/readiness is UP (routes started, broker and database reachable)")
                .register(registry);
    }

    private static double ready(ObjectProvider<HealthEndpoint> health) {
        HealthEndpoint endpoint = health.getIfAvailable();
        HealthComponent readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
        return readiness == null ? Double.NaN : Status.UP.equals(readiness.getStatus()) ? 1 : 0;
    }
}
