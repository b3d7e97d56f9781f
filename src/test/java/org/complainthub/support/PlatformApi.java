package org.complainthub.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server (127.0.0.1, a free port) standing in for the social platforms' send APIs: each platform's base
 * URL is {@link #url(String)} of a prefix (/wechat, /graph/v21.0, /telegram, /slack, /x). It records every request
 * exactly as it came (method, path, query, Authorization, Content-Type, body) and answers as the platform does when
 * it takes a message, unless told to give a scripted answer to the next request on a path.
 */
public final class PlatformApi implements AutoCloseable {

    public record Request(String method, String path, String query, String authorization, String contentType, String body) {
    }

    public record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Answer>> scripted = new ConcurrentHashMap<>();

    public PlatformApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String path = exchange.getRequestURI().getRawPath();
                received.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
                ConcurrentLinkedQueue<Answer> next = scripted.get(path);
                Answer answer = next == null || next.isEmpty() ? taken(path) : next.poll();
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** What each platform answers when it took the message (or, for WeChat, issued a token). */
    private Answer taken(String path) {
        if (path.endsWith("/2/oauth2/token")) { // X: a new access token and, rotated, a new refresh token each time
            int n = (int) received.stream().filter(r -> r.path().endsWith("/2/oauth2/token")).count();
            return new Answer(200, "{\"token_type\":\"bearer\",\"expires_in\":7200,\"access_token\":\"x-access-token-" + n
                    + "\",\"scope\":\"dm.write offline.access\",\"refresh_token\":\"x-refresh-token-" + n + "\"}");
        }
        if (path.endsWith("/cgi-bin/stable_token")) {
            int n = (int) received.stream().filter(r -> r.path().endsWith("/cgi-bin/stable_token")).count();
            return new Answer(200, "{\"access_token\":\"wx-access-token-" + n + "\",\"expires_in\":7200}");
        }
        if (path.startsWith("/wechat/")) {
            return new Answer(200, "{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":200228332}");
        }
        if (path.startsWith("/telegram/")) {
            return new Answer(200, "{\"ok\":true,\"result\":{\"message_id\":43,\"date\":1718000600,\"text\":\"…\"}}");
        }
        if (path.startsWith("/slack/")) {
            return new Answer(200, "{\"ok\":true,\"channel\":\"D0123ABCD\",\"ts\":\"1718000600.000200\"}");
        }
        if (path.startsWith("/x/")) {
            return new Answer(201, "{\"data\":{\"dm_conversation_id\":\"1-2\",\"dm_event_id\":\"1800000000000000002\"}}");
        }
        if (path.startsWith("/graph/")) {
            return new Answer(200, "{\"recipient_id\":\"r\",\"message_id\":\"m_reply\"}");
        }
        return new Answer(200, "{\"status\":\"queued\"}");
    }

    /** The base URL of a platform (prefix like "/wechat"). */
    public String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    /** The next requests on exactly this path get these answers, in order; then the platform takes messages again. */
    public void answerNext(String path, Answer... answers) {
        scripted.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(answers));
    }

    public List<Request> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
