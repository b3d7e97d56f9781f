package org.complainthub.outbound;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.complainthub.complaint.Grade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code hub_complaints_overdue{grade}}: open complaints (no RESOLVED event from the desk yet) whose due time has
 * passed, from the contact ledger. Counted by {@link #refresh} in the background (route hub-metrics-refresh), not at
 * each scrape: a scrape never waits for the database. NaN while the database cannot be asked.
 */
@Component
public class OverdueComplaints {

    private static final Logger LOG = LoggerFactory.getLogger(OverdueComplaints.class);

    private final ContactLedger ledger;
    private final Clock clock;
    private final Map<String, Double> counts = new ConcurrentHashMap<>();

    public OverdueComplaints(ContactLedger ledger, Clock clock, MeterRegistry registry) {
        this.ledger = ledger;
        this.clock = clock;
        for (Grade g : Grade.values()) {
            counts.put(g.name(), Double.NaN);
            Gauge.builder("hub.complaints.overdue", counts, c -> c.getOrDefault(g.name(), Double.NaN)).tag("grade", g.name())
                    .description("Open complaints past their due time (NaN: the database could not be asked)").register(registry);
        }
    }

    public void refresh() {
        try {
            Map<String, Long> now = ledger.openOverdueByGrade(OffsetDateTime.now(clock));
            for (Grade g : Grade.values()) {
                counts.put(g.name(), (double) now.getOrDefault(g.name(), 0L));
            }
        } catch (RuntimeException e) {
            LOG.debug("overdue complaints: the database could not be asked: {}", e.toString());
            counts.replaceAll((grade, n) -> Double.NaN);
        }
    }
}
