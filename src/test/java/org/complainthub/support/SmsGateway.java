package org.complainthub.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server standing in for the SMS gateway (127.0.0.1, a free port): records every request, and can be
 * told to refuse the next N with 503, as a provider that is down for a while, or every request to one number with a
 * status of choice.
 */
public final class SmsGateway implements AutoCloseable {

    public record Request(String path, String authorization, String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuse = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final java.util.Map<String, Integer> refuseTo = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Request> refusedRequests = new CopyOnWriteArrayList<>();

    public SmsGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Integer status = refuseTo.entrySet().stream().filter(e -> body.contains("\"" + e.getKey() + "\""))
                        .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
                if (status != null) {
                    refusedRequests.add(new Request(exchange.getRequestURI().getPath(), null, null, body));
                    exchange.sendResponseHeaders(status, -1);
                } else if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    received.add(new Request(exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Authorization"),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body));
                    byte[] ok = "{\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/sms";
    }

    public List<Request> received() {
        return received;
    }

    /** The next n requests get 503. */
    public void refuseNext(int n) {
        refuse.set(n);
    }

    /** Every request to this E.164 number gets this HTTP status (a number the provider cannot or will not serve). */
    public void refuse(String to, int status) {
        refuseTo.put(to, status);
    }

    /** The requests refused by {@link #refuse(String, int)}. */
    public List<Request> refusedRequests() {
        return refusedRequests;
    }

    public int refusedCount() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
