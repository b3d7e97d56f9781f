package org.complainthub.intake;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The hub's own intake steps and their order: validate (every field problem at once, phone numbers to E.164), enrich
 * (reference number, received time, channel, language), classify (type, grade, department, due time). A step added to
 * the pipeline is an {@link IntakeStep} bean with an {@code @Order} that places it among these: after classify (so it
 * sees the type and department) is above {@link #CLASSIFY}.
 */
@Configuration(proxyBeanMethods = false)
public class CoreIntakeSteps {

    public static final int VALIDATE = 100;
    public static final int ENRICH = 200;
    public static final int CLASSIFY = 300;

    @Bean
    @Order(VALIDATE)
    IntakeStep validateStep(ComplaintValidator validator) {
        return (complaint, channel) -> validator.validate(complaint);
    }

    @Bean
    @Order(ENRICH)
    IntakeStep enrichStep(ComplaintEnricher enricher) {
        return enricher::enrich;
    }

    @Bean
    @Order(CLASSIFY)
    IntakeStep classifyStep(ComplaintClassification classification) {
        return (complaint, channel) -> classification.apply(complaint);
    }
}
