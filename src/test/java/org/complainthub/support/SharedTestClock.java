package org.complainthub.support;

import java.time.Clock;
import java.time.ZoneId;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * {@code @Import(SharedTestClock.class)}: the hub's clock is {@link #CLOCK}, which the test sets and moves. It stands
 * still; every test class starts with it at the real time (HubIntegrationTest sets it before the class's tests).
 */
@TestConfiguration
public class SharedTestClock {

    public static final TestClock CLOCK = new TestClock(ZoneId.of("Asia/Shanghai"));

    @Bean
    @Primary
    Clock testClock() {
        return CLOCK;
    }
}
