package org.complainthub.tools;

import org.complainthub.support.Folders;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

/** The hub checks its own folders before anything else starts: a problem stops it with every message at once. */
class StartupCheckTest {

    @TempDir
    Path tmp;

    @Test
    void theShippedFoldersLetTheHubStart() {
        StartupCheck check = new StartupCheck();
        check.setEnvironment(HubFolders.of(new StandardEnvironment()).environment());
        assertThatCode(() -> check.postProcessBeanFactory(null)).doesNotThrowAnyException();
    }

    @Test
    void problemsStopTheStartEachNamedByFileAndKey() throws IOException {
        Path routes = Folders.copy(Path.of("routes"), tmp.resolve("routes"));
        Files.writeString(routes.resolve("noid.camel.yaml"), "- route:\n    from:\n      uri: timer:x\n");
        Files.writeString(routes.resolve("kiosk.camel.yaml"), """
                - route:
                    id: kiosk
                    from:
                      uri: timer:kiosk
                      steps:
                        - to: "kamelet:complaint-intake?channel=kiosk&mapping=kiosk.jsonata"
                """);
        StandardEnvironment env = new HubFolders(routes, HubFolders.CHANNEL_CONFIG, Path.of("mappings"),
                Path.of("mappings/rules/classification.yaml")).environment();
        StartupCheck check = new StartupCheck();
        check.setEnvironment(env);
        assertThatThrownBy(() -> check.postProcessBeanFactory(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 problem(s)")
                .hasMessageContaining(routes.resolve("noid.camel.yaml").toString().replace('\\', '/') + ": route 1 has no id")
                .hasMessageContaining(": route kiosk: mapping kiosk.jsonata does not exist in mappings/");
    }
}
