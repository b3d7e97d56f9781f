package org.complainthub.support;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub with a real mail server beside it (GreenMail, SMTP and IMAP on free loopback ports, new for each test
 * class): the email channel polls its IMAP side, and acknowledgements go out through its SMTP side into the
 * customers' GreenMail mailboxes. Subclasses set hub.email.enabled, the mailbox user and the poll interval.
 */
public abstract class MailHubTest extends HubIntegrationTest {

    @RegisterExtension
    protected static GreenMailExtension mail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mailServers(DynamicPropertyRegistry registry) {
        registry.add("hub.email.host", () -> "127.0.0.1");
        registry.add("hub.email.port", () -> mail.getImap().getPort());
        registry.add("hub.outbound.email.host", () -> "127.0.0.1");
        registry.add("hub.outbound.email.port", () -> mail.getSmtp().getPort());
    }
}
