package org.complainthub.faultrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The call centre's export job: a call-log file in the generic format (header row, one call per row) written under a
 * temporary name and renamed into the hub's drop folder, several calls per file. A file's calls are taken when the hub
 * has moved the file to done/ (counted at the end by the files found there).
 */
final class CallLogSource {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path folder;
    private final String run;
    private final Map<String, List<Unit>> files = new ConcurrentHashMap<>();
    private int written;

    CallLogSource(Path folder, String run) {
        this.folder = folder;
        this.run = run;
    }

    /** One file with these calls; texts and phone numbers in the same order. */
    void drop(List<Unit> calls, List<String> texts, List<String> phones) {
        if (calls.isEmpty()) {
            return;
        }
        String name = String.format("calls-%s-%05d.csv", run, ++written);
        StringBuilder csv = new StringBuilder(
                "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\r\n");
        String time = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(TIME);
        for (int i = 0; i < calls.size(); i++) {
            Unit u = calls.get(i);
            // national format (as PBX exports write it): the hub makes it E.164 with hub.default-country
            csv.append(phones.get(i).substring(3)).append(",客户").append(u.seq).append(",坐席").append(u.seq % 20).append(',')
                    .append(time).append(",120,Answered,,\"").append(texts.get(i).replace("\"", "\"\"")).append("\",,DD")
                    .append(u.seq).append(',').append(u.marker).append("\r\n");
        }
        try {
            Files.createDirectories(folder);
            Path tmp = folder.resolve(name + ".part");
            Files.writeString(tmp, csv, StandardCharsets.UTF_8);
            Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            calls.forEach(u -> u.attempts.incrementAndGet());
            files.put(name, List.copyOf(calls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Call-log files still waiting in the drop folder (not yet in done/ or error/). */
    int waiting() {
        try (Stream<Path> s = Files.list(folder)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".csv")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Marks the calls of every file found in done/ as taken; returns the names of files found in error/. */
    List<String> settle() throws IOException {
        for (Path f : list(folder.resolve("done"))) {
            String name = f.getFileName().toString();
            files.forEach((file, calls) -> {
                if (name.endsWith("-" + file)) {
                    calls.forEach(u -> u.accepted("done/" + name));
                }
            });
        }
        List<String> errors = new ArrayList<>();
        for (Path f : list(folder.resolve("error"))) {
            errors.add(f.getFileName().toString());
        }
        return errors;
    }

    int files() {
        return files.size();
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
