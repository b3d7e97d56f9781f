package org.complainthub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A follow-up (threadOf, set by its channel: an email answering the hub's message, an edit of a social message) is sent
 * where the complaint it follows is handled, whatever the rules say of its own text: decided by dispatch with its
 * group, from the account's thread, else from the contact ledger (the account has opened a newer complaint since, or
 * the complaint has no account). Classification alone would send each follow-up here to billing.
 */
@Import(FollowUpDepartmentTest.Setup.class)
class FollowUpDepartmentTest extends HubIntegrationTest {

    @TestConfiguration
    static class Setup {
        /** The core steps as a channel's route runs them after its mapping, for a record of any channel. */
        @Bean
        RouteBuilder recordIntake() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:test-follow-up-record").routeId("test-follow-up-record")
                            .bean("complaintValidator", "validate")
                            .bean("complaintEnricher", "enrich(${body}, ${header.channel})")
                            .bean("complaintClassification", "apply")
                            .to("direct:complaint-dispatch");
                }
            };
        }
    }

    @Autowired
    ProducerTemplate producer;

    @Test
    void aFollowUpGoesToTheDepartmentOfTheComplaintItFollows() throws Exception {
        // a social account's complaint: its thread names it
        String parcel = complaint("telegram", Map.of("handle", "7001"), "DELIVERY", "The parcel came soaked", null);
        assertThat(take("complaints.logistics").record().get("id").asText()).isEqualTo(parcel);
        String edit = complaint("telegram", Map.of("handle", "7001"), "PRICE_BILLING", "And I was charged twice", parcel);
        JsonNode followUp = take("complaints.logistics").record();
        assertThat(followUp.get("id").asText()).isEqualTo(edit);
        assertThat(followUp.get("threadOf").asText()).isEqualTo(parcel);
        assertThat(followUp.get("department").asText()).isEqualTo("logistics");

        // a message of another account within the window is its own complaint (telegram's accounts follow up within
        // hub.webhooks.telegram.follow-up-window, registered by the webhook channel; the same account's would follow)
        String rude = complaint("telegram", Map.of("handle", "7002"), "SERVICE", "The assistant was rude", null);
        assertThat(take("complaints.customer-service").record().get("id").asText()).isEqualTo(rude);
        complaint("telegram", Map.of("handle", "7001"), "PRICE_BILLING", "Still charged twice for the parcel", parcel);
        // a new message of the first account without threadOf follows its open complaint: dispatch decides it
        complaint("telegram", Map.of("handle", "7001"), "SERVICE", "Nobody answers my calls", null);
        assertThat(take("complaints.logistics").record().get("threadOf").asText()).isEqualTo(parcel);
        assertThat(take("complaints.logistics").record().get("threadOf").asText()).isEqualTo(parcel);
        complaint("telegram", Map.of("handle", "7002"), "PRICE_BILLING", "The assistant also overcharged me", rude);
        assertThat(take("complaints.customer-service").record().get("threadOf").asText()).isEqualTo(rude);

        // a complaint with no account (an email): the ledger
        String mail = complaint("email", Map.of("email", "wu.lan@example.com"), "PRODUCT_QUALITY", "The kettle leaks", null);
        assertThat(take("complaints.quality").record().get("id").asText()).isEqualTo(mail);
        complaint("email", Map.of("email", "wu.lan@example.com"), "PRICE_BILLING", "Re: and the refund is short", mail);
        assertThat(take("complaints.quality").record().get("threadOf").asText()).isEqualTo(mail);

        // a follow-up of a complaint the hub does not know keeps what the rules said
        complaint("email", Map.of("email", "wu.lan@example.com"), "PRICE_BILLING", "Re: charged twice", "C-20200101-999999");
        assertThat(take("complaints.billing").record().get("threadOf").asText()).isEqualTo("C-20200101-999999");

        drain("complaints.desk");
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    private String complaint(String channel, Map<String, String> contact, String type, String text, String threadOf) {
        Map<String, Object> customer = new LinkedHashMap<>(contact);
        customer.put("language", "en");
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("sourceId", channel + "-follow-up-" + System.nanoTime());
        record.put("customer", customer);
        record.put("description", text);
        record.put("type", type);
        if (threadOf != null) {
            record.put("threadOf", threadOf);
        }
        return producer.requestBodyAndHeader("direct:test-follow-up-record",
                RecordJson.MAPPER.convertValue(record, Complaint.class), "channel", channel, Complaint.class).getId();
    }
}
