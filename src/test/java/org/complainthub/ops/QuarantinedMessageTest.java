package org.complainthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the quarantine listing shows of a reason and a source id: nothing personal in clear. */
class QuarantinedMessageTest {

    @Test
    void reasonsKeepReferencesAndMaskAddressesAndLongNumbers() {
        String shown = QuarantinedMessage.mask("status event refused: unknown complaint C-20261123-000417 of li.lei@example.com, "
                + "call back +86 138 0013 8000 or 13800138000 (chat 8880123); description is longer than 300 characters");
        assertThat(shown).contains("C-20261123-000417", "<email>", "longer than 300 characters")
                .doesNotContain("li.lei", "138", "8880123");
        assertThat(QuarantinedMessage.mask("x".repeat(1000))).hasSize(301);
        assertThat(QuarantinedMessage.mask(null)).isNull();
    }

    @Test
    void sourceIdsAreShownAsFingerprints() {
        assertThat(QuarantinedMessage.fingerprint("8880123:1")).matches("sha256:[0-9a-f]{16}")
                .isEqualTo(QuarantinedMessage.fingerprint("8880123:1")).isNotEqualTo(QuarantinedMessage.fingerprint("8880123:2"));
    }
}
