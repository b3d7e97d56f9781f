package org.complainthub.outbound.chat;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The social platforms as outbound transports, each named like its channel, with its settings
 * {@code hub.outbound.<platform>.*}. A platform without its base URL and credentials is off (the hub starts without it).
 */
@Component
public class ChatPlatforms {

    private static final Logger LOG = LoggerFactory.getLogger(ChatPlatforms.class);
    /**
     * The platforms the hub can reply on (each a send API written here): a channel's hub.outbound.transports may name
     * these besides email and sms. A new platform's channel replies by email or SMS until its send API is written.
     */
    public static final java.util.Set<String> TRANSPORTS =
            java.util.Set.of("wechat", "messenger", "instagram", "whatsapp", "telegram", "slack", "x");

    private final Map<String, ChatPlatform> platforms = new LinkedHashMap<>();

    public ChatPlatforms(Environment env, ProducerTemplate http, DataSource dataSource, Clock clock) {
        Binder binder = Binder.get(env);
        ChatSettings wechat = settings(binder, "wechat");
        add(new WechatReplies(wechat, new WechatAccessToken(wechat, http, clock)));
        add(new GraphSendReplies("messenger", settings(binder, "messenger")));
        add(new GraphSendReplies("instagram", settings(binder, "instagram")));
        add(new WhatsappReplies(settings(binder, "whatsapp")));
        add(new TelegramReplies(settings(binder, "telegram")));
        add(new SlackReplies(settings(binder, "slack")));
        ChatSettings x = settings(binder, "x");
        add(new XReplies(x, new XAccessToken(x, http, dataSource, clock)));
        if (!platforms.keySet().equals(TRANSPORTS)) {
            throw new IllegalStateException("ChatPlatforms.TRANSPORTS must name the reply platforms " + platforms.keySet());
        }
        LOG.info("Reply transports on: {}", platforms.values().stream().filter(ChatPlatform::configured).map(ChatPlatform::name).toList());
    }

    private void add(ChatPlatform p) {
        platforms.put(p.name(), p);
    }

    private static ChatSettings settings(Binder binder, String name) {
        try {
            return binder.bind("hub.outbound." + name, ChatSettings.class)
                    .orElseGet(() -> new ChatSettings(null, null, null, null, null, null, null, null, null, null));
        } catch (RuntimeException e) {
            throw new IllegalStateException("channel-config/" + name + "/replies.properties: hub.outbound." + name
                    + ".* cannot be read: " + e.getMessage(), e);
        }
    }

    /** The platform of that transport name, if it is one. */
    public Optional<ChatPlatform> find(String name) {
        return Optional.ofNullable(platforms.get(name));
    }
}
