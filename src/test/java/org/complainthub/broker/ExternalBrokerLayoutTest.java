package org.complainthub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;

/**
 * The start-up check against an external broker: a second Artemis broker, started here on a free loopback port, once
 * with everything the README's broker XML gives and once with a department queue and a desk divert left out.
 */
class ExternalBrokerLayoutTest {

    private static final DepartmentNames DEPARTMENTS = () -> Set.of("quality", "billing", "logistics");
    private static final List<String> HUB_QUEUES = List.of("complaints.desk", "complaints.quarantine", "complaints.status",
            "complaints.events", "complaints.outbound.send", "complaints.outbound.dead");

    @Test
    void aBrokerWithEverythingTheHubNeedsPasses() throws Exception {
        withBroker(config -> { }, url -> layout(url).check());
    }

    @Test
    void aMissingDepartmentQueueOrDeskDivertStopsTheStartNamingIt() throws Exception {
        withBroker(config -> {
            config.getAddressConfigurations().removeIf(a -> a.getName().equals("complaints.quality"));
            config.getDivertConfigurations().removeIf(d -> d.getName().equals("desk-copy-billing"));
        }, url -> assertThatThrownBy(() -> layout(url).check())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("queue complaints.quality")
                .hasMessageContaining("divert desk-copy-billing")
                .hasMessageContaining("An external broker")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("queue complaints.billing", "desk-copy-quality",
                        "desk-copy-logistics")));
    }

    private static ExternalBrokerLayout layout(String url) {
        return new ExternalBrokerLayout(DEPARTMENTS, "complaints.", HUB_QUEUES, url, null, null, "activemq.management", true);
    }

    interface Check {
        void run(String url) throws Exception;
    }

    private static void withBroker(Consumer<Configuration> leaveOut, Check check) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Configuration config = new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(false)
                .setJournalDirectory("target/test-data/external-broker").setName("external-" + port);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        new EmbeddedBrokerSettings(DEPARTMENTS, "complaints.", List.of("complaints.desk", "complaints.quarantine",
                "complaints.status", "complaints.events", "complaints.outbound.send",
                "complaints.outbound.dead"), 100000, 20000, "", -1).customize(config);
        leaveOut.accept(config);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        try {
            check.run("tcp://127.0.0.1:" + port + "?callTimeout=5000&reconnectAttempts=0&initialConnectAttempts=1");
        } finally {
            broker.stop();
        }
    }
}
