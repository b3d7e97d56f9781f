package org.complainthub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.complainthub.HubProperties;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.dedup.SourceMessageBatch;
import org.complainthub.outbound.ComplaintHistory;
import org.complainthub.outbound.ContactLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database's bookkeeping after the broker committed a group or batch: its claims marked dispatched, its accounts'
 * threads, its customers' contacts and matters ({@link RepeatComplaints}), its rows in the contact ledger and the complaint history ({@link #mark}). Once the broker committed, the complaints are taken and their
 * callers are told so; a mark the database refuses then ({@link #markOrFinishLater}) is finished in the background,
 * retried every {@code hub.intake.mark-retry-ms} until the database takes it.
 * <p>
 * Each unfinished mark is also written to {@code <data-dir>/dispatch/unmarked/} (the records and which claims to mark)
 * and read back at start-up, so a restart before the database came back loses no contact-ledger row: without it, a
 * form complaint (no source id, never resubmitted) would never get its acknowledgement or its thank-you. Every step of
 * a mark is repeatable, so a mark finished twice (written, then the hub stopped before the file was deleted) is harmless.
 * <p>
 * Bounded: past {@code hub.intake.unmarked-max} complaints waiting, intake refuses new groups ({@link #checkRoom}, a
 * transient database fault) until the database has caught up. While the database is away the claims before the send
 * fail anyway; this bounds the case where claims work and marks do not.
 */
@Component
public class DispatchMarks {

    private static final Logger LOG = LoggerFactory.getLogger("org.complainthub.dispatch");

    /** A mark to finish: what the broker has, and where it is kept on disk (null if it could not be written). */
    private record Unfinished(SourceMessageBatch.Claimed claimed, Path file) {
    }

    private final SourceMessageBatch sources;
    private final AccountThreads threads;
    private final RepeatComplaints repeats;
    private final ContactLedger ledger;
    private final ComplaintHistory history;
    private final TransactionTemplate tx;
    private final Path folder;
    private final long retryMillis;
    private final int maxWaiting;
    private final ConcurrentLinkedQueue<Unfinished> unfinished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dispatch-marks");
        t.setDaemon(true);
        return t;
    });

    public DispatchMarks(SourceMessageBatch sources, AccountThreads threads, RepeatComplaints repeats, ContactLedger ledger,
                         ComplaintHistory history, DataSource dataSource,
                         HubProperties hub, @Value("${hub.intake.mark-retry-ms:2000}") long retryMillis,
                         @Value("${hub.intake.unmarked-max:5000}") int maxWaiting) {
        this.sources = sources;
        this.threads = threads;
        this.repeats = repeats;
        this.ledger = ledger;
        this.history = history;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.folder = hub.dataDir().resolve("dispatch").resolve("unmarked");
        this.retryMillis = retryMillis;
        this.maxWaiting = maxWaiting;
    }

    /** The marks of a sent group, in the caller's transaction (if any). Throws what the database throws. */
    public void mark(SourceMessageBatch.Claimed sent) {
        sources.dispatched(sent);
        threads.dispatched(sent.toSend());
        repeats.recordDispatched(sent.toSend());
        ledger.recordDispatched(sent.toSend());
        history.recordDispatched(sent.toSend());
    }

    /**
     * After the broker's commit: the marks of a sent group now, in a transaction of their own (one by one if a race
     * with another node refuses them together), or later if the database refuses. Never throws.
     */
    public void markOrFinishLater(SourceMessageBatch.Claimed sent) {
        try {
            markNow(sent);
        } catch (RuntimeException e) {
            LOG.warn("the database did not record {} complaints just queued ({}); recording them when it is back: {}",
                    sent.toSend().size(), ids(sent), e.toString());
            unfinished.add(new Unfinished(sent, keep(sent)));
            waiting.addAndGet(sent.toSend().size());
        }
    }

    /** Throws (a transient database fault: nothing taken) while too many marks wait for the database. */
    public void checkRoom() {
        int n = waiting.get();
        if (n >= maxWaiting) {
            throw new TransientDataAccessResourceException("the database has not yet recorded " + n
                    + " complaints queued earlier: taking no more until it has");
        }
    }

    /** Complaints whose marks wait for the database. */
    public int waiting() {
        return waiting.get();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        readBack();
        retries.scheduleWithFixedDelay(this::finish, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow(); // what is unfinished is on disk: read back at the next start
    }

    private void markNow(SourceMessageBatch.Claimed sent) {
        try {
            tx.executeWithoutResult(status -> mark(sent));
        } catch (org.springframework.dao.DuplicateKeyException raced) { // another node opened an account's thread meanwhile
            mark(sent);
        }
    }

    /** Finishes waiting marks in order; stops at the first the database still refuses. */
    void finish() {
        for (Unfinished u; (u = unfinished.peek()) != null; ) {
            try {
                markNow(u.claimed());
            } catch (RuntimeException stillAway) {
                return;
            }
            unfinished.poll();
            waiting.addAndGet(-u.claimed().toSend().size());
            LOG.info("recorded {} complaints queued while the database was away ({})", u.claimed().toSend().size(), ids(u.claimed()));
            if (u.file() != null) {
                try {
                    Files.deleteIfExists(u.file());
                } catch (IOException e) {
                    LOG.warn("cannot delete {} (it will be marked again, harmlessly, at the next start): {}", u.file(), e.toString());
                }
            }
        }
    }

    /** The group as a file (records, the batch id, which claims to mark one by one); null if the disk refuses too. */
    private Path keep(SourceMessageBatch.Claimed sent) {
        try {
            Files.createDirectories(folder);
            ObjectNode out = RecordJson.MAPPER.createObjectNode();
            if (sent.batchId() != null) {
                out.put("batchId", sent.batchId());
            }
            Map<Complaint, Boolean> singly = new IdentityHashMap<>();
            sent.markSingly().forEach(c -> singly.put(c, true));
            var records = out.putArray("records");
            var markSingly = out.putArray("markSingly");
            for (int i = 0; i < sent.toSend().size(); i++) {
                Complaint c = sent.toSend().get(i);
                records.add(RecordJson.MAPPER.valueToTree(c));
                if (singly.containsKey(c)) {
                    markSingly.add(i);
                }
            }
            Path tmp = Files.createTempFile(folder, "marks-", ".part");
            Files.write(tmp, RecordJson.MAPPER.writeValueAsBytes(out));
            Path file = folder.resolve(tmp.getFileName().toString().replace(".part", ".json"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot keep the unfinished marks of {} on disk either: a restart before the database is back "
                    + "leaves them out of the contact ledger: {}", ids(sent), e.toString());
            return null;
        }
    }

    /** At start-up: the marks an earlier run could not finish. */
    private void readBack() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                if (f.toString().endsWith(".part")) {
                    Files.deleteIfExists(f); // never complete: its group was kept in memory only, and the claims resume
                    continue;
                }
                JsonNode in = RecordJson.MAPPER.readTree(f.toFile());
                List<Complaint> toSend = new ArrayList<>();
                in.get("records").forEach(r -> toSend.add(RecordJson.MAPPER.convertValue(r, Complaint.class)));
                List<Complaint> singly = new ArrayList<>();
                in.get("markSingly").forEach(i -> singly.add(toSend.get(i.asInt())));
                Long batchId = in.hasNonNull("batchId") ? in.get("batchId").asLong() : null;
                unfinished.add(new Unfinished(new SourceMessageBatch.Claimed(toSend, Map.of(), batchId, singly), f));
                waiting.addAndGet(toSend.size());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot read back the unfinished marks in {}: {}", folder, e.toString());
        }
        if (!unfinished.isEmpty()) {
            LOG.info("{} complaints queued before the last stop wait to be recorded", waiting.get());
            finish();
        }
    }

    private static String ids(SourceMessageBatch.Claimed sent) {
        List<String> ids = sent.toSend().stream().map(Complaint::getId).toList();
        return ids.size() <= 5 ? String.join(", ", ids) : ids.get(0) + " … " + ids.get(ids.size() - 1);
    }
}
