package org.complainthub;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hub's one clock, in hub.time-zone: received and due times, overdue checks, token expiry. Tests replace it. */
@Configuration
public class HubClock {

    @Bean
    public Clock clock(HubProperties hub) {
        return Clock.system(hub.timeZone());
    }
}
