package org.complainthub.channel.mail;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The threads that work one batch of mails side by side: the thread pool profile "emailWorkers" the email-intake
 * route's split names (a profile, not an executor bean, which would switch off Spring Boot's own task executor).
 */
@Configuration(proxyBeanMethods = false)
class EmailWiring {

    @Bean
    CamelContextConfiguration emailWorkersProfile(@Value("${hub.email.workers}") int workers) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder("emailWorkers")
                        .poolSize(workers).maxPoolSize(workers).maxQueueSize(-1).build());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
