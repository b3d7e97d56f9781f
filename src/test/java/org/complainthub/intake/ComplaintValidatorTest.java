package org.complainthub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.Complaint.Customer;
import org.complainthub.complaint.Complaint.Target;
import org.complainthub.complaint.RecordSchema;
import org.junit.jupiter.api.Test;

/** The validator's length limits are the record schema's: what one allows, the other does. */
class ComplaintValidatorTest {

    private final RecordSchema schema = new RecordSchema();
    private final ComplaintValidator validator = new ComplaintValidator("CN", 20000, schema);

    @Test
    void aMailSubjectAsLongAsTheSchemaAllowsIsTakenAndOneCharacterMoreIsRefused() {
        int max = schema.maxLength("subject");
        assertThat(max).isGreaterThan(200); // a mail's subject line may be long (RFC 5322: 998 characters a line)
        assertThat(validator.validate(complaint("x".repeat(max), "王芳", "A-1")).getSubject()).hasSize(max);
        assertThatThrownBy(() -> validator.validate(complaint("x".repeat(max + 1), "王芳", "A-1")))
                .isInstanceOfSatisfying(SubmissionRejected.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("subject"));
    }

    @Test
    void everyOtherLimitIsTheSchemasToo() {
        int name = schema.maxLength("customer.name");
        int order = schema.maxLength("target.order");
        validator.validate(complaint(null, "名".repeat(name), "A".repeat(order)));
        assertThatThrownBy(() -> validator.validate(complaint(null, "名".repeat(name + 1), "A".repeat(order + 1))))
                .isInstanceOfSatisfying(SubmissionRejected.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("customer.name", "target.order"));
    }

    private static Complaint complaint(String subject, String name, String order) {
        Complaint c = new Complaint();
        c.setSubject(subject);
        c.setDescription("洗衣机坏了");
        c.setCustomer(new Customer(name, "wang@example.com", null, null, null, "zh"));
        c.setTarget(new Target(order, null, null, null, null));
        return c;
    }
}
