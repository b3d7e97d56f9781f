package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which addresses are one client: an IPv4 address, an IPv6 /64; anything else is counted as its text, never looked up. */
class SubmissionRateLimitTest {

    @Test
    void anIpv6Slash64IsOneClientAndIpv4AddressesAreEach() {
        assertThat(SubmissionRateLimit.key("2001:db8:42:7::1")).isEqualTo(SubmissionRateLimit.key("2001:0db8:0042:0007:ffff:1:2:3"))
                .isEqualTo(SubmissionRateLimit.key("[2001:db8:42:7::99]")).isEqualTo(SubmissionRateLimit.key("2001:db8:42:7::5%eth0"));
        assertThat(SubmissionRateLimit.key("2001:db8:42:8::1")).isNotEqualTo(SubmissionRateLimit.key("2001:db8:42:7::1"));
        assertThat(SubmissionRateLimit.key("203.0.113.9")).isEqualTo("203.0.113.9").isNotEqualTo(SubmissionRateLimit.key("203.0.113.10"));
        assertThat(SubmissionRateLimit.key("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
        // not addresses: kept as text, and no DNS lookup for a name or an impossible IPv4
        long started = System.nanoTime();
        assertThat(SubmissionRateLimit.key("999.1.1.1")).isEqualTo("999.1.1.1");
        assertThat(SubmissionRateLimit.key("attacker.example")).isEqualTo("attacker.example");
        assertThat(SubmissionRateLimit.key("1:2:3:zz")).isEqualTo("1:2:3:zz");
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }
}
