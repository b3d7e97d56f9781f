package org.complainthub.channel.hotline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.complainthub.health.ChannelHealth;

/**
 * The hotline consumers' poll strategy (pollStrategy=#hotlinePolls, #hotlineSftpPolls): each poll of the drop folder or
 * the SFTP server is a round of the channel's health. A poll that could not list its source (the SFTP server is away,
 * a login refused) fails; a file that could not be queued fails the round (HotlineFiles.take). Before each poll of the
 * drop folder the files waiting there are counted (as the route reads them: by include and exclude, at most two levels
 * down, done/ and error/ left out) as the channel's backlog.
 */
public class HotlinePolls implements PollingConsumerPollStrategy {

    private final ChannelHealth health;
    private final String channel;
    private final Path folder;
    private final Pattern include;
    private final Pattern exclude;

    /** {@code folder} null: the backlog cannot be known (an SFTP server is not listed twice). */
    public HotlinePolls(ChannelHealth health, String channel, Path folder, String include, String exclude) {
        this.health = health;
        this.channel = channel;
        this.folder = folder;
        this.include = include == null || include.isEmpty() ? null : Pattern.compile(include);
        this.exclude = exclude == null || exclude.isEmpty() ? null : Pattern.compile(exclude);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        health.pollBegins(channel);
        if (folder != null) {
            health.backlog(channel, waiting());
        }
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        health.pollEnds(channel);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        health.failed(channel, cause);
        return false; // no immediate retry: the next poll comes after the poll interval, as before
    }

    /** Call-log files waiting in the drop folder. */
    long waiting() {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder, 2)) {
            return files.filter(Files::isRegularFile).filter(this::waits).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1; // a file moved away while listing: not known this time
        }
    }

    private boolean waits(Path file) {
        Path relative = folder.relativize(file);
        if (relative.getNameCount() > 1 && (relative.getName(0).toString().equals("done")
                || relative.getName(0).toString().equals("error"))) {
            return false;
        }
        String name = file.getFileName().toString();
        return (include == null || include.matcher(name).matches()) && (exclude == null || !exclude.matcher(name).matches());
    }
}
