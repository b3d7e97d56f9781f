package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.jms.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.complainthub.support.MailHubTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The mail of {@link LenientMailTest} through a real IMAP mailbox (GreenMail) into the hub: what a mail client shows
 * becomes a complaint with the customer's address; only the mail with no address at all and the one with no readable
 * text go to quarantine, each with its reason. (stray_semicolon_parameters.eml is read by LenientMailTest only:
 * GreenMail's own store cannot hold it, its parser fails on the doubled semicolon where IMAP servers store it as is.)
 */
@TestPropertySource(properties = {"hub.email.enabled=true", "hub.email.poll-interval-ms=200",
        "hub.email.username=complaints@shop.example", "hub.email.password=secret",
        "hub.outbound.max-per-recipient-per-hour=100", "camel.main.shutdown-timeout=5"})
class LenientMailEndToEndTest extends MailHubTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    /** The readable fixtures, by the address the complaint must carry, and a piece of its description. */
    private static final Map<String, String> READABLE = Map.ofEntries(
            Map.entry("missing_start_boundary.eml", "stopped cooling after two days"),
            Map.entry("boundary_mismatch.eml", "My parcel 7731 is ten days late."),
            Map.entry("unquoted_boundary_specials.eml", "rude to my mother"),
            Map.entry("iso_2022_jp.eml", "注文した炊飯器が壊れていました"),
            Map.entry("shift_jis.eml", "荷物が一週間届きません"),
            Map.entry("korean_ks_c_5601.eml", "세탁기가 고장났습니다"),
            Map.entry("from_unparseable_reply_to.eml", "The kettle leaks."),
            Map.entry("from_name_only_sender.eml", "The phone screen cracked on day one."),
            Map.entry("only_return_path.eml", "Nobody called me back"),
            Map.entry("malformed_headers.eml", "Two screws were missing"));
    private static final List<String> QUARANTINED = List.of("no_address.eml", "no_readable_text.eml");

    @Test
    void whatAMailClientShowsIsAComplaintAndOnlyMailWithoutAddressOrTextIsQuarantined() throws Exception {
        for (String file : READABLE.keySet()) {
            deliver(LenientMailTest.fixture(file));
        }
        for (String file : QUARANTINED) {
            deliver(LenientMailTest.fixture(file));
        }
        int all = READABLE.size() + QUARANTINED.size();
        await().atMost(WAIT).until(() -> inbox().getMessageCount() == 0
                && count("ComplaintHub.Processed") + count("ComplaintHub.Quarantine") == all);
        assertThat(count("ComplaintHub.Quarantine")).as("quarantined mails").isEqualTo(QUARANTINED.size());

        List<JsonNode> desk = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            desk.addAll(drain("complaints.desk"));
            return desk.size() >= READABLE.size();
        });
        assertThat(desk).hasSize(READABLE.size());
        Map<String, String> byDescription = desk.stream().collect(Collectors.toMap(
                r -> r.path("description").asText(), r -> r.path("customer").path("email").asText()));
        READABLE.forEach((file, text) -> assertThat(byDescription.keySet()).as(file)
                .anySatisfy(d -> assertThat(d).contains(text)));
        assertThat(byDescription.values()).contains("li.lei@example.com", "zhao@example.org", "qian@example.net",
                "yamada@example.jp", "minsu@example.kr");

        List<String> reasons = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            Message m = jms.receive("complaints.quarantine");
            if (m != null) {
                reasons.add(m.getStringProperty("reason"));
            }
            return reasons.size() == QUARANTINED.size();
        });
        assertThat(reasons).allSatisfy(r -> assertThat(r).isNotBlank());
        assertThat(String.join(" | ", reasons)).contains("customer").contains("description");
    }

    private GreenMailUser mailbox() {
        GreenMailUser user = mail.getUserManager().getUser("complaints@shop.example");
        return user != null ? user : mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
    }

    private void deliver(byte[] raw) throws Exception {
        mailbox().deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
    }

    private MailFolder inbox() throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(mailbox());
    }

    private int count(String folder) throws Exception {
        MailFolder f = mail.getManagers().getImapHostManager().getFolder(mailbox(), folder);
        return f == null ? 0 : f.getMessageCount();
    }
}
