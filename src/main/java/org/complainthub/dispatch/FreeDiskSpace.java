package org.complainthub.dispatch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ResourceAllocationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.complainthub.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Stops intake while the disk of the data directory (broker journal, embedded database, evidence) has less than
 * {@code hub.intake.min-free-disk-bytes} free: better a 503 with Retry-After (and mail left in the inbox, files in the
 * drop folder) than a broker or database that runs out of room mid-write. Measured at most once a second.
 * The refusal is a JMS {@link ResourceAllocationException} ("the provider cannot allocate the resources"): every
 * channel already treats a broker refusal as the hub's own fault (503, source left unacknowledged, nothing counted).
 * The free space and the setting are gauges ({@code hub_data_disk_free_bytes}, {@code hub_data_disk_min_free_bytes}),
 * so an alert can warn before intake pauses.
 */
@Component
public class FreeDiskSpace {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");
    private static final long MEASURE_EVERY_NANOS = 1_000_000_000L;

    private final Path dataDir;
    private final long minFreeBytes;
    private volatile long free = Long.MAX_VALUE;
    private volatile long measuredAt = System.nanoTime() - MEASURE_EVERY_NANOS;
    private volatile boolean low;

    public FreeDiskSpace(HubProperties hub, @Value("${hub.intake.min-free-disk-bytes:536870912}") long minFreeBytes,
                         MeterRegistry registry) {
        this.dataDir = hub.dataDir();
        this.minFreeBytes = minFreeBytes;
        // measured at each scrape: one statfs call
        Gauge.builder("hub.data.disk.free", this, FreeDiskSpace::measured).baseUnit("bytes")
                .description("Free space on the disk of hub.data-dir (broker journal, database, evidence)").register(registry);
        Gauge.builder("hub.data.disk.min.free", this, d -> (double) d.minFreeBytes).baseUnit("bytes")
                .description("hub.intake.min-free-disk-bytes: below it intake pauses (0: no check)").register(registry);
    }

    /** Throws while the data directory's disk has less free space than the setting. */
    public void check() throws ResourceAllocationException {
        if (minFreeBytes <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - measuredAt >= MEASURE_EVERY_NANOS) {
            measuredAt = now;
            free = measure();
            boolean wasLow = low;
            low = free < minFreeBytes;
            if (low && !wasLow) {
                LOG.warn("{} bytes free under {} (hub.intake.min-free-disk-bytes={}): intake paused", free, dataDir, minFreeBytes);
            } else if (!low && wasLow) {
                LOG.info("{} bytes free under {}: intake resumed", free, dataDir);
            }
        }
        if (low) {
            throw new ResourceAllocationException("only " + free + " bytes free on the data directory's disk (at least "
                    + minFreeBytes + " needed): intake is paused");
        }
    }

    private double measured() {
        long f = measure();
        return f == Long.MAX_VALUE ? Double.NaN : f;
    }

    private long measure() {
        try {
            Path at = dataDir;
            while (at != null && !Files.exists(at)) {
                at = at.toAbsolutePath().getParent();
            }
            return at == null ? Long.MAX_VALUE : Files.getFileStore(at).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: the broker and the database report their own failures
        }
    }
}
