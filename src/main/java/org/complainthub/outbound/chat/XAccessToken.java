package org.complainthub.outbound.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The X brand account's OAuth 2.0 user-context token. With a refresh token set ({@code hub.outbound.x.refresh-token},
 * from the authorisation with scope offline.access), the hub refreshes the two-hour access token itself: {@code POST
 * /2/oauth2/token} with grant_type=refresh_token, the client id, and HTTP Basic auth when the app is a confidential
 * client ({@code app-id}, {@code app-secret}). X rotates the refresh token on every refresh, so the newest one is kept
 * in the database (table platform_credential, the row locked while refreshing: hub nodes share one token). Without a
 * refresh token the fixed {@code hub.outbound.x.token} is sent as it is.
 */
class XAccessToken {

    private static final Duration MARGIN = Duration.ofMinutes(5);
    private static final String PLATFORM = "x";

    private final ChatSettings settings;
    private final ProducerTemplate http;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    XAccessToken(ChatSettings settings, ProducerTemplate http, DataSource dataSource, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
    }

    boolean refreshing() {
        return !settings.refreshToken().isEmpty();
    }

    synchronized String get() {
        if (!refreshing()) {
            return settings.token();
        }
        if (token == null || !clock.instant().isBefore(renewAt)) {
            tx.executeWithoutResult(status -> renew());
        }
        return token;
    }

    /** X said the token is not (or no longer) valid: the next send refreshes it. */
    synchronized void invalidate() {
        if (refreshing()) {
            String stale = token;
            token = null;
            // another node may have stored a newer one already: only this token is dropped
            jdbc.update("UPDATE platform_credential SET expires_at = NULL WHERE platform = ? AND access_token = ?", PLATFORM, stale);
        }
    }

    /** In a transaction holding the platform's row: the stored token if another node renewed it, else a refresh. */
    private void renew() {
        jdbc.update("INSERT INTO platform_credential (platform, refresh_token, updated_at) SELECT ?, ?, ? FROM (VALUES (1)) AS seed(n) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM platform_credential WHERE platform = ?)",
                PLATFORM, settings.refreshToken(), now(), PLATFORM);
        List<Stored> rows = jdbc.query("SELECT access_token, expires_at, refresh_token FROM platform_credential WHERE platform = ? FOR UPDATE",
                (rs, n) -> new Stored(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3)), PLATFORM);
        Stored stored = rows.get(0);
        if (stored.accessToken() != null && stored.expiresAt() != null
                && clock.instant().isBefore(stored.expiresAt().toInstant().minus(MARGIN))) {
            token = stored.accessToken();
            renewAt = stored.expiresAt().toInstant().minus(MARGIN);
            return;
        }
        JsonNode answer = refresh(stored.refreshToken());
        long life = answer.path("expires_in").asLong(7200);
        token = answer.path("access_token").asText();
        renewAt = clock.instant().plusSeconds(life).minus(MARGIN);
        String rotated = answer.path("refresh_token").asText(stored.refreshToken());
        jdbc.update("UPDATE platform_credential SET access_token = ?, expires_at = ?, refresh_token = ?, updated_at = ? WHERE platform = ?",
                token, clock.instant().plusSeconds(life).atOffset(ZoneOffset.UTC), rotated, now(), PLATFORM);
    }

    private JsonNode refresh(String refreshToken) {
        String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(settings.appId(), StandardCharsets.UTF_8);
        Exchange answer = http.send(settings.baseUrl() + "?throwExceptionOnFailure=false&connectTimeout=5000&responseTimeout=10000", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "/2/oauth2/token");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            if (!settings.appSecret().isEmpty()) { // a confidential client authenticates; a public one sends its id only
                e.getMessage().setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (settings.appId() + ":" + settings.appSecret()).getBytes(StandardCharsets.UTF_8)));
            }
            e.getMessage().setBody(form);
        });
        if (answer.getException() != null) {
            throw new ReplyNotDelivered("x access token not refreshed: " + answer.getException().getClass().getSimpleName());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode json = ChatPlatform.json(answer.getMessage().getBody(String.class));
        if (status != 200 || json.path("access_token").asText("").isEmpty()) {
            String what = "x access token not refreshed: HTTP " + status + " "
                    + ChatPlatform.said(json.path("error").asText("") + " " + json.path("error_description").asText(""));
            // a refused refresh token (revoked, or rotated by a refresh whose answer was lost) needs a new authorisation
            throw status == 408 || status == 429 || status >= 500 || status == 0 ? new ReplyNotDelivered(what) : new ReplyRefused(what);
        }
        return json;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private record Stored(String accessToken, OffsetDateTime expiresAt, String refreshToken) {
    }
}
