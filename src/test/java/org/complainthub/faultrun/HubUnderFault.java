package org.complainthub.faultrun;

import java.io.IOException;
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

/**
 * The hub as its own JVM (the test class path, the project folder as working directory, so it reads the real routes/,
 * channel-config/ and mappings/) on one data directory and fixed ports for the whole run: the platforms and the form's
 * users keep posting to the same address while it is killed and started again, as they would in production. Each
 * start appends to its own log file in the run's folder.
 */
final class HubUnderFault {

    private final Path dataDir;
    private final Path logDir;
    private final String maxHeap;
    private final List<String> settings;
    private final int httpPort;
    private final int managementPort;
    private final HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    HubUnderFault(Path dataDir, Path logDir, String maxHeap, int httpPort, int managementPort, List<String> settings) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.maxHeap = maxHeap;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.settings = settings;
    }

    String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    int starts() {
        return starts;
    }

    /**
     * Starts the hub and waits until it is ready for traffic (/actuator/health/readiness: the routes behind the HTTP
     * port started), at most {@code limit}; returns the time it took. Not /actuator/health: a poller that has not
     * finished its first poll (a drop folder with a backlog of files) keeps that DOWN while the hub works normally.
     */
    Duration start(Duration limit) throws Exception {
        long begin = System.nanoTime();
        starts++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
        for (String o : System.getProperty("hub.jvm-options", "").strip().split("\\s+")) {
            if (!o.isEmpty()) {
                command.add(o);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.complainthub.HubApplication",
                "--hub.data-dir=" + dataDir, "--server.port=" + httpPort, "--management.server.port=" + managementPort));
        settings.forEach(s -> command.add("--" + s));
        Files.createDirectories(dataDir);
        Path log = logDir.resolve(String.format("hub-%02d.log", starts));
        process = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = begin + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub ended at start-up; see " + log + ":\n" + tail(log));
            }
            if (healthy()) {
                return Duration.ofNanos(System.nanoTime() - begin);
            }
            Thread.sleep(200);
        }
        kill();
        throw new IllegalStateException("the hub did not become healthy in " + limit + "; see " + log + ":\n" + tail(log));
    }

    boolean healthy() {
        try {
            HttpResponse<String> r = health.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing finished. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: the hub's own graceful shutdown. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static String tail(Path log) throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return all.substring(Math.max(0, all.length() - 4000));
    }
}
