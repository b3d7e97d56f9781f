package org.complainthub.channel.hotline;

import java.nio.file.Path;
import org.complainthub.health.ChannelHealth;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The poll strategies the hotline routes name: each poll reported to the channel's health ({@link HotlinePolls}). */
@Configuration(proxyBeanMethods = false)
class HotlineWiring {

    @Bean
    HotlinePolls hotlinePolls(ChannelHealth health, @Value("${hub.hotline.folder}") Path folder,
                              @Value("${hub.hotline.include}") String include, @Value("${hub.hotline.exclude}") String exclude) {
        return new HotlinePolls(health, "hotline", folder, include, exclude);
    }

    @Bean
    HotlinePolls hotlineSftpPolls(ChannelHealth health) {
        return new HotlinePolls(health, "hotline-sftp", null, null, null);
    }
}
