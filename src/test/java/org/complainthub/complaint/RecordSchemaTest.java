package org.complainthub.complaint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record as the dispatcher writes it: checked against the published schema as a tree, then written from it. */
class RecordSchemaTest {

    private final RecordSchema schema = new RecordSchema();

    @Test
    void aValidRecordIsWrittenExactlyAsTheRecordsOneJsonForm() {
        Complaint c = complaint();
        String json = schema.toValidJson(c);
        assertThat(json).isEqualTo(RecordJson.write(c));
        assertThat(json).contains("\"receivedAt\":\"2026-11-23T09:30:00.123+08:00\"", "\"value\":5000.50",
                "\"description\":\"洗衣机用了三天就坏了 \\\"really\\\"\\n第二行\"");
        assertThat(schema.problems(json)).isEmpty();
    }

    @Test
    void aRecordTheSchemaDoesNotAllowIsRefusedNamingWhatIsWrong() {
        Complaint c = complaint();
        c.setAmount(new Complaint.Amount(new BigDecimal("12"), "yuan"));
        c.setDepartment(null);
        assertThatThrownBy(() -> schema.toValidJson(c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("C-20261123-000101").hasMessageContaining("department").hasMessageContaining("currency");
    }

    private static Complaint complaint() {
        Complaint c = new Complaint();
        c.setId("C-20261123-000101");
        c.setChannel("hotline");
        c.setSourceId("CALL-0001");
        c.setReceivedAt(OffsetDateTime.parse("2026-11-23T09:30:00.123+08:00"));
        c.setCustomer(new Complaint.Customer("王芳", null, "+8613900139000", null, null, "zh"));
        c.setDescription("洗衣机用了三天就坏了 \"really\"\n第二行");
        c.setDemands(List.of(Demand.REFUND));
        c.setAmount(new Complaint.Amount(new BigDecimal("5000.50"), "CNY"));
        c.setType(ComplaintType.PRODUCT_QUALITY);
        c.setGrade(Grade.A);
        c.setDepartment("quality");
        c.setDueAt(OffsetDateTime.parse("2026-11-23T17:30:00.123+08:00"));
        return c;
    }
}
