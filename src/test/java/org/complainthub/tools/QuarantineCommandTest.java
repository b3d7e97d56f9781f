package org.complainthub.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarantine command's own checks, before it asks the hub: what it needs, and the exit code 2 when it cannot run.
 * (Listing and replaying against a running hub: ops/QuarantineReplayTest.)
 */
class QuarantineCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Tools.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8), env);
    }

    private String out() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATokenItSaysWhereOneComesFrom() {
        assertThat(run(Map.of(), "quarantine", "list", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(out()).contains("no management token", "HUB_MANAGEMENT_TOKEN", "keys/management-token");
    }

    @Test
    void usageMistakesAreExitTwoAndTheHubIsNotAsked() {
        assertThat(run(Map.of("HUB_MANAGEMENT_TOKEN", "t"), "quarantine")).isEqualTo(2);
        assertThat(out()).contains("quarantine needs list or replay");
        assertThat(run(Map.of("HUB_MANAGEMENT_TOKEN", "t"), "quarantine", "replay")).isEqualTo(2);
        assertThat(run(Map.of("HUB_MANAGEMENT_TOKEN", "t"), "quarantine", "replay", "--channel", "email", "ID:1")).isEqualTo(2);
        assertThat(out()).contains("either --channel C or message ids");
        assertThat(run(Map.of("HUB_MANAGEMENT_TOKEN", "t"), "quarantine", "list", "--bogus", "1")).isEqualTo(2);
        assertThat(out()).contains("unknown option");
    }

    @Test
    void anUnreachableHubIsExitTwo() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/management-token"), "abc\n");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // free, and closed again: nothing listens there
        }
        assertThat(run(Map.of(), "quarantine", "list", "--data-dir", dir.toString(), "--url", "http://127.0.0.1:" + port)).isEqualTo(2);
        assertThat(out()).contains("cannot reach the hub at http://127.0.0.1:" + port);
    }
}
