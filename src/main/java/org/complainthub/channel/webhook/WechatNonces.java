package org.complainthub.channel.webhook;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The (timestamp, nonce) pairs of the WeChat requests already taken, remembered for as long as their timestamp can
 * pass the window: WeChat's signature covers token, timestamp and nonce only (in plain mode not the body), so a signed
 * URL seen once (in a log, a proxy, the GET handshake) would otherwise admit any body until the timestamp goes stale.
 * Only requests whose signature checked out are remembered, so nobody without the token can fill the memory; it is
 * bounded all the same (hub.webhooks.wechat.remembered-nonces). Per node: a replay sent to another hub node is
 * refused there only by its own memory.
 */
@Component
public class WechatNonces {

    private final Cache<String, Boolean> seen;

    public WechatNonces(@Value("${hub.webhooks.wechat.timestamp-window-seconds:300}") long windowSeconds,
                        @Value("${hub.webhooks.wechat.remembered-nonces:100000}") long maxRemembered) {
        // a timestamp passes while it is within the window of now, on either side: 2 windows from the first sight
        // cover every moment at which the same pair could pass again; with the window off, 1 h
        long keepSeconds = windowSeconds > 0 ? 2 * windowSeconds : 3600;
        this.seen = Caffeine.newBuilder().maximumSize(Math.max(1, maxRemembered))
                .expireAfterWrite(Duration.ofSeconds(keepSeconds)).build();
    }

    /** True the first time this account's pair is used (remembered from now on); false for a replay. */
    public boolean firstUse(String platform, String timestamp, String nonce) {
        return seen.asMap().putIfAbsent(key(platform, timestamp, nonce), Boolean.TRUE) == null;
    }

    /** The request with this pair was not taken (the hub failed: 5xx): WeChat's retry of it must pass. */
    public void forget(String platform, String timestamp, String nonce) {
        seen.invalidate(key(platform, timestamp, nonce));
    }

    private static String key(String platform, String timestamp, String nonce) {
        return platform + "\n" + timestamp + "\n" + nonce;
    }
}
