package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * server.forward-headers-strategy=framework: Spring's filter takes the first X-Forwarded-For entry, which the client
 * writes itself; the rate limit takes the proxy's (the last), so made-up entries do not make new clients.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=3", "server.forward-headers-strategy=framework"})
class RateLimitFrameworkProxyTest extends RateLimitBehindProxyTest {

    @Test
    @Override
    void anIpv6Slash64IsOneClient() throws Exception {
        super.anIpv6Slash64IsOneClient();
    }
}
