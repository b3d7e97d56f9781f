package org.complainthub.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.complainthub.health.ChannelHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** The hotline's backlog is the call-log files the route would read: not those being written, not done/ or error/. */
class HotlinePollsTest {

    @TempDir
    Path folder;

    @Test
    void countsTheFilesWaitingAsTheRouteReadsThem() throws Exception {
        ChannelHealth health = new ChannelHealth(new MockEnvironment().withProperty("hub.hotline.enabled", "true"),
                new SimpleMeterRegistry());
        // the channel's shipped include and exclude (channel-config/hotline/channel.properties)
        HotlinePolls polls = new HotlinePolls(health, "hotline", folder, "(?i).*\\.csv([.-].*)?",
                "(?i)(\\..*|.*\\.(tmp|part|filepart|partial))");
        Files.writeString(folder.resolve("calls-1.csv"), "x");
        Files.writeString(folder.resolve("Master.csv.1"), "x");
        Files.writeString(folder.resolve("calls-2.csv.part"), "x"); // still being copied
        Files.writeString(folder.resolve(".calls-3.csv"), "x");
        Files.writeString(folder.resolve("readme.txt"), "x");
        Files.createDirectories(folder.resolve("asterisk"));
        Files.writeString(folder.resolve("asterisk/Master.csv"), "x");
        Files.createDirectories(folder.resolve("done"));
        Files.writeString(folder.resolve("done/20260101-calls-0.csv"), "x");
        Files.createDirectories(folder.resolve("error"));
        Files.writeString(folder.resolve("error/20260101-broken.csv"), "x");
        Files.createDirectories(folder.resolve("a/b"));
        Files.writeString(folder.resolve("a/b/too-deep.csv"), "x");

        assertThat(polls.waiting()).isEqualTo(3);
        polls.begin(null, null);
        assertThat(health.channels().stream().filter(v -> v.name().equals("hotline")).findFirst().orElseThrow().backlog())
                .isEqualTo(3);
    }
}
