package org.complainthub.complaint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A hub started on a restored backup must not issue again the references the original issued after the backup was
 * taken: customers and the desk hold them (and the broker's duplicate detection would drop a second complaint under
 * one). Those numbers are lost with the original's database, so the sequence is moved past every number the original
 * could have issued since: {@code restoreRate} numbers per second from when the restored database last took a block
 * (the reference_clock table; or the backup's time written in the marker file, if earlier) until now.
 * <p>
 * The restore procedure says so with the file {@value #MARKER} in the data directory (its content, optional: the time
 * the backup was taken, ISO-8601). It is read before the first reference of the run; once the sequence has moved, the
 * file is renamed {@value #MARKER}.done-&lt;time&gt;, so the next start numbers on as usual. A crash between the two moves
 * the sequence once more at the next start: larger numbers, never a repeated one. When neither the database nor the
 * file tells the backup's time (a database from before reference_clock), a backup {@link #UNKNOWN_AGE} old is assumed.
 */
final class RestoredBackup {

    private static final Logger LOG = LoggerFactory.getLogger(RestoredBackup.class);

    static final String MARKER = "restored-from-backup";
    static final Duration UNKNOWN_AGE = Duration.ofDays(30);

    private RestoredBackup() {
    }

    /**
     * When {@code dataDir} holds the marker: moves the sequence past what the original may have issued and renames the
     * marker. {@code sequence} is how the database is asked for a value and told to restart.
     */
    static void moveSequenceIfRestored(Path dataDir, JdbcTemplate jdbc, ReferenceNumbers.Sequence sequence,
                                       long restoreRate, Clock clock) {
        Path marker = dataDir.resolve(MARKER);
        if (!Files.exists(marker)) {
            return;
        }
        Instant now = clock.instant();
        Instant since = since(marker, jdbc, now);
        long elapsed = Math.max(0, Duration.between(since, now).toSeconds()) + 1;
        long next = sequence.next();
        // past everything issued from the blocks taken until now, on the block grid (values 1, 101, 201, ...)
        long target = next + ReferenceNumbers.BLOCK + Math.multiplyExact(elapsed, restoreRate);
        target += Math.floorMod(1 - target, ReferenceNumbers.BLOCK);
        sequence.restartWith(target);
        LOG.warn("restored from a backup (data directory {}): reference numbers continue from {}, past the {} s since {} "
                + "at {} numbers/s (hub.references.restore-rate): none the original issued after the backup is issued again",
                dataDir, target, elapsed, since, restoreRate);
        try {
            Files.move(marker, marker.resolveSibling(MARKER + ".done-" + now.toString().replace(':', '-')));
        } catch (IOException e) {
            throw new UncheckedIOException("the reference numbers moved on, but " + marker + " could not be renamed: "
                    + "remove it before the next start", e);
        }
    }

    /** The earliest of the database's last block and the time in the marker; or now minus the unknown age. */
    private static Instant since(Path marker, JdbcTemplate jdbc, Instant now) {
        Instant since = null;
        try {
            Timestamp last = jdbc.queryForObject("SELECT last_block_at FROM reference_clock WHERE id = 1", Timestamp.class);
            since = last == null ? null : last.toInstant();
        } catch (org.springframework.dao.EmptyResultDataAccessException none) {
            // no row: as if no block was taken
        }
        try {
            String text = Files.readString(marker, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                Instant written = OffsetDateTime.parse(text).toInstant();
                since = since == null || written.isBefore(since) ? written : since;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker, e);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(marker + " must be empty or hold the backup's time as 2026-11-23T09:00:00+08:00: "
                    + e.getParsedString(), e);
        }
        if (since == null) {
            LOG.warn("{}: the backup's time is not known (write it into the file to say): {} assumed", marker, UNKNOWN_AGE);
            return now.minus(UNKNOWN_AGE);
        }
        return since;
    }
}
