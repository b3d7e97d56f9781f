package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.intake.ComplaintValidator;
import org.junit.jupiter.api.Test;

/** What a mail's customer stated as a form would: labelled lines only, never numbers from running or quoted text. */
class StatedFieldsTest {

    private final ComplaintValidator validator = new ComplaintValidator("CN", 20000, new RecordSchema());

    private Map<String, String> of(String text) {
        return StatedFields.of(text, validator::e164);
    }

    @Test
    void chineseAndEnglishLabelsWithEitherColon() {
        assertThat(of("冰箱坏了。\n\n订单号：DD20261120776\n手机：139 1111 0006\n"))
                .containsEntry("order", "DD20261120776").containsEntry("phone", "+8613911110006");
        assertThat(of("The fridge broke.\r\n\r\n - Order number: A-7788-12\r\n * Phone: +44 20 7946 0958\r\n"))
                .containsEntry("order", "A-7788-12").containsEntry("phone", "+442079460958");
    }

    @Test
    void numbersInRunningTextAreNotStated() {
        assertThat(of("My neighbour's phone is 13911110007 and she had the same problem with order DD20261120777."))
                .isEmpty();
        assertThat(of("Please call me: my phone is 13911110007 if you want")).isEmpty();
    }

    @Test
    void quotedTextAndWhatFollowsAQuotedOriginalAreNotThisMailsStatement() {
        assertThat(of("Still broken!\n> 订单号：DD20261120778\n> 手机：13911110008\n")).isEmpty();
        assertThat(of("Still broken!\n\nOn Mon, 30 Nov 2026 at 10:00, Shop <service@shop.example> wrote:\nPhone: 13911110008\n"))
                .isEmpty();
        assertThat(of("还是没修好\n-----原始邮件-----\n手机：13911110008\n")).isEmpty();
    }

    @Test
    void anInvalidPhoneIsDroppedAndTheFirstValueOfALabelCounts() {
        assertThat(of("手机：123\n订单号：DD1111\n订单号：DD2222\n")).doesNotContainKey("phone").containsEntry("order", "DD1111");
        assertThat(of("Order: <script>alert(1)</script>\nOrder no: ../../etc/passwd\n")).isEmpty();
        assertThat(of(null)).isEmpty();
    }
}
