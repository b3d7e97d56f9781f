package org.complainthub.cluster;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.complainthub.faultrun.ExternalArtemis;

/**
 * An Artemis primary/backup pair with replication (issue 17), made with {@code artemis create --replicated --clustered}
 * from the distribution Maven fetched, both on free loopback ports, with the hub's queues and desk diverts; started
 * with the backup in sync. What docs/deploy/artemis-pair describes, for the runs that kill a server under load.
 */
final class ArtemisPair implements AutoCloseable {

    static final List<String> HUB_QUEUES = List.of("complaints.desk", "complaints.quarantine", "complaints.status",
            "complaints.events", "complaints.outbound.send", "complaints.outbound.dead", "complaints.escalations");
    private static final String CLUSTER_USER = "hub-cluster";
    private static final String CLUSTER_PASSWORD = "pair-cluster-secret";

    final ExternalArtemis primary;
    final ExternalArtemis backup;
    private final int primaryPort;
    private final int backupPort;

    private ArtemisPair(ExternalArtemis primary, ExternalArtemis backup, int primaryPort, int backupPort) {
        this.primary = primary;
        this.backup = backup;
        this.primaryPort = primaryPort;
        this.backupPort = backupPort;
    }

    /** Creates both servers in {@code dir}, starts the primary, then the backup, and waits until it is in sync. */
    static ArtemisPair start(Path dir, Set<String> departments) throws Exception {
        int primaryPort = freePort();
        int backupPort = freePort();
        ExternalArtemis primary = ExternalArtemis.createMember(ExternalArtemis.distribution(), dir, "primary", primaryPort, "512M",
                departments, HUB_QUEUES, haOptions("primary", backupPort, false));
        ExternalArtemis backup = ExternalArtemis.createMember(ExternalArtemis.distribution(), dir, "backup", backupPort, "512M",
                departments, HUB_QUEUES, haOptions("backup", primaryPort, true));
        failback(primary.brokerXml(), backup.brokerXml());
        ArtemisPair pair = new ArtemisPair(primary, backup, primaryPort, backupPort);
        primary.start();
        backup.launch();
        // AMQ221024: the backup has the primary's whole journal and follows it from now on
        backup.awaitLog("AMQ221024", Duration.ofMinutes(3));
        return pair;
    }

    /**
     * The hub's URL for the pair: both servers listed, ha=true (the client learns the pair's topology) and the single
     * broker's fast-fail parameters: a send fails in about 1.5 s while no server answers (the hub answers 503) and the
     * hub's own reconnect (Spring's listener containers, a new producer connection) finds the server that is active.
     */
    String hubUrl() {
        return System.getProperty("pair.url", "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort + ")"
                + "?ha=true&callTimeout=1500&callFailoverTimeout=1500&reconnectAttempts=0&initialConnectAttempts=1"
                + "&retryInterval=100&connectionTTL=6000&clientFailureCheckPeriod=2000&cacheDestinations=true")
                .replace("{primary}", Integer.toString(primaryPort)).replace("{backup}", Integer.toString(backupPort));
    }

    /** A hub node's settings for the pair (no embedded broker). */
    List<String> hubSettings() {
        return List.of("spring.artemis.embedded.enabled=false", "spring.artemis.broker-url=" + hubUrl(),
                "spring.artemis.user=" + ExternalArtemis.USER, "spring.artemis.password=" + ExternalArtemis.PASSWORD);
    }

    /** Takes every message on {@code queue} of the server at {@code url}, as text. */
    static List<String> drain(String url, String queue) throws Exception {
        List<String> out = new ArrayList<>();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
             Connection c = cf.createConnection(ExternalArtemis.USER, ExternalArtemis.PASSWORD)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m;
            while ((m = consumer.receive(2_000)) != null) {
                out.add(m instanceof TextMessage t ? t.getText() : new String(m.getBody(byte[].class), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        backup.stop();
        primary.kill();
    }

    private static List<String> haOptions(String name, int otherPort, boolean backup) {
        List<String> options = new ArrayList<>(List.of("--replicated", "--clustered", "--cluster-user", CLUSTER_USER,
                "--cluster-password", CLUSTER_PASSWORD, "--staticCluster", "tcp://127.0.0.1:" + otherPort, "--name", name));
        if (backup) {
            options.add("--backup");
        }
        return options;
    }

    /**
     * What {@code artemis create} leaves out: a primary started again after a takeover must not become active on its
     * old journal beside the backup (check-for-active-server: it asks the pair first and comes back in sync), and the
     * backup hands back to it then (allow-failback), as Artemis's replicated-failback example does.
     */
    private static void failback(Path primaryXml, Path backupXml) throws IOException {
        edit(primaryXml, "<vote-on-replication-failure>true</vote-on-replication-failure>",
                "<vote-on-replication-failure>true</vote-on-replication-failure>\n"
                        + "               <check-for-active-server>true</check-for-active-server>");
        edit(backupXml, "<backup/>", "<backup>\n               <allow-failback>true</allow-failback>\n            </backup>");
    }

    private static void edit(Path file, String what, String by) throws IOException {
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        if (!xml.contains(what)) {
            throw new IllegalStateException("no " + what + " in " + file);
        }
        Files.writeString(file, xml.replace(what, by), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
