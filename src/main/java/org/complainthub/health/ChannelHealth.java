package org.complainthub.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * How each channel is doing, as the channels themselves report it: the one place a channel says "this went through"
 * ({@link #succeeded}) or "this failed, and why" ({@link #failed}), and how much waits at its source
 * ({@link #backlog}). Read by the {@code channels} health component ({@link ChannelsHealthIndicator}) and exported as
 * gauges on /actuator/prometheus ({@code hub_channel_*{channel}}).
 * <p>
 * The channels watched are known at start-up from the settings: the pollers (email, the hotline's drop folder and its
 * SFTP server) and the request channels (the web form, every webhook platform of {@code hub.webhooks.*}). A poller
 * that has not succeeded for {@code hub.health.stale-after} (or its own {@code hub.health.<channel>.stale-after}) is
 * stale: the failure operators miss most is a mailbox nobody reads any more. A request channel is quiet when its
 * customers are, so it goes stale only with a {@code stale-after} of its own.
 * <p>
 * A poller reports each poll as a round ({@link #pollBegins}, {@link #pollEnds}): the round succeeds unless something
 * failed in it, so a poll that reached the mailbox but could not queue a mail (the broker was away) is no success.
 * Reasons are kept short and without personal data: addresses, long numbers and quoted text are masked.
 */
@Component
public class ChannelHealth {

    /** The channels outside hub.webhooks.*: name, the setting that turns it on, and whether it polls its source. */
    private static final List<Watched> FIXED = List.of(
            new Watched("email", "hub.email.enabled", true),
            new Watched("hotline", "hub.hotline.enabled", true),
            new Watched("hotline-sftp", "hub.hotline.sftp.enabled", true),
            new Watched("webform", "hub.webform.enabled", false));
    private static final String WEBHOOKS = "hub.webhooks.";
    private static final int REASON_MAX = 160;
    private static final Pattern ADDRESS = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)*");
    /** Quoted text: a quote not inside a word (couldn't) up to the next one. */
    private static final Pattern QUOTED = Pattern.compile("(?<![\\p{L}\\d])'[^']*'|\"[^\"]*\"");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\+?\\d[\\d ()-]{5,}\\d");

    private record Watched(String name, String enabledKey, boolean poller) {
    }

    private final Map<String, Channel> channels = new LinkedHashMap<>();

    public ChannelHealth(Environment env, MeterRegistry registry) {
        this(env, registry, channel -> true);
    }

    @Autowired
    public ChannelHealth(Environment env, MeterRegistry registry, ObjectProvider<PollerLeadership> leadership) {
        this(env, registry, channel -> leadership.getIfAvailable(() -> c -> true).leadsHere(channel));
    }

    ChannelHealth(Environment env, MeterRegistry registry, PollerLeadership leadership) {
        Duration pollerDefault = DurationStyle.detectAndParse(env.getProperty("hub.health.stale-after", "5m"));
        List<Watched> watched = new ArrayList<>(FIXED);
        for (String platform : webhookPlatforms(env)) {
            watched.add(new Watched(platform, WEBHOOKS + platform + ".enabled", false));
        }
        Instant now = Instant.now();
        for (Watched w : watched) {
            String own = env.getProperty("hub.health." + w.name() + ".stale-after", "").strip();
            Duration staleAfter = !own.isEmpty() ? DurationStyle.detectAndParse(own) : w.poller() ? pollerDefault : null;
            boolean enabled = Boolean.parseBoolean(env.getProperty(w.enabledKey(), "false").strip());
            Channel c = new Channel(w.name(), enabled, w.poller(), staleAfter, now,
                    w.poller() ? () -> leadership.leadsHere(w.name()) : () -> true);
            channels.put(w.name(), c);
            register(registry, c);
        }
    }

    /** Something went through the channel: a request taken, a batch queued, a poll that reached its source. */
    public void succeeded(String channel) {
        Channel c = channels.get(channel);
        if (c != null) {
            c.succeeded(Instant.now());
        }
    }

    /** The channel failed to take what came: the hub's broker or database, the source's server, a setting. */
    public void failed(String channel, String reason) {
        Channel c = channels.get(channel);
        if (c != null) {
            c.failed(Instant.now(), shortened(reason));
        }
    }

    public void failed(String channel, Throwable e) {
        failed(channel, reason(e));
    }

    /** What waits at the channel's source (mails in the inbox, files in the drop folder), as last measured. */
    public void backlog(String channel, long waiting) {
        Channel c = channels.get(channel);
        if (c != null) {
            c.backlog = waiting;
        }
    }

    /** A poll starts: it counts as a success at {@link #pollEnds} unless a failure is reported in between. */
    public void pollBegins(String channel) {
        Channel c = channels.get(channel);
        if (c != null) {
            c.roundFailed = false;
        }
    }

    public void pollEnds(String channel) {
        Channel c = channels.get(channel);
        if (c != null && !c.roundFailed) {
            c.succeeded(Instant.now());
        }
    }

    /** Every watched channel as it stands now, in the order of the settings. */
    public List<View> channels() {
        Instant now = Instant.now();
        List<View> out = new ArrayList<>(channels.size());
        for (Channel c : channels.values()) {
            out.add(c.view(now));
        }
        return out;
    }

    /** The channels watched (unknown names reported to this bean are ignored). */
    public Collection<String> names() {
        return Collections.unmodifiableSet(channels.keySet());
    }

    /** One channel's state. {@code lastSuccess}, {@code lastError}, {@code lastErrorAt}, {@code backlog} may be null. */
    public record View(String name, String status, boolean enabled, boolean poller, Duration staleAfter,
                       Instant lastSuccess, String lastError, Instant lastErrorAt, int consecutiveFailures, Long backlog) {

        public Map<String, Object> details() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", status);
            d.put("enabled", enabled);
            d.put("kind", poller ? "poller" : "requests");
            if (staleAfter != null) {
                d.put("staleAfter", staleAfter.toString());
            }
            d.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
            d.put("consecutiveFailures", consecutiveFailures);
            if (lastError != null) {
                d.put("lastError", lastError);
                d.put("lastErrorAt", lastErrorAt.toString());
            }
            if (backlog != null) {
                d.put("backlog", backlog);
            }
            return d;
        }
    }

    /** Statuses of a channel in the health details. */
    public static final String UP = "UP";
    public static final String STALE = "STALE";
    public static final String FAILING = "FAILING";
    public static final String DISABLED = "DISABLED";
    /** A poller another node runs now (camel-master): not stale here, takes over when that node fails. */
    public static final String STANDBY = "STANDBY";

    private static final class Channel {
        final String name;
        final boolean enabled;
        final boolean poller;
        final Duration staleAfter;
        final Instant since;
        volatile Instant lastSuccess;
        volatile Instant lastErrorAt;
        volatile String lastError;
        volatile int consecutiveFailures;
        volatile long backlog = -1;
        volatile boolean roundFailed;
        /** Last seen waiting for another node that polls (a poller's freshness counts from when it took over). */
        volatile Instant standbyAt;
        final BooleanSupplier leadsHere;
        Counter failures;

        Channel(String name, boolean enabled, boolean poller, Duration staleAfter, Instant since, BooleanSupplier leadsHere) {
            this.name = name;
            this.enabled = enabled;
            this.poller = poller;
            this.staleAfter = staleAfter;
            this.since = since;
            this.leadsHere = leadsHere;
        }

        synchronized void succeeded(Instant at) {
            lastSuccess = at;
            consecutiveFailures = 0;
        }

        synchronized void failed(Instant at, String reason) {
            lastErrorAt = at;
            lastError = reason;
            consecutiveFailures++;
            roundFailed = true;
            if (failures != null) {
                failures.increment();
            }
        }

        boolean standby(Instant now) {
            if (enabled && !leadsHere.getAsBoolean()) {
                standbyAt = now;
                return true;
            }
            return false;
        }

        boolean stale(Instant now) {
            if (!enabled || staleAfter == null || standby(now)) {
                return false;
            }
            Instant from = lastSuccess == null ? since : lastSuccess;
            Instant waited = standbyAt;
            return (waited != null && waited.isAfter(from) ? waited : from).plus(staleAfter).isBefore(now);
        }

        String status(Instant now) {
            return !enabled ? DISABLED : standby(now) ? STANDBY : stale(now) ? STALE : consecutiveFailures > 0 ? FAILING : UP;
        }

        View view(Instant now) {
            long b = backlog;
            return new View(name, status(now), enabled, poller, staleAfter, lastSuccess, lastError, lastErrorAt,
                    consecutiveFailures, b < 0 ? null : b);
        }

        double lastSuccessSeconds() {
            Instant last = lastSuccess;
            return last == null ? Double.NaN : last.toEpochMilli() / 1000.0;
        }
    }

    private static void register(MeterRegistry registry, Channel c) {
        Gauge.builder("hub.channel.enabled", c, x -> x.enabled ? 1 : 0).tag("channel", c.name)
                .description("1 when the channel is turned on in its settings").register(registry);
        Gauge.builder("hub.channel.up", c, x -> x.enabled && !x.stale(Instant.now()) ? 1 : 0).tag("channel", c.name)
                .description("1 while an enabled channel is not stale (a poller that succeeded within its stale-after)")
                .register(registry);
        Gauge.builder("hub.channel.last.success", c, Channel::lastSuccessSeconds).tag("channel", c.name)
                .baseUnit("seconds").description("When the channel last succeeded (Unix time; NaN: not since the start)")
                .register(registry);
        Gauge.builder("hub.channel.consecutive.failures", c, x -> x.consecutiveFailures).tag("channel", c.name)
                .description("Failures since the channel's last success").register(registry);
        if (c.poller) {
            Gauge.builder("hub.channel.backlog", c, x -> x.backlog < 0 ? Double.NaN : x.backlog).tag("channel", c.name)
                    .description("What waits at the channel's source: mails in the inbox, files in the drop folder "
                            + "(NaN: not known)").register(registry);
        }
        c.failures = Counter.builder("hub.channel.failures").tag("channel", c.name)
                .description("Failures of the channel (polls, batches, requests the hub could not take)").register(registry);
    }

    /** The platforms of hub.webhooks.<platform>.*, in any property source (as WebhookSettings finds them). */
    private static List<String> webhookPlatforms(Environment env) {
        TreeSet<String> found = new TreeSet<>();
        if (env instanceof ConfigurableEnvironment c) {
            for (PropertySource<?> source : c.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> e) {
                    for (String name : e.getPropertyNames()) {
                        int dot = name.indexOf('.', WEBHOOKS.length());
                        if (name.startsWith(WEBHOOKS) && dot > WEBHOOKS.length()) {
                            found.add(name.substring(WEBHOOKS.length(), dot));
                        }
                    }
                }
            }
        }
        found.removeIf(p -> FIXED.stream().anyMatch(w -> w.name().equals(p)));
        return new ArrayList<>(found);
    }

    /** A failure in one short line: the exception's type and message, masked. */
    static String reason(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        String message = e.getMessage();
        if ((message == null || message.isBlank()) && e.getCause() != null) {
            return reason(e.getCause());
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * One line of at most 160 characters, with e-mail addresses, quoted text and long numbers (phones, ids) masked:
     * a server's or a driver's message may quote what it was given.
     */
    static String shortened(String reason) {
        String s = reason == null ? "unknown" : reason.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        s = ADDRESS.matcher(s).replaceAll("<address>");
        s = QUOTED.matcher(s).replaceAll("'…'");
        s = LONG_NUMBER.matcher(s).replaceAll("<number>");
        return s.length() <= REASON_MAX ? s : s.substring(0, REASON_MAX - 1) + "…";
    }
}
