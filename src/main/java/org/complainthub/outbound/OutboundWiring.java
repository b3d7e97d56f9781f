package org.complainthub.outbound;

import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The small pieces the outbound routes name: JavaMail settings and the failure reason of a dead request. */
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

    /** What a request carries into complaints.outbound.dead: why it failed, without any of the message's content. */
    @Bean
    public Processor outboundFailureReason(OutboundSender sender) {
        return exchange -> {
            sender.failed(exchange);
            Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader("hubFailureReason", e == null ? "unknown" : e.getClass().getSimpleName()
                    + ": " + String.valueOf(e.getMessage()).replaceAll("[\\r\\n]+", " "));
            exchange.getMessage().setHeader("hubFailedRoute", exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class));
        };
    }
}
