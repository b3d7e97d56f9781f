package org.complainthub.channel.hotline;

import com.dashjoin.jsonata.Jsonata;
import jakarta.jms.JMSException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.complainthub.health.ChannelHealth;
import org.complainthub.intake.BatchIntake;
import org.complainthub.intake.IntakeMetrics;
import org.complainthub.mapping.ComplaintMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The hotline route's steps: open a call-log file of a configured format as a stream of batches, hand each batch to
 * the core's batch intake, and say what became of the file. The formats are checked at start-up, naming the key.
 */
@Component("hotlineFiles")
public class HotlineFiles {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.channel.hotline");
    private static final String SETTINGS = "channel-config/hotline/channel.properties";

    private final HotlineSettings settings;
    private final CallerNumbers callers;
    private final BatchIntake intake;
    private final IntakeMetrics metrics;
    private final Map<String, Jsonata> filters = new HashMap<>();
    private final Path reports;
    private final ChannelHealth health;

    public HotlineFiles(HotlineSettings settings, CallerNumbers callers, BatchIntake intake, IntakeMetrics metrics,
                        ComplaintMapper mapper, @Value("${hub.hotline.reports-folder}") Path reports, ChannelHealth health) {
        this.reports = reports;
        this.health = health;
        this.settings = settings;
        this.callers = callers;
        this.intake = intake;
        this.metrics = metrics;
        settings.formats().forEach((name, format) -> filters.put(name, check(name, format, mapper)));
        if (settings.format() != null && !settings.formats().containsKey(settings.format())) {
            throw new IllegalStateException(SETTINGS + ": hub.hotline.format=" + settings.format()
                    + " names no format (known: " + settings.formats().keySet() + ")");
        }
    }

    /**
     * The format of a file in the drop folder: a file in a sub-folder named like a format is of that format
     * (hotline/asterisk/Master.csv.1), any other of the channel's format.
     */
    public String formatOf(String relativePath, String channelFormat) {
        int slash = relativePath.replace('\\', '/').indexOf('/');
        String folder = slash < 0 ? null : relativePath.substring(0, slash);
        return folder != null && settings.formats().containsKey(folder) ? folder : channelFormat;
    }

    public CallLog open(InputStream in, String fileName, String formatName) {
        HotlineSettings.Format format = settings.formats().get(formatName);
        if (format == null) {
            throw new IllegalStateException("no hotline format " + formatName + " (known: " + settings.formats().keySet() + ")");
        }
        CallLog log = new CallLog(in, fileName, format, settings, filters.get(formatName), callers, reports);
        LOG.info("hotline file {}: reading as {} in {}", fileName, formatName, log.charset().name());
        return log;
    }

    /**
     * A quarantined row read again with the format's current settings (the quarantine replay): the call, refused with
     * the reason, or empty when the format's filter skips it. {@code formatName} null: the channel's format.
     */
    public java.util.Optional<BatchIntake.Item> reread(byte[] row, String header, boolean bom, String fileName,
                                                       int lineNumber, String formatName) {
        String name = formatName == null || formatName.isBlank() ? settings.format() : formatName;
        HotlineSettings.Format format = settings.formats().get(name);
        if (format == null) {
            return java.util.Optional.of(BatchIntake.Item.refused(row, Map.of(), "no hotline format " + name
                    + " (known: " + settings.formats().keySet() + ")"));
        }
        return CallLog.reread(row, header, bom, fileName, lineNumber, format, settings, filters.get(name), callers);
    }

    /** The mapping file of a format ({@code formatName} null: the channel's). */
    public String mappingOf(String formatName) {
        String name = formatName == null || formatName.isBlank() ? settings.format() : formatName;
        HotlineSettings.Format format = settings.formats().get(name);
        return format == null ? null : format.mapping();
    }

    /** {@code fromRouteId}: hotline-folder or hotline-sftp, whose health the batch counts for. */
    public void take(List<BatchIntake.Item> batch, CallLog log, String fromRouteId) throws JMSException {
        String channel = "hotline-sftp".equals(fromRouteId) ? "hotline-sftp" : "hotline";
        try {
            log.record(intake.take(batch, "hotline", log.format().mapping(), log::report));
            // a long file is progress batch by batch: the channel is not stale while it is being read
            health.succeeded(channel);
        } catch (JMSException | RuntimeException e) {
            health.failed(channel, "a batch could not be queued, the file stays (" + e.getClass().getSimpleName() + ")");
            LOG.warn("hotline file {}: a batch could not be queued; the file stays and is read again at the next poll "
                    + "(calls already queued are not queued twice): {}", log.fileName(), e.toString());
            throw e;
        }
    }

    /** Once every batch is on the broker: the file's account, and the skipped calls counted. */
    public void done(CallLog log) {
        metrics.count("hotline", "skipped", log.skipped());
        BatchIntake.Result r = log.taken();
        LOG.info("hotline file {} done: {} calls, {} queued, {} duplicates, {} quarantined, {} skipped (no complaint content)",
                log.fileName(), log.rows(), r.accepted(), r.duplicates(), r.quarantined(), log.skipped());
    }

    /** The file is released however the reading ended (the splitter stops early on a failure). */
    public void close(CallLog log) throws java.io.IOException {
        if (log != null) {
            log.close();
        }
    }

    private static Jsonata check(String name, HotlineSettings.Format f, ComplaintMapper mapper) {
        String key = SETTINGS + ": hub.hotline.formats." + name + ".";
        if (f.columns().isEmpty()) {
            throw new IllegalStateException(key + "columns is empty");
        }
        if (f.headerNames().size() != f.columns().size()) {
            throw new IllegalStateException(key + "header-names must name each of the columns, in the same order");
        }
        if (f.mapping() == null || !mapper.has(f.mapping())) {
            throw new IllegalStateException(key + "mapping: no mapping file " + f.mapping() + " in the mappings folder");
        }
        if (!List.of("rfc4180", "freeswitch").contains(f.quoting())) {
            throw new IllegalStateException(key + "quoting must be rfc4180 or freeswitch");
        }
        for (String column : concat(f)) {
            if (!f.columns().contains(column)) {
                throw new IllegalStateException(key + " names column " + column + ", which is not in its columns");
            }
        }
        try {
            java.time.format.DateTimeFormatter.ofPattern(f.timePattern());
            return Jsonata.jsonata(f.take() == null || f.take().isBlank() ? "true" : f.take());
        } catch (RuntimeException e) {
            throw new IllegalStateException(key + "take or time-pattern is not valid: " + e.getMessage(), e);
        }
    }

    private static List<String> concat(HotlineSettings.Format f) {
        List<String> named = new java.util.ArrayList<>(f.timeColumns());
        named.addAll(f.integerColumns());
        if (f.idColumn() != null && !f.idColumn().isBlank()) {
            named.add(f.idColumn());
        }
        if (f.callerColumn() != null && !f.callerColumn().isBlank()) {
            named.add(f.callerColumn());
        }
        return named;
    }
}
