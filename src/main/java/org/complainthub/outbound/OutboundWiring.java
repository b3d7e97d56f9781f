package org.complainthub.outbound;

import java.util.Properties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The small pieces the outbound routes name: JavaMail settings. */
@Configuration
public class OutboundWiring {

    /** Envelope sender (bounces come back to the intake mailbox by default) and STARTTLS. */
    @Bean
    public Properties outboundMailProperties(@Value("${hub.outbound.email.envelope-sender}") String envelopeSender,
                                             @Value("${hub.outbound.email.starttls}") boolean starttls) {
        Properties p = new Properties();
        if (!envelopeSender.isBlank()) {
            p.setProperty("mail.smtp.from", envelopeSender);
            p.setProperty("mail.smtps.from", envelopeSender);
        }
        p.setProperty("mail.smtp.starttls.enable", String.valueOf(starttls));
        p.setProperty("mail.smtp.starttls.required", String.valueOf(starttls));
        return p;
    }
}
