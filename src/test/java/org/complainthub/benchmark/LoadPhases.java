package org.complainthub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** One load phase of a benchmark: {@code count} requests from {@code clients} threads, every one answered {@code expected}. */
final class LoadPhases {

    private LoadPhases() {
    }

    /** Requests per second; fails the benchmark if any request got another status. */
    static double run(HttpClient http, int clients, IntFunction<HttpRequest> request, int expected, int count, String label)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                int ok = 0;
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    if (http.send(request.apply(i), HttpResponse.BodyHandlers.ofString()).statusCode() == expected) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        int accepted = 0;
        for (Future<Integer> w : workers) {
            accepted += w.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        assertThat(accepted).as(label + ": every request answered " + expected).isEqualTo(count);
        double rate = count / seconds;
        System.out.printf("BENCHMARK %-16s %6d in %5.2f s = %6.0f complaints/s%n", label, count, seconds, rate);
        return rate;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }
}
