package org.complainthub.support;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The hub as its own process (the test's class path, the project folder or a copy of its folders as working
 * directory), on a data directory the caller keeps, with a loopback TCP acceptor for the test's JMS client and JMX for
 * its heap. For tests that must kill the hub for real (SIGKILL: no shutdown hook, no flush), run it with a small heap,
 * or run it on other routes/, channel-config/ and mappings/ folders. Every port is free-picked.
 */
public final class HubProcess implements AutoCloseable {

    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int brokerPort;
    private final int managementPort;
    private final int jmxPort;

    private HubProcess(Process process, Path log, int httpPort, int brokerPort, int managementPort, int jmxPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.brokerPort = brokerPort;
        this.managementPort = managementPort;
        this.jmxPort = jmxPort;
    }

    /** Starts the hub and waits until it is healthy (at most two minutes). */
    public static HubProcess start(Path dataDir, String maxHeap, List<String> settings) throws Exception {
        return start(dataDir, maxHeap, List.of(), settings);
    }

    /** With JVM options too (e.g. -XX:TieredStopAtLevel=1: a short run starts faster without the C2 compiler). */
    public static HubProcess start(Path dataDir, String maxHeap, List<String> jvmOptions, List<String> settings)
            throws Exception {
        HubProcess hub = launch(dataDir, maxHeap, jvmOptions, settings);
        hub.awaitHealthy(Duration.ofMinutes(2));
        return hub;
    }

    /**
     * Started in another working directory, which holds the hub's routes/, channel-config/ and mappings/ (read relative
     * to it): for a test of what IT adds in those folders.
     */
    public static HubProcess startIn(Path workingDirectory, Path dataDir, String maxHeap, List<String> jvmOptions,
                                     List<String> settings) throws Exception {
        HubProcess hub = launch(workingDirectory, dataDir, maxHeap, jvmOptions, settings);
        hub.awaitHealthy(Duration.ofMinutes(2));
        return hub;
    }

    /** Starts the hub without waiting for it: for a test that must catch it in the middle of its first work. */
    public static HubProcess launch(Path dataDir, String maxHeap, List<String> jvmOptions, List<String> settings)
            throws Exception {
        return launch(Path.of("").toAbsolutePath(), dataDir, maxHeap, jvmOptions, settings);
    }

    private static HubProcess launch(Path workingDirectory, Path dataDir, String maxHeap, List<String> jvmOptions,
                                     List<String> settings) throws Exception {
        int http = freePort();
        int broker = freePort();
        int management = freePort();
        int jmx = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-Dcom.sun.management.jmxremote.port=" + jmx, "-Dcom.sun.management.jmxremote.rmi.port=" + jmx,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-cp", System.getProperty("java.class.path"), "org.complainthub.HubApplication",
                "--hub.data-dir=" + dataDir, "--server.port=" + http, "--management.server.port=" + management,
                "--hub.broker.acceptor=tcp://127.0.0.1:" + broker + "?protocols=CORE",
                "--spring.artemis.embedded.server-id=" + (broker % 1000)));
        settings.forEach(s -> command.add("--" + s));
        // e.g. -Dhub.process.settings="hub.hotline.batch-size=500" to try other settings
        for (String s : System.getProperty("hub.process.settings", "").strip().split("\\s+")) {
            if (!s.isEmpty()) {
                command.add("--" + s);
            }
        }
        // e.g. -Dhub.process.jvm-options="-XX:StartFlightRecording=filename=/tmp/hub.jfr" to profile the hub
        List<String> chosen = new ArrayList<>(options(System.getProperty("hub.process.jvm-options", "")));
        chosen.addAll(jvmOptions);
        // then the hub's own JVM options, as the pom gives them to spring-boot:run, unless a collector was chosen above
        boolean collectorChosen = chosen.stream().anyMatch(o -> COLLECTOR.matcher(o).matches());
        options(System.getProperty("hub.jvm-options", "")).stream()
                .filter(o -> !collectorChosen || !COLLECTOR.matcher(o).matches()).forEach(chosen::add);
        command.addAll(1, chosen);
        Files.createDirectories(dataDir);
        Path log = Files.createTempFile(dataDir, "hub-", ".log");
        Process p = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new HubProcess(p, log, http, broker, management, jmx);
    }

    private static List<String> options(String line) {
        return line.isBlank() ? List.of() : List.of(line.strip().split("\\s+"));
    }

    /** The hub's HTTP port (form, API, webhooks), e.g. http://127.0.0.1:40123. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The management port (actuator: health, metrics, queues, quarantine), e.g. http://127.0.0.1:40124. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    /**
     * The text messages on one of the hub's queues, taken off it: waits up to 15 s for each while fewer than
     * {@code expected} came, then {@code more} for any beyond them.
     */
    public List<String> receive(String queue, int expected, java.time.Duration more) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory cf =
                     new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(brokerUrl());
             jakarta.jms.Connection c = cf.createConnection()) {
            c.start();
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            jakarta.jms.Message m;
            while ((m = consumer.receive(out.size() < expected ? 15_000 : more.toMillis())) != null) {
                out.add(m instanceof jakarta.jms.TextMessage t ? t.getText() : "(bytes)");
            }
        }
        return out;
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Heap in use now, read over JMX (the connection stays open for the proxy's calls). */
    public MemoryMXBean memory() throws IOException {
        return ManagementFactory.newPlatformMXBeanProxy(jmx().getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    }

    /** The hub's collectors so far, e.g. "PS Scavenge: 310 in 3.9 s, PS MarkSweep: 4 in 0.9 s", read over JMX. */
    public String garbageCollection() throws IOException {
        try (JMXConnector c = jmx()) {
            List<String> collectors = new ArrayList<>();
            for (GarbageCollectorMXBean gc : ManagementFactory.getPlatformMXBeans(c.getMBeanServerConnection(),
                    GarbageCollectorMXBean.class)) {
                collectors.add(String.format("%s: %d in %.1f s", gc.getName(), gc.getCollectionCount(),
                        gc.getCollectionTime() / 1000.0));
            }
            return String.join(", ", collectors);
        }
    }

    private JMXConnector jmx() throws IOException {
        return JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the hub gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    public void awaitHealthy(Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub process ended at start-up:\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        kill();
        throw new IllegalStateException("the hub process did not become healthy in " + limit + ":\n" + tail());
    }

    private String tail() throws IOException {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    /** Removes a data directory the hub process used (journal, database, drop folders). */
    public static void delete(Path dataDir) throws IOException {
        if (Files.exists(dataDir)) {
            try (java.util.stream.Stream<Path> all = Files.walk(dataDir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
