package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Call logs fetched from an SFTP server (an in-process Apache MINA SSHD server on a free loopback port, password login,
 * its host key in a known_hosts file: strict checking as in production): the export becomes complaints, and the file
 * is moved to done/ on the server.
 */
@TestPropertySource(properties = {"hub.hotline.enabled=false", "hub.hotline.sftp.enabled=true",
        "hub.hotline.sftp.username=hub", "hub.hotline.sftp.password=export-secret", "hub.hotline.sftp.directory=exports",
        "hub.hotline.read-lock-check-ms=200", "hub.hotline.poll-interval-ms=200"})
class HotlineSftpTest extends HubIntegrationTest {

    static SshServer sftp;
    static Path root;

    @DynamicPropertySource
    static void sftpServer(DynamicPropertyRegistry registry) throws IOException {
        root = Files.createTempDirectory("sftp-root-");
        Files.createDirectories(root.resolve("exports"));
        sftp = SshServer.setUpDefaultServer();
        sftp.setHost("127.0.0.1");
        sftp.setPort(0);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(root.resolveSibling(root.getFileName() + ".hostkey"));
        keys.setAlgorithm("RSA");
        sftp.setKeyPairProvider(keys);
        sftp.setPasswordAuthenticator((user, password, session) -> "hub".equals(user) && "export-secret".equals(password));
        sftp.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sftp.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sftp.start();
        Path knownHosts = Files.createTempFile("known_hosts", "");
        List<String> lines = new ArrayList<>();
        for (KeyPair pair : keys.loadKeys(null)) {
            lines.add("[127.0.0.1]:" + sftp.getPort() + " " + PublicKeyEntry.toString(pair.getPublic()));
        }
        Files.write(knownHosts, lines);
        registry.add("hub.hotline.sftp.host", () -> "127.0.0.1");
        registry.add("hub.hotline.sftp.port", sftp::getPort);
        registry.add("hub.hotline.sftp.known-hosts-file", knownHosts::toString);
    }

    @AfterAll
    static void stopServer() throws IOException {
        sftp.stop(true);
    }

    @Test
    void anExportOnTheSftpServerBecomesComplaintsAndMovesToDoneThere() throws Exception {
        Path exports = root.resolve("exports");
        Path part = exports.resolve("generic.csv.part");
        Files.copy(Path.of("src/test/resources/hotline/generic.csv"), part);
        Files.move(part, exports.resolve("generic.csv"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(60)).until(() -> doneOnServer(exports));
        assertThat(exports.resolve("generic.csv")).doesNotExist();
        List<String> sourceIds = new ArrayList<>();
        while (depth("complaints.desk") > 0) {
            JsonNode record = take("complaints.desk").record();
            assertThat(record.get("channel").asText()).isEqualTo("hotline");
            sourceIds.add(record.get("sourceId").asText());
        }
        assertThat(sourceIds).containsExactlyInAnyOrder("CALL-0001", "CALL-0002", "CALL-0004", "CALL-0008");
        assertThat(depth("complaints.quarantine")).isEqualTo(4);
    }

    private static boolean doneOnServer(Path exports) throws IOException {
        Path done = exports.resolve("done");
        if (!Files.isDirectory(done)) {
            return false;
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith("-generic.csv"));
        }
    }
}
