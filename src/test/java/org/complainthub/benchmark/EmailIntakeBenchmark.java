package org.complainthub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.complainthub.support.MailHubTest;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The email channel on a backlog of 5,000 mails (target: at least 200 mails/s) beside a baseline in the same process:
 * a plain Jakarta Mail client fetching and moving the same number of mails from the same server in the same batches of
 * 500, one FETCH and one MOVE each (what the IMAP server alone costs: the hub cannot be faster). Then the arrival-to-queue latency of single mails in an idle mailbox (target: p99 under 5 s).
 * Run: ./mvnw -B test -Pbenchmark  (bounded: 127.0.0.1 only, a few minutes at most).
 */
@Tag("benchmark")
@TestPropertySource(properties = {"hub.email.enabled=false", "hub.email.batch-size=500",
        "hub.email.username=complaints@shop.example", "hub.email.password=secret",
        // no acknowledgements: they go out asynchronously, after the complaint is queued, and GreenMail taking them in
        // would share this JVM's two cores with the intake measured here (OutboundIsolationBenchmark measures outbound)
        "hub.outbound.transports.email=sms",
        "logging.level.org.complainthub=WARN", "logging.level.org.apache.camel=WARN"})
class EmailIntakeBenchmark extends MailHubTest {

    static final int BACKLOG = Integer.getInteger("bench.email.backlog", 5000);
    static final int SINGLES = 40;
    static final Session SESSION = Session.getInstance(new Properties());
    static final java.util.Random PHASE = new java.util.Random(42);



    @Autowired
    CamelContext camel;


    @org.springframework.beans.factory.annotation.Value("${hub.email.poll-interval-ms}")
    long pollInterval;

    @Test
    void backlogThroughputAndIdleLatency() throws Exception {
        GreenMailUser hub = mail.setUser("complaints@shop.example", "complaints@shop.example", "secret");
        GreenMailUser other = mail.setUser("baseline@shop.example", "baseline@shop.example", "secret");

        for (int i = 0; i < BACKLOG; i++) {
            other.deliver(mail(i, "baseline"));
        }
        long t0 = System.nanoTime();
        int moved = baselineFetchAndMove();
        double baselineRate = moved / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("BENCHMARK   baseline done: %d mails, %.0f/s%n", moved, baselineRate);

        for (int i = 0; i < BACKLOG; i++) {
            hub.deliver(mail(i, "backlog"));
        }
        long t1 = System.nanoTime();
        camel.getRouteController().startRoute("email-intake");
        long lastReport = System.nanoTime();
        while (depth("complaints.desk") < BACKLOG) {
            assertThat((System.nanoTime() - t1) / 1e9).as("bounded").isLessThan(300);
            if (System.nanoTime() - lastReport > 10e9) {
                System.out.printf("BENCHMARK   ... %d queued after %.0f s%n", depth("complaints.desk"), (System.nanoTime() - t1) / 1e9);
                lastReport = System.nanoTime();
            }
            Thread.sleep(20);
        }
        double hubRate = BACKLOG / ((System.nanoTime() - t1) / 1e9);

        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < SINGLES; i++) {
            long before = depth("complaints.desk");
            long sent = System.nanoTime();
            hub.deliver(mail(100_000 + i, "single"));
            while (depth("complaints.desk") == before) {
                assertThat((System.nanoTime() - sent) / 1e9).as("bounded").isLessThan(30);
                Thread.sleep(5);
            }
            latencies.add((System.nanoTime() - sent) / 1e6);
            Thread.sleep(150 + PHASE.nextInt(1000)); // arrivals at any point of the poll cycle
        }
        Collections.sort(latencies);
        double p50 = latencies.get(latencies.size() / 2);
        double p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);

        System.out.printf("%nBENCHMARK email backlog of %d mails%n", BACKLOG);
        System.out.printf("BENCHMARK   baseline (plain IMAP batch fetch + move, same server): %6.0f mails/s%n", baselineRate);
        System.out.printf("BENCHMARK   hub (fetch, decode, classify, dispatch, move):  %6.0f mails/s  (target >= 200)%n", hubRate);
        System.out.printf("BENCHMARK   ratio hub/baseline: %.2f%n", hubRate / baselineRate);
        System.out.printf("BENCHMARK idle mailbox, %d single mails, polled every %d ms (the default): arrival-to-queue p50 %.0f ms, p99 %.0f ms (target p99 < 5000)%n%n",
                SINGLES, pollInterval, p50, p99);
        assertThat(hubRate).isGreaterThanOrEqualTo(200);
        assertThat(p99).isLessThan(5000);
    }

    private int baselineFetchAndMove() throws Exception {
        Properties p = new Properties();
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", mail.getImap().getPort(), "baseline@shop.example", "secret");
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        Folder done = store.getFolder("Processed");
        if (!done.exists()) {
            done.create(Folder.HOLDS_MESSAGES);
        }
        int n = 0;
        while (true) {
            inbox.open(Folder.READ_WRITE);
            int count = inbox.getMessageCount();
            if (count == 0) {
                inbox.close(false);
                break;
            }
            Message[] batch = inbox.getMessages(1, Math.min(count, 500));
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.FLAGS);
            profile.add(IMAPFolder.FetchProfileItem.MESSAGE);
            inbox.fetch(batch, profile);
            for (Message m : batch) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                m.writeTo(out);
                n++;
            }
            inbox.moveMessages(batch, done);
            inbox.close(true);
        }
        store.close();
        return n;
    }

    private static MimeMessage mail(int i, String kind) throws Exception {
        String raw = "From: customer" + i + "@example.com\r\nTo: complaints@shop.example\r\nSubject: =?UTF-8?B?5b+r6YCS5Lii5LqG?= " + i
                + "\r\nMessage-ID: <" + kind + "-" + i + "@mail.example.com>\r\nDate: Mon, 23 Nov 2026 09:12:00 +0800\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "我的快递 " + i + " 已经晚了一周，客服电话一直打不通，请尽快处理。订单号 SO-" + (40000 + i) + "\r\n";
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }
}
