package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.complainthub.intake.SubmissionRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Idempotency-Key header as the API route reads it (what an HTTP client of the tests cannot send). */
class SubmissionKeysTest {

    private final SubmissionKeys keys = new SubmissionKeys(null);

    @Test
    void aValidKeyBecomesTheSourceIdAndNoneLeavesThePayloadAlone() {
        Map<String, Object> payload = new HashMap<>();
        keys.fromHeader(exchange("0f8fad5b-d9cb-469f-a165-70867728950e"), payload);
        assertThat(payload).containsEntry("sourceId", "api:0f8fad5b-d9cb-469f-a165-70867728950e");
        Map<String, Object> none = new HashMap<>();
        keys.fromHeader(exchange(null), none);
        assertThat(none).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ünïcode", "键", "a b", "new\nline", "del\u007f"})
    void aMalformedKeyIsRefusedNamingTheHeader(String key) {
        assertRefused(exchange(key));
    }

    @Test
    void aKeyOver128CharactersOrSentTwiceIsRefused() {
        Map<String, Object> ok = new HashMap<>();
        keys.fromHeader(exchange("k".repeat(128)), ok);
        assertThat(ok).containsKey("sourceId");
        assertRefused(exchange("k".repeat(129)));
        Exchange twice = exchange(null);
        twice.getMessage().setHeader(SubmissionKeys.HEADER, List.of("a", "b"));
        assertRefused(twice);
    }

    @Test
    void aFormTokenIsWellFormedOnlyAsTheHubIssuesThem() {
        assertThat(SubmissionKeys.wellFormed("AAAAAAAAAAAAAAAAAAAAAA.0123456789abcdef0123")).isTrue();
        assertThat(SubmissionKeys.wellFormed("AAAAAAAAAAAAAAAAAAAAAA")).isFalse();
        assertThat(SubmissionKeys.wellFormed("AAAAAAAAAAAAAAAAAAAAA=.0123456789abcdef0123")).isFalse();
    }

    private void assertRefused(Exchange exchange) {
        Map<String, Object> payload = new HashMap<>();
        assertThatThrownBy(() -> keys.fromHeader(exchange, payload)).isInstanceOfSatisfying(SubmissionRejected.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errors().get(0).field()).isEqualTo("Idempotency-Key");
        });
        assertThat(payload).isEmpty();
    }

    private static Exchange exchange(String key) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        if (key != null) {
            exchange.getMessage().setHeader(SubmissionKeys.HEADER, key);
        }
        return exchange;
    }
}
