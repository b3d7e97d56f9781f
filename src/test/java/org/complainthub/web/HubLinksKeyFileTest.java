package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.Set;
import org.complainthub.HubProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The generated link-signing key is a secret: readable by the hub's own user only, from the moment it exists. */
@ExtendWith(OutputCaptureExtension.class)
class HubLinksKeyFileTest {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @TempDir
    Path dataDir;

    private HubLinks links() {
        return new HubLinks(new HubProperties(dataDir, Path.of("mappings"), ZoneId.of("Asia/Shanghai"), "http://hub", ""), "");
    }

    @Test
    void aGeneratedKeyFileIsReadableByItsOwnerOnlyAndSurvivesARestart() throws Exception {
        String link = links().signed("/evidence/abc");
        Path key = dataDir.resolve("keys/link-signing.key");

        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(key.getParent())).as("the keys folder too")
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(links().signed("/evidence/abc")).as("the same key after a restart").isEqualTo(link);
    }

    @Test
    void aKeyFileOthersCanReadIsTightenedWithAWarning(CapturedOutput output) throws Exception {
        String link = links().signed("/evidence/abc");
        Path key = dataDir.resolve("keys/link-signing.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(links().signed("/evidence/abc")).isEqualTo(link);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(OWNER_ONLY);
        assertThat(output.getOut() + output.getErr()).contains("link-signing.key", "readable by others");
    }
}
