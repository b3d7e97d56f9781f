package org.complainthub.faultrun;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * A standalone Artemis broker from the distribution Maven fetched (apache-artemis bin tar.gz), as its own process: an
 * instance made with {@code artemis create} in a folder of the run, on a free loopback port, login required, with the
 * queues and desk diverts the README's "An external broker" section asks for written into its broker.xml. It can be
 * stopped (SIGTERM, the broker's own shutdown), killed (SIGKILL) and started again on the same journal. Public for the
 * broker-pair run (cluster/BrokerFailoverRun), which makes a replicated primary/backup pair with {@link #createMember}.
 */
public final class ExternalArtemis implements AutoCloseable {

    public static final String USER = "hub";
    public static final String PASSWORD = "fault-run-secret";

    private final Path instance;
    private final int port;
    private final Path log;
    private Process process;
    private int starts;

    private ExternalArtemis(Path instance, int port) {
        this.instance = instance;
        this.port = port;
        this.log = instance.resolve("broker-console.log");
    }

    /**
     * Unpacks the distribution into {@code workDir}, creates an instance there and configures the hub's layout:
     * {@code departments} each get an anycast queue {@code complaints.<d>} and a non-exclusive divert to the desk.
     */
    static ExternalArtemis create(Path distribution, Path workDir, int port, Set<String> departments,
                                  List<String> hubQueues) throws Exception {
        return createMember(distribution, workDir, "broker", port, "1G", departments, hubQueues, List.of());
    }

    /**
     * An instance named {@code name} in {@code workDir} (the distribution unpacked there once), made with the fault run's
     * options plus {@code haOptions} (e.g. {@code --replicated --clustered --backup --staticCluster tcp://...}).
     */
    public static ExternalArtemis createMember(Path distribution, Path workDir, String name, int port, String javaMemory,
                                               Set<String> departments, List<String> hubQueues, List<String> haOptions)
            throws Exception {
        Files.createDirectories(workDir);
        Path home = home(workDir);
        if (home == null) {
            run(workDir, List.of("tar", "xzf", distribution.toAbsolutePath().toString()), Duration.ofMinutes(2));
            home = home(workDir);
            if (home == null) {
                throw new IllegalStateException("no apache-artemis-* folder in " + distribution);
            }
        }
        Path instance = workDir.resolve(name);
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/artemis").toString(), "create", "--silent",
                "--user", USER, "--password", PASSWORD, "--role", "amq", "--require-login", "--no-web",
                "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor", "--host",
                "127.0.0.1", "--default-port", Integer.toString(port), "--java-memory", javaMemory));
        command.addAll(haOptions);
        command.add(instance.toString());
        run(workDir, command, Duration.ofMinutes(3));
        configure(instance.resolve("etc/broker.xml"), departments, hubQueues);
        return new ExternalArtemis(instance, port);
    }

    private static Path home(Path workDir) throws IOException {
        try (Stream<Path> s = Files.list(workDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("apache-artemis-") && Files.isDirectory(p))
                    .findFirst().orElse(null);
        }
    }

    /**
     * The distribution a profile copied into target/ through Maven (-Dfault.artemis.distribution: -Pfault-run,
     * -Pbroker-pair, -Pcluster-run), else the local repository's copy.
     */
    public static Path distribution() {
        String configured = System.getProperty("fault.artemis.distribution");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String version = org.apache.activemq.artemis.utils.VersionLoader.getVersion().getFullVersion();
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "apache", "activemq",
                "apache-artemis", version, "apache-artemis-" + version + "-bin.tar.gz");
        if (!Files.exists(local)) {
            throw new IllegalStateException("no Artemis distribution: run with -Pfault-run, -Pbroker-pair or -Pcluster-run "
                    + "(they fetch org.apache.activemq:apache-artemis:" + version + ":tar.gz:bin), or set -Dfault.artemis.distribution");
        }
        return local;
    }

    public int port() {
        return port;
    }

    /** The instance's etc/broker.xml as written (for the docs and a reader of a failed run). */
    public Path brokerXml() {
        return instance.resolve("etc/broker.xml");
    }

    /** Adds the hub's addresses, the desk diverts and the settings EmbeddedBrokerSettings gives the embedded broker. */
    private static void configure(Path brokerXml, Set<String> departments, List<String> hubQueues) throws IOException {
        String xml = Files.readString(brokerXml, StandardCharsets.UTF_8);
        List<String> queues = new ArrayList<>(hubQueues);
        departments.forEach(d -> queues.add("complaints." + d));
        StringBuilder addresses = new StringBuilder("<addresses>\n");
        for (String q : queues) {
            addresses.append("         <address name=\"").append(q).append("\"><anycast><queue name=\"").append(q)
                    .append("\"/></anycast></address>\n");
        }
        StringBuilder core = new StringBuilder("      <diverts>\n");
        for (String d : departments) {
            core.append("         <divert name=\"desk-copy-").append(d).append("\"><address>complaints.").append(d)
                    .append("</address><forwarding-address>complaints.desk</forwarding-address>")
                    .append("<exclusive>false</exclusive></divert>\n");
        }
        core.append("      </diverts>\n      <id-cache-size>20000</id-cache-size>\n")
                .append("      <persist-id-cache>true</persist-id-cache>\n   </core>");
        String settings = """
                <address-settings>
                         <address-setting match="complaints.#">
                            <dead-letter-address>complaints.dead</dead-letter-address>
                            <auto-create-dead-letter-resources>true</auto-create-dead-letter-resources>
                            <max-delivery-attempts>10</max-delivery-attempts>
                         </address-setting>""";
        if (!xml.contains("<addresses>") || !xml.contains("</core>") || !xml.contains("<address-settings>")) {
            throw new IllegalStateException("unexpected broker.xml layout in " + brokerXml);
        }
        xml = xml.replace("<addresses>", addresses.toString()).replace("</core>", core.toString())
                .replace("<address-settings>", settings);
        Files.writeString(brokerXml, xml, StandardCharsets.UTF_8);
    }

    /** The URL the hub uses: fails a send in about a second while the broker is away (README, An external broker). */
    String hubUrl() {
        return "tcp://127.0.0.1:" + port + "?callTimeout=1500&callFailoverTimeout=1500&reconnectAttempts=0"
                + "&initialConnectAttempts=1&retryInterval=100&connectionTTL=6000&clientFailureCheckPeriod=2000"
                + "&cacheDestinations=true";
    }

    /** A URL for the run's own clients (queue watchers, drain checks). */
    public String clientUrl() {
        return "tcp://127.0.0.1:" + port + "?reconnectAttempts=0&initialConnectAttempts=1&callTimeout=5000"
                + "&connectionTTL=6000&clientFailureCheckPeriod=2000";
    }

    /** Starts the broker and waits until it takes a logged-in session (at most three minutes). */
    public void start() throws Exception {
        launch();
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Exception last = null;
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker ended at start-up; see " + log);
            }
            try (ServerLocator locator = ActiveMQClient.createServerLocator(clientUrl());
                 ClientSessionFactory factory = locator.createSessionFactory();
                 ClientSession session = factory.createSession(USER, PASSWORD, false, true, true, false, 0)) {
                if (session.queueQuery(SimpleString.of("complaints.desk")).isExists()) {
                    return;
                }
            } catch (Exception notYet) {
                last = notYet;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the broker did not start in 3 minutes; see " + log, last);
    }

    /**
     * Starts the broker process without waiting for it: a backup of a replicated pair takes no session until it has
     * taken over, so its caller waits for its log instead ({@link #awaitLog}).
     */
    public void launch() throws IOException {
        starts++;
        Files.writeString(log, "---- start " + starts + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").directory(instance.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until the broker's console log holds {@code text} (e.g. a log code such as AMQ221024). */
    public void awaitLog(String text, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("the broker ended before logging " + text + "; see " + log);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the broker did not log " + text + " in " + limit + "; see " + log);
    }

    /** The broker's own shutdown (SIGTERM), waiting for it to end. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** SIGKILL: no shutdown, no flush beyond what the journal had synced. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Messages on a queue now (scheduled ones included), or -1 when the broker does not answer. */
    public long depth(String queue) {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(clientUrl());
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(USER, PASSWORD, false, true, true, false, 0)) {
            ClientSession.QueueQuery q = session.queueQuery(SimpleString.of(queue));
            return q.isExists() ? q.getMessageCount() : 0;
        } catch (Exception e) {
            return -1;
        }
    }

    boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void run(Path dir, List<String> command, Duration limit) throws Exception {
        Path out = Files.createTempFile(dir, "cmd-", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(out));
        }
        Files.delete(out);
    }
}
