package org.complainthub.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real IMAP server for the email channel's tests: Debian's Dovecot (package dovecot-imapd, /usr/sbin/dovecot),
 * started in the foreground with a configuration of its own in a new temporary directory, on a free port on 127.0.0.1.
 * Its own base_dir, state_dir, instance name and port: a Dovecot that apt started as a system service (port 143, /run/
 * dovecot) is neither used nor disturbed. The layout most installations use: Maildir, hierarchy separator ".". One
 * user in a passwd-file, plaintext login allowed (loopback only, no TLS).
 * <p>
 * As root: Dovecot's login processes must not run as root, so they run as "nobody", and the mail user's files belong
 * to nobody too (Dovecot refuses mail access as uid 0); the master and its internal processes stay root.
 * <pre>
 * Dovecot.assumeInstalled();   // skips where Dovecot is not installed; under CI=true that is a failure
 * Dovecot imap = Dovecot.start("complaints@shop.example", "secret");
 * ... imap.port() ...
 * imap.close();
 * </pre>
 */
public final class Dovecot implements AutoCloseable {

    /** Debian's binary; -Dhub.test.dovecot=PATH names another (or a missing one, to see the skip). */
    public static final Path BINARY = Path.of(System.getProperty("hub.test.dovecot", "/usr/sbin/dovecot"));
    public static final String NOT_INSTALLED = "Dovecot not installed: apt-get install -y dovecot-imapd";

    private final Path dir;
    private final int port;
    private final Process process;

    private Dovecot(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Skips the calling test (or class, from a static initialiser or @BeforeAll) when Dovecot is missing; under CI
     * (CI=true, where .ci/run installs it) a missing Dovecot is a failure instead, so CI always runs the IMAP tests.
     */
    public static void assumeInstalled() {
        if (!Files.isExecutable(BINARY)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(NOT_INSTALLED + " (CI=true: .ci/run should have installed it)");
            }
            // Surefire counts a class skipped in @BeforeAll as "Tests run: 0": say why in the build's output
            System.err.println("Skipping the tests against a real IMAP server: " + NOT_INSTALLED);
            Assumptions.assumeTrue(false, NOT_INSTALLED);
        }
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a Dovecot with one mailbox user and waits (at most 20 s) until it greets on its port. */
    public static Dovecot start(String user, String password) throws IOException, InterruptedException {
        // in /tmp, not under target/: Dovecot's unix sockets live in base_dir, and a socket path is limited to 108 bytes
        Path dir = Files.createTempDirectory("hub-dovecot-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        boolean root = "0".equals(run("id", "-u"));
        String account = root ? "nobody" : System.getProperty("user.name");
        String uid = run("id", "-u", account);
        String gid = run("id", "-g", account);
        if (root) {
            run("chown", uid + ":" + gid, home.toString());
        }
        Files.writeString(dir.resolve("passwd"), user + ":{PLAIN}" + password + ":" + uid + ":" + gid + "::" + home + "::\n");
        int port = freePort();
        Files.writeString(dir.resolve("dovecot.conf"), """
                base_dir = %1$s/run
                state_dir = %1$s/state
                instance_name = hub-test-%2$d
                log_path = %1$s/dovecot.log
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                default_internal_user = %3$s
                default_internal_group = %4$s
                default_login_user = %5$s
                first_valid_uid = 1
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%u %1$s/passwd
                }
                userdb {
                  driver = passwd-file
                  args = username_format=%%u %1$s/passwd
                }
                mail_location = maildir:~/Maildir
                namespace inbox {
                  inbox = yes
                  separator = .
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %2$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                """.formatted(dir, port, root ? "root" : account, root ? "root" : run("id", "-gn"), account));
        Process process = new ProcessBuilder(BINARY.toString(), "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        Dovecot dovecot = new Dovecot(dir, port, process);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dovecot.greets() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            // reported below with the log
        }
        if (!process.isAlive() || !dovecot.greets()) {
            String log = dovecot.log();
            dovecot.close();
            throw new IllegalStateException("Dovecot did not start on 127.0.0.1:" + port + ":\n" + log);
        }
        return dovecot;
    }

    public int port() {
        return port;
    }

    /** The user's Maildir (folders are its sub-directories: .ComplaintHub.Processed). */
    public Path maildir() {
        return dir.resolve("home").resolve("Maildir");
    }

    /** Dovecot's log, for a failure message. */
    public String log() {
        try {
            StringBuilder sb = new StringBuilder();
            for (String f : new String[] {"dovecot.log", "dovecot.out"}) {
                Path p = dir.resolve(f);
                if (Files.exists(p)) {
                    sb.append(Files.readString(p, StandardCharsets.UTF_8));
                }
            }
            return sb.toString();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }

    private boolean greets() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(2000);
            byte[] greeting = new byte[4];
            InputStream in = s.getInputStream();
            return in.readNBytes(greeting, 0, 4) == 4 && new String(greeting, StandardCharsets.US_ASCII).equals("* OK");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
