package org.complainthub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.BufferedReader;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.complainthub.channel.hotline.GenericExport;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 100,000-row call-log export (-Dbench.hotline.rows=N for another size) through the hotline channel of a hub running
 * in its own process at -Xmx256m: from the moment the file is in the drop folder until it is in done/ (every row
 * on the broker or in quarantine). Printed: rows/s and the hub's peak heap (sampled over JMX every 50 ms), beside a
 * baseline from the same run: the same rows sent by a plain JMS client to the same broker, persistent, committed
 * every 500 (the batch size of the hub). Target: at least 2,500 rows/s (under 40 s for 100,000).
 */
@Tag("benchmark")
class HotlineFileBenchmark {

    private static final int BATCH = 500; // hub.hotline.batch-size
    private static final Pattern DONE = Pattern.compile("hotline file bench\\.csv done: (\\d+) calls, (\\d+) queued, (\\d+) duplicates, (\\d+) quarantined, (\\d+) skipped");

    @Test
    void aHundredThousandRowExportAtXmx256m() throws Exception {
        int rows = Integer.getInteger("bench.hotline.rows", 100_000);
        Path data = Files.createTempDirectory("hotline-bench-");
        Path inbox = data.resolve("hotline");
        Path staged = data.resolve("staged").resolve("bench.csv");
        GenericExport.Written written = GenericExport.write(staged, rows);
        try (HubProcess hub = HubProcess.start(data, "256m", List.of("hub.hotline.read-lock-check-ms=100",
                "hub.hotline.poll-interval-ms=100"))) {
            MemoryMXBean memory = hub.memory();
            memory.gc();
            AtomicLong peak = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                    0, 50, TimeUnit.MILLISECONDS);

            Files.createDirectories(inbox);
            long started = System.nanoTime();
            Files.move(staged, inbox.resolve("bench.csv"));
            Path done = inbox.resolve("done");
            long limit = started + Duration.ofMinutes(10).toNanos();
            while (!inDone(done) && System.nanoTime() < limit) {
                Thread.sleep(50);
            }
            double hubSeconds = (System.nanoTime() - started) / 1e9;
            sampler.shutdownNow();
            String gc = hub.garbageCollection();
            assertThat(inDone(done)).as("the file reached done/").isTrue();
            Matcher m = DONE.matcher(hub.log());
            assertThat(m.find()).isTrue();
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(written.complaintIds().size());
            assertThat(Integer.parseInt(m.group(4))).isEqualTo(written.badRows());

            double baselineSeconds = baseline(hub, done.toFile().listFiles()[0].toPath());
            double hubRate = rows / hubSeconds;
            double baseRate = rows / baselineSeconds;
            System.out.printf("%n=== HotlineFileBenchmark: %,d rows (%,d complaints, %,d skipped, %,d quarantined) ===%n",
                    rows, written.complaintIds().size(), written.skippedRows(), written.badRows());
            System.out.printf("hub (-Xmx256m), drop folder to done/: %.1f s, %,.0f rows/s, peak heap %,d MB%n",
                    hubSeconds, hubRate, peak.get() >> 20);
            System.out.printf("hub's garbage collection over its whole run (start-up included): %s%n", gc);
            System.out.printf("baseline, plain JMS sends of the same rows committed every %d: %.1f s, %,.0f rows/s%n",
                    BATCH, baselineSeconds, baseRate);
            System.out.printf("hub / baseline = %.2f; target >= 2,500 rows/s (100,000 in < 40 s): %s%n%n",
                    hubRate / baseRate, hubRate >= 2500 ? "met" : "NOT met");
        } finally {
            HubProcess.delete(data);
        }
    }

    private static boolean inDone(Path done) throws Exception {
        if (!Files.isDirectory(done)) {
            return false;
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith("-bench.csv"));
        }
    }

    /** The same lines, each a persistent JMS message, one transaction per batch, over the broker's TCP acceptor. */
    private static double baseline(HubProcess hub, Path file) throws Exception {
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(hub.brokerUrl());
             Connection c = cf.createConnection();
             BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue("bench.baseline"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            lines.readLine();
            long started = System.nanoTime();
            int n = 0;
            String line;
            while ((line = lines.readLine()) != null) {
                p.send(s.createTextMessage(line));
                if (++n % BATCH == 0) {
                    s.commit();
                }
            }
            s.commit();
            return (System.nanoTime() - started) / 1e9;
        }
    }
}
