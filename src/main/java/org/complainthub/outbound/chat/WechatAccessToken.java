package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.complainthub.complaint.RecordJson;

/**
 * The WeChat access_token, fetched from the stable-token endpoint ({@code POST /cgi-bin/stable_token} with appid and
 * secret in the body, not the URL) and kept until five minutes before it expires. The stable token is the same for
 * every node that asks within its life, so hub nodes do not invalidate each other's token (the older
 * /cgi-bin/token would). An answer saying the token is invalid makes the next send fetch a new one.
 */
class WechatAccessToken {

    private static final Duration MARGIN = Duration.ofMinutes(5);

    private final ChatSettings settings;
    private final ProducerTemplate http;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    WechatAccessToken(ChatSettings settings, ProducerTemplate http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    synchronized String get() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    synchronized void invalidate() {
        token = null;
    }

    private void fetch() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "client_credential");
        body.put("appid", settings.appId());
        body.put("secret", settings.appSecret());
        body.put("force_refresh", false);
        Exchange answer = http.send(settings.baseUrl() + "?throwExceptionOnFailure=false&connectTimeout=5000&responseTimeout=10000", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "/cgi-bin/stable_token");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            e.getMessage().setBody(RecordJson.write(body));
        });
        if (answer.getException() != null) {
            throw new ReplyNotDelivered("wechat access token not fetched: " + answer.getException().getClass().getSimpleName());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode json = ChatPlatform.json(answer.getMessage().getBody(String.class));
        String fresh = json.path("access_token").asText("");
        if (status != 200 || fresh.isEmpty()) {
            int errcode = json.path("errcode").asInt(0);
            String what = "wechat access token not fetched: HTTP " + status + ", errcode " + errcode + " "
                    + ChatPlatform.said(json.path("errmsg").asText(""));
            // -1: busy; 45009: the day's quota (resets); others (bad appid or secret, IP not whitelisted) are settings
            throw status >= 500 || errcode == -1 || errcode == 45009 ? new ReplyNotDelivered(what) : new ReplyRefused(what);
        }
        long life = json.path("expires_in").asLong(7200);
        token = fresh;
        renewAt = clock.instant().plusSeconds(life).minus(MARGIN);
    }
}
