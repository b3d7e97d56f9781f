package org.complainthub.outbound;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.complainthub.HubExchange;
import org.complainthub.HubProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The call-back after resolution (DOMAIN.md 1.7: customer service calls the customer the day after): for each resolved
 * complaint (thanked, not closed) with no satisfaction score yet, {@code hub.followup.callback-after} after its
 * resolution, moved into the working hours of {@code hub.time-zone} (hub.followup.working-hours on
 * hub.followup.working-days), a CALLBACK_DUE event on complaints.events with what the agent needs to call. Once per
 * complaint and round: the event's duplicate-detection id is {@code callback:<id>:<round>}, and the ledger's
 * callback_at is set after it went out (send, then mark: a failure in between sends it again, and the broker drops it).
 * Public holidays are not known: a call-back due on one is due that day.
 */
@Component
public class Callbacks {

    private final ContactLedger ledger;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration after;
    private final LocalTime from;
    private final LocalTime until;
    private final Set<DayOfWeek> days;

    public Callbacks(ContactLedger ledger, Clock clock, HubProperties hub,
                     @Value("${hub.followup.callback-after:P1D}") Duration after,
                     @Value("${hub.followup.working-hours:09:00-18:00}") String hours,
                     @Value("${hub.followup.working-days:MON,TUE,WED,THU,FRI}") List<String> days) {
        this.ledger = ledger;
        this.clock = clock;
        this.zone = hub.timeZone();
        this.after = after;
        String[] span = hours.strip().split("-");
        if (span.length != 2) {
            throw new IllegalStateException("hub.followup.working-hours: expected HH:MM-HH:MM, got " + hours);
        }
        this.from = LocalTime.parse(span[0].strip());
        this.until = LocalTime.parse(span[1].strip());
        if (!from.isBefore(until)) {
            throw new IllegalStateException("hub.followup.working-hours: the start must be before the end: " + hours);
        }
        this.days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : days) {
            this.days.add(day(d.strip()));
        }
        if (this.days.isEmpty()) {
            throw new IllegalStateException("hub.followup.working-days: no day given");
        }
    }

    /** The complaints whose call-back is due now, the longest resolved first (at most 500 a run). */
    public List<String> due() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        // moving into working hours only ever delays: what was resolved less than callback-after ago is not due yet
        return ledger.awaitingCallback(now.minus(after), 500).stream()
                .filter(c -> !callbackAt(c.resolvedAt()).isAfter(now.toZonedDateTime()))
                .map(Contact::complaintId).toList();
    }

    /** The CALLBACK_DUE event of the complaint in the body, as body and JMS properties. */
    public void event(Exchange exchange) {
        Contact c = ledger.find(exchange.getMessage().getBody(String.class)).orElseThrow();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "CALLBACK_DUE");
        event.put("id", c.complaintId());
        event.put("at", OffsetDateTime.now(clock));
        event.put("resolvedAt", c.resolvedAt().atZoneSameInstant(zone).toOffsetDateTime());
        event.put("name", c.name());
        event.put("phone", c.phone());
        event.put("email", c.email());
        event.put("channel", c.channel());
        event.put("language", c.language());
        event.put("department", c.department());
        event.put("grade", c.grade());
        event.put("resolution", c.resolution());
        event.put("agent", c.agent());
        event.values().removeIf(v -> v == null);
        HubEvents.publish(exchange.getMessage(), event, c);
        exchange.getMessage().setHeader(HubEvents.DUPLICATE_ID, "callback:" + c.complaintId() + ":" + ledger.round(c.complaintId()));
        exchange.setProperty(HubExchange.CALLBACK_ID, c.complaintId());
    }

    /** After the event went out: marked, with its complaint_event row (no personal data in it: the ledger has that). */
    public void mark(Exchange exchange) {
        String id = exchange.getProperty(HubExchange.CALLBACK_ID, String.class);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", "CALLBACK_DUE");
        ledger.find(id).ifPresent(c -> detail.put("resolvedAt", c.resolvedAt().atZoneSameInstant(zone).toOffsetDateTime()));
        ledger.markCallback(id, OffsetDateTime.now(clock), detail);
    }

    /** When a complaint resolved at {@code resolvedAt} is to be called back: callback-after later, in working hours. */
    ZonedDateTime callbackAt(OffsetDateTime resolvedAt) {
        return intoWorkingHours(resolvedAt.atZoneSameInstant(zone).plus(after), from, until, days);
    }

    /** The time itself if it is within working hours, else the start of the next working period. */
    static ZonedDateTime intoWorkingHours(ZonedDateTime t, LocalTime from, LocalTime until, Set<DayOfWeek> days) {
        ZonedDateTime at = t;
        for (int i = 0; i < 14; i++) {
            if (days.contains(at.getDayOfWeek())) {
                LocalTime time = at.toLocalTime();
                if (time.isBefore(from)) {
                    return at.with(from);
                }
                if (time.isBefore(until)) {
                    return at;
                }
            }
            at = at.plusDays(1).with(from);
        }
        return t; // no working day at all: cannot happen (checked at start-up)
    }

    private static DayOfWeek day(String d) {
        String u = d.toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().equals(u) || w.name().startsWith(u) && u.length() >= 3) {
                return w;
            }
        }
        throw new IllegalStateException("hub.followup.working-days: unknown day " + d + " (MON, TUE ... SUN)");
    }
}
