package org.complainthub.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * The figures of a set of complaints (the month's, or one department's, or one grade's), each defined here once:
 * <ul>
 * <li>answered in time: the first IN_PROGRESS or RESOLVED event came, for a general complaint (C, D), before the end
 * of the calendar day it was received on, in the hub's time zone; for a serious one (A, B) at most three days after
 * it was received (DOMAIN.md 1.6: "general complaints the same day, serious and above within three days");</li>
 * <li>resolved within the limit: the first RESOLVED event at or before the due time set at dispatch;</li>
 * <li>overdue: an OVERDUE event, or the first RESOLVED after the due time, or never resolved, not closed, and past
 * the due time now;</li>
 * <li>open: its latest RESOLVED/CLOSED/REOPENED event is a REOPENED one, or it has none;</li>
 * <li>median hours to resolve: the median of (first RESOLVED - received) over the resolved ones (the mean of the two
 * middle ones for an even count), in hours with one decimal; null when none is resolved;</li>
 * <li>reassigned, reopened: complaints with at least one REASSIGNED, REOPENED event; repeats: with repeat_of set;</li>
 * <li>satisfaction: each complaint's latest score; the mean over the scored ones, two decimals.</li>
 * </ul>
 * Percentages: of all the complaints of the set, one decimal (half up); null for an empty set.
 */
public record MonthlyFigures(long complaints, long answeredInTime, long resolved, long resolvedInTime, long overdue,
                             long open, BigDecimal medianHoursToResolve, long reassigned, long reopened, long repeats,
                             long[] scores, BigDecimal satisfactionMean) {

    public static MonthlyFigures of(List<ComplaintFacts> facts, ZoneId zone, Instant now) {
        long answeredInTime = facts.stream().filter(f -> answeredInTime(f, zone)).count();
        long resolved = facts.stream().filter(f -> f.firstResolvedAt() != null).count();
        long resolvedInTime = facts.stream().filter(MonthlyFigures::resolvedInTime).count();
        long overdue = facts.stream().filter(f -> overdue(f, now)).count();
        long open = facts.stream().filter(ComplaintFacts::open).count();
        long[] seconds = facts.stream().filter(f -> f.firstResolvedAt() != null)
                .mapToLong(f -> Duration.between(f.receivedAt(), f.firstResolvedAt()).getSeconds()).sorted().toArray();
        BigDecimal median = null;
        if (seconds.length > 0) {
            int mid = seconds.length / 2;
            BigDecimal s = seconds.length % 2 == 1 ? BigDecimal.valueOf(seconds[mid])
                    : BigDecimal.valueOf(seconds[mid - 1] + seconds[mid]).divide(BigDecimal.valueOf(2));
            median = s.divide(BigDecimal.valueOf(3600), 1, RoundingMode.HALF_UP);
        }
        long[] scores = new long[5];
        facts.stream().filter(f -> f.score() != null).forEach(f -> scores[f.score() - 1]++);
        long scored = 0;
        long sum = 0;
        for (int i = 0; i < 5; i++) {
            scored += scores[i];
            sum += scores[i] * (i + 1);
        }
        BigDecimal mean = scored == 0 ? null
                : BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(scored), 2, RoundingMode.HALF_UP);
        return new MonthlyFigures(facts.size(), answeredInTime, resolved, resolvedInTime, overdue, open, median,
                facts.stream().filter(f -> f.reassignments() > 0).count(),
                facts.stream().filter(f -> f.reopenings() > 0).count(),
                facts.stream().filter(f -> f.repeatOf() != null).count(), scores, mean);
    }

    public static boolean answeredInTime(ComplaintFacts f, ZoneId zone) {
        if (f.firstAnsweredAt() == null) {
            return false;
        }
        if (f.serious()) {
            // three days on the calendar of the zone (72 hours, or 71/73 across a change of summer time)
            Instant limit = f.receivedAt().atZoneSameInstant(zone).plusDays(3).toInstant();
            return !f.firstAnsweredAt().toInstant().isAfter(limit);
        }
        Instant nextDay = f.receivedAt().atZoneSameInstant(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        return f.firstAnsweredAt().toInstant().isBefore(nextDay);
    }

    public static boolean resolvedInTime(ComplaintFacts f) {
        return f.firstResolvedAt() != null && !f.firstResolvedAt().isAfter(f.dueAt());
    }

    public static boolean overdue(ComplaintFacts f, Instant now) {
        if (f.overdueEvents() > 0) {
            return true;
        }
        OffsetDateTime resolvedAt = f.firstResolvedAt();
        if (resolvedAt != null) {
            return resolvedAt.isAfter(f.dueAt());
        }
        return f.open() && now.isAfter(f.dueAt().toInstant());
    }

    public long scored() {
        long n = 0;
        for (long s : scores) {
            n += s;
        }
        return n;
    }

    public BigDecimal answeredInTimePct() {
        return pct(answeredInTime);
    }

    public BigDecimal resolvedInTimePct() {
        return pct(resolvedInTime);
    }

    private BigDecimal pct(long n) {
        return complaints == 0 ? null
                : BigDecimal.valueOf(100 * n).divide(BigDecimal.valueOf(complaints), 1, RoundingMode.HALF_UP);
    }
}
