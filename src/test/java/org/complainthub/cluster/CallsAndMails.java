package org.complainthub.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The polled channels of a cluster run: call-log files written into the shared drop folder and mails delivered to the
 * shared mailbox, each with an id of its own (call id {@code <prefix>-<n>}, Message-ID {@code <cluster-<prefix>-<n>@...>}),
 * and the count of each id among the records taken off a queue.
 */
final class CallsAndMails {

    static final String USER = "complaints@shop.example";
    private static final Pattern MAIL_ID = Pattern.compile("cluster-(\\w+-\\d+)@");

    final Set<String> expectedCalls = Collections.synchronizedSet(new LinkedHashSet<>());
    final Set<String> expectedMails = Collections.synchronizedSet(new LinkedHashSet<>());
    final Map<String, Integer> calls = new HashMap<>();
    final Map<String, Integer> mails = new HashMap<>();

    /** A call log in the generic format: every row an answered call with notes, its call id {@code <prefix>-<n>}. */
    void writeCalls(Path file, String prefix, int rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\r\n");
            for (int i = 0; i < rows; i++) {
                String id = prefix + "-" + i;
                w.write("1390013" + String.format("%04d", i % 10000) + ",客户" + i + ",坐席" + (i % 20) + ","
                        + String.format("2026-11-20 %02d:%02d:%02d", 8 + i % 10, i % 60, (i / 60) % 60)
                        + ",120,Answered,,\"快递三天都没送到，电话也打不通。订单" + prefix + i + "\",,DD" + prefix + i + "," + id + "\r\n");
                expectedCalls.add(id);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    void deliver(GreenMailUser box, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            String raw = "From: customer-" + id + "@example.com\r\nTo: " + USER + "\r\nSubject: Parcel " + id + " is late\r\n"
                    + "Message-ID: <cluster-" + id + "@mail.example.com>\r\nDate: Mon, 23 Nov 2026 09:12:00 +0800\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                    + "My parcel " + id + " is a week late and nobody answers the phone. Order SO-" + id + ".\r\n";
            box.deliver(new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
            expectedMails.add(id);
        }
    }

    /** Counts a record taken off a queue if it is one of the calls or mails; false when it is neither. */
    boolean count(JsonNode record) {
        String source = record.path("sourceId").asText();
        Matcher mail = MAIL_ID.matcher(source);
        if ("hotline".equals(record.path("channel").asText())) {
            calls.merge(source, 1, Integer::sum);
            return true;
        }
        if ("email".equals(record.path("channel").asText()) && mail.find()) {
            mails.merge(mail.group(1), 1, Integer::sum);
            return true;
        }
        return false;
    }

    boolean allFound() {
        return calls.keySet().containsAll(expectedCalls) && mails.keySet().containsAll(expectedMails);
    }

    /** "sent N, found N, lost N, duplicated N, unexpected N" for calls or mails. */
    static String account(Set<String> expected, Map<String, Integer> found) {
        long lost = expected.stream().filter(id -> !found.containsKey(id)).count();
        long duplicated = found.values().stream().mapToLong(n -> n - 1).sum();
        long unexpected = found.keySet().stream().filter(id -> !expected.contains(id)).count();
        return String.format("sent %d, found %d, lost %d, duplicated %d, unexpected %d", expected.size(), found.size(),
                lost, duplicated, unexpected);
    }
}
