package org.complainthub.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server standing in for a platform's media hosting and API (127.0.0.1, a free port): serves the files and
 * JSON answers it is given by path, records each request's path and Authorization header, 404 for anything else.
 */
public final class PlatformMedia implements AutoCloseable {

    public record Request(String path, String authorization) {
    }

    private record Answer(String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newCachedThreadPool();

    public PlatformMedia() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                String path = exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
                received.add(new Request(path, exchange.getRequestHeaders().getFirst("Authorization")));
                Long delay = delays.get(path);
                if (delay != null) {
                    Thread.sleep(delay);
                }
                Answer a = answers.get(path);
                if (a == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.getResponseHeaders().set("Content-Type", a.contentType());
                    exchange.sendResponseHeaders(200, a.body().length);
                    exchange.getResponseBody().write(a.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(workers);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code body} at {@code pathAndQuery}. */
    public PlatformMedia serve(String pathAndQuery, String contentType, byte[] body) {
        answers.put(pathAndQuery, new Answer(contentType, body));
        return this;
    }

    public PlatformMedia serveJson(String pathAndQuery, String json) {
        return serve(pathAndQuery, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers {@code pathAndQuery} only after {@code millis}: a platform CDN that hangs. */
    public PlatformMedia delay(String pathAndQuery, long millis) {
        delays.put(pathAndQuery, millis);
        return this;
    }

    public List<Request> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
