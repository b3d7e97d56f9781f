package org.complainthub.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Web-form JSON requests to {@code /api/complaints}, each with its own Idempotency-Key {@code <run>-<seq>} (also in its
 * subject and text, to find it on a queue), retried with the same key every 500 ms until a 2xx (or a final 4xx); like
 * a load balancer, each attempt goes to the next node. Counts what was accepted, refused and answered 503, and keeps the
 * complaint id each 2xx named.
 */
final class IdempotentLoad implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final List<String> bases;
    private final String run;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final ExecutorService senders = Executors.newFixedThreadPool(40);
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final Map<String, String> complaintIds = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSent = new ConcurrentHashMap<>();
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final Map<String, AtomicLong> acceptedAfterKill = new ConcurrentHashMap<>();
    private volatile long killedAt = Long.MAX_VALUE;

    IdempotentLoad(List<String> bases, String run) {
        this.bases = bases;
        this.run = run;
    }

    /** From now on, 2xx answers are counted per node as answered after a kill (the node reconnected). */
    void killedAt(long nanoTime) {
        killedAt = nanoTime;
        acceptedAfterKill.clear();
    }

    void send(int seq) {
        String key = run + "-" + seq;
        open.add(key);
        firstSent.put(key, System.nanoTime());
        senders.execute(() -> attempt(key, seq, 0));
    }

    private void attempt(String key, int seq, int attempt) {
        String base = bases.get((seq + attempt) % bases.size());
        requests.incrementAndGet();
        String body = "{\"customer\": {\"name\": \"Pair Run " + seq + "\", \"email\": \"pair" + seq
                + "@example.com\"}, \"subject\": \"Complaint " + key + "\", \"description\": \"The parcel for order "
                + key + " arrived damaged and the box was wet.\"}";
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/complaints"))
                    .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status / 100 == 2) {
                long now = System.nanoTime();
                Matcher id = ID.matcher(r.body());
                if (id.find()) {
                    complaintIds.put(key, id.group(1));
                }
                accepted.put(key, now);
                if (now > killedAt) {
                    acceptedAfterKill.computeIfAbsent(base, b -> new AtomicLong()).incrementAndGet();
                }
                open.remove(key);
                return;
            }
            if (status == 503) {
                unavailable.incrementAndGet();
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                refused.incrementAndGet();
                open.remove(key);
                return;
            }
        } catch (IOException e) {
            // refused, reset or timed out: the same request again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        failures.incrementAndGet();
        retries.schedule(() -> senders.execute(() -> attempt(key, seq, attempt + 1)), 500, TimeUnit.MILLISECONDS);
    }

    Set<String> accepted() {
        return Set.copyOf(accepted.keySet());
    }

    /** Idempotency key -> the complaint id its 2xx named. */
    Map<String, String> complaintIds() {
        return Map.copyOf(complaintIds);
    }

    long pending() {
        return open.size();
    }

    long refused() {
        return refused.get();
    }

    long requests() {
        return requests.get();
    }

    long failures() {
        return failures.get();
    }

    long unavailable() {
        return unavailable.get();
    }

    /** 2xx answers after the last kill per node: each node reconnected. */
    Map<String, Long> acceptedAfterKill() {
        Map<String, Long> out = new TreeMap<>();
        acceptedAfterKill.forEach((b, n) -> out.put(b, n.get()));
        return out;
    }

    /** Nanoseconds from the last kill to the first 2xx answered after it, of any request. */
    long firstAcceptAfterKill() {
        return accepted.values().stream().filter(t -> t > killedAt).mapToLong(t -> t - killedAt).min().orElse(-1);
    }

    /** Nanoseconds from the last kill to the first 2xx of a request first sent after it. */
    long firstNewAcceptAfterKill() {
        return accepted.entrySet().stream().filter(e -> firstSent.get(e.getKey()) > killedAt)
                .mapToLong(e -> e.getValue() - killedAt).min().orElse(-1);
    }

    @Override
    public void close() {
        retries.shutdownNow();
        senders.shutdownNow();
    }
}
