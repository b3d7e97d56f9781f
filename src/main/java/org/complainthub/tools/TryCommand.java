package org.complainthub.tools;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.complainthub.HubProperties;
import org.complainthub.channel.hotline.CallLog;
import org.complainthub.channel.hotline.CallLogUnreadable;
import org.complainthub.channel.hotline.CallerNumbers;
import org.complainthub.channel.hotline.HotlineSettings;
import org.complainthub.channel.webhook.WebhookMessages;
import org.complainthub.classify.Classification;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.complaint.RecordSchema;
import org.complainthub.complaint.ReferenceNumbers;
import org.complainthub.intake.ComplaintClassification;
import org.complainthub.intake.ComplaintEnricher;
import org.complainthub.intake.ComplaintValidator;
import org.complainthub.intake.FieldError;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.mapping.ComplaintMapper;
import org.complainthub.tools.Samples.Kind;
import org.complainthub.webform.WebformSubmissions;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * {@code try <mapping-file | channel> <sample-file>}: a sample payload through the channel's reading and the intake
 * steps (map, validate, enrich, classify) as the hub would take it, printed: the complaint record, its classification
 * with the rules that fired, and every validation error. Nothing is stored or sent: no broker, no database, media and
 * attachments are not kept, signatures are not checked, and a follow-up is shown as a new complaint (whose complaint
 * a message follows is decided from the hub's records).
 * <p>
 * The steps are the hub's own classes (those of intake's CoreIntakeSteps), built here by hand and run one by one so
 * that a record the validator refuses is still enriched and classified for IT to see; a step added to the hub as a
 * bean of its own is not run here.
 */
final class TryCommand {

    /** What every social platform's neutral messages go through (camel/social-message.camel.yaml). */
    static final String WEBHOOK_MESSAGE = "webhook-message.jsonata";
    /** How a sample goes in: as a channel's payload (record), a webhook request (webhook), a call log (hotline). */
    private record Plan(String how, String channel, String mapping, String format) {
    }

    /** Reported as a usage error (exit 2). */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    private final HubFolders folders;
    private final Environment env;
    private final PrintStream out;
    private ComplaintMapper mapper;
    private ComplaintValidator validator;
    private ComplaintEnricher enricher;
    private ComplaintClassification classification;
    private RecordSchema schema;
    private int valid;
    private int invalid;

    private TryCommand(HubFolders folders, PrintStream out) {
        this.folders = folders;
        this.env = folders.environment();
        this.out = out;
    }

    static int run(String target, Path sample, HubFolders folders, PrintStream out) throws Usage {
        if (!Files.isRegularFile(sample) || !Files.isReadable(sample)) {
            throw new Usage("cannot read the sample " + sample);
        }
        if (!Files.isDirectory(folders.mappings())) {
            throw new Usage("no mappings folder " + folders.mappings() + " (--mappings DIR)");
        }
        TryCommand t = new TryCommand(folders, out);
        if (!t.build()) {
            return 1;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(sample);
        } catch (IOException e) {
            throw new Usage("cannot read the sample " + sample + ": " + e.getMessage());
        }
        Kind kind = Samples.kindOf(sample, bytes);
        Plan plan = t.plan(target, kind);
        if (!t.mapper.has(plan.mapping())) {
            throw new Usage("no mapping file " + plan.mapping() + " in " + folders.mappings() + "/");
        }
        out.println("try: " + sample + " (" + kind.name().toLowerCase() + ") as " + t.describe(plan));
        switch (plan.how()) {
            case "webhook" -> t.webhook(plan, kind, bytes);
            case "hotline" -> t.hotline(plan, sample);
            default -> t.record(plan, kind, bytes);
        }
        out.println();
        out.println("result: " + t.valid + " valid, " + t.invalid + " not" + (t.valid + t.invalid == 0 ? " (nothing to take)" : ""));
        return t.invalid == 0 && t.valid > 0 ? 0 : 1;
    }

    /** The hub's intake steps, built by hand from the folders' settings (no Spring context). */
    private boolean build() {
        ZoneId zone = ZoneId.of(env.getProperty("hub.time-zone", "Asia/Shanghai"));
        HubProperties hub = new HubProperties(Path.of(env.getProperty("hub.data-dir", "data")), folders.mappings(), zone, "", "");
        try {
            mapper = new ComplaintMapper(hub);
            // the learned second opinion as the hub trains it (hub.classify.training-files), so try shows what it would
            String training = env.getProperty("hub.classify.training-files");
            classification = training == null ? new ComplaintClassification(folders.rules())
                    : new ComplaintClassification(folders.rules(), ComplaintClassification.paths(training));
        } catch (RuntimeException e) {
            out.println("cannot try: " + e.getMessage());
            out.println("(check lists every problem of the folders)");
            return false;
        }
        schema = new RecordSchema();
        validator = new ComplaintValidator(env.getProperty("hub.default-country", "CN"),
                env.getProperty("hub.max-description-chars", Integer.class, 20000), schema);
        enricher = new ComplaintEnricher(ReferenceNumbers.unsaved(1), hub, Clock.system(zone));
        return true;
    }

    // ---- which channel, which mapping ----

    private Plan plan(String target, Kind kind) throws Usage {
        RouteFiles routes = RouteFiles.read(folders.routes(), new ArrayList<>());
        Map<String, HotlineSettings.Format> formats = hotline().formats();
        if (target.endsWith(".jsonata")) {
            String mapping = Path.of(target).getFileName().toString();
            if (mapping.equals(WEBHOOK_MESSAGE)) {
                return new Plan("record", "", mapping, null); // a neutral message names its own channel
            }
            for (var f : formats.entrySet()) {
                if (mapping.equals(f.getValue().mapping())) {
                    return new Plan("hotline", "hotline", mapping, f.getKey());
                }
            }
            for (RouteFiles.Intake call : routes.intakes) {
                if (mapping.equals(mappingOf(call))) {
                    return new Plan(call.kamelet().equals("webhook-intake") ? "webhook" : "record",
                            call.name().contains("${") ? baseName(mapping) : call.name(), mapping, null);
                }
            }
            for (String platform : platforms(routes)) {
                if (mapping.equals(webhookMapping(platform, routes))) {
                    return new Plan("webhook", platform, mapping, null);
                }
            }
            return new Plan("record", baseName(mapping), mapping, null);
        }
        if (target.equals("hotline") && !formats.isEmpty()) {
            String format = env.getProperty("hub.hotline.format", "");
            if (!formats.containsKey(format)) {
                throw new Usage("hub.hotline.format=" + format + " names no format (known: " + formats.keySet() + ")");
            }
            return new Plan("hotline", "hotline", formats.get(format).mapping(), format);
        }
        if (platforms(routes).contains(target)) {
            return new Plan("webhook", target, webhookMapping(target, routes), null);
        }
        Set<String> mappings = new LinkedHashSet<>();
        for (RouteFiles.Intake call : routes.intakes) {
            if (call.kamelet().equals("complaint-intake") && call.name().equals(target) && mappingOf(call) != null) {
                mappings.add(mappingOf(call));
            }
        }
        if (mappings.size() > 1) {
            // a channel with several entries (the web form: its JSON API and its page's form): its settings name which
            // mapping reads which kind of body
            String byKind = env.getProperty("hub." + target + "." + (kind == Kind.JSON ? "api-mapping" : "form-mapping"));
            if (byKind != null && mappings.contains(byKind)) {
                return new Plan("record", target, byKind, null);
            }
            throw new Usage("channel " + target + " has several mappings " + mappings + ": name the mapping file instead");
        }
        if (mappings.isEmpty()) {
            Set<String> known = new LinkedHashSet<>();
            routes.intakes.stream().map(RouteFiles.Intake::name).filter(n -> !n.contains("${")).forEach(known::add);
            if (!formats.isEmpty()) {
                known.add("hotline");
            }
            throw new Usage("no channel or webhook platform " + target + " in " + folders.routes() + "/ (known: " + known
                    + "); or name a mapping file (.jsonata)");
        }
        return new Plan("record", target, mappings.iterator().next(), null);
    }

    private String mappingOf(RouteFiles.Intake call) {
        String raw = call.parameters().get("mapping");
        if (raw == null) {
            return call.kamelet().equals("webhook-intake") ? webhookMapping(call.name(), null) : null;
        }
        String resolved = RouteFiles.resolve(raw, env);
        return resolved == null ? null : resolved.strip();
    }

    /** The webhook platforms: named by a route's kamelet:webhook-intake, or by their settings (hub.webhooks.<p>.*). */
    private Set<String> platforms(RouteFiles routes) {
        Set<String> platforms = new LinkedHashSet<>();
        routes.intakes.stream().filter(c -> c.kamelet().equals("webhook-intake")).map(RouteFiles.Intake::name).forEach(platforms::add);
        for (SettingsFiles.Setting s : SettingsFiles.read(folders.channelFiles(), new ArrayList<>()).all()) {
            if (s.key().startsWith("hub.webhooks.") && s.key().endsWith(".mapping")) {
                platforms.add(s.key().substring("hub.webhooks.".length(), s.key().length() - ".mapping".length()));
            }
        }
        return platforms;
    }

    /** The route's mapping parameter, else hub.webhooks.<platform>.mapping, else <platform>.jsonata. */
    private String webhookMapping(String platform, RouteFiles routes) {
        if (routes != null) {
            for (RouteFiles.Intake call : routes.intakes) {
                if (call.kamelet().equals("webhook-intake") && call.name().equals(platform) && call.parameters().containsKey("mapping")) {
                    return mappingOf(call);
                }
            }
        }
        return env.getProperty("hub.webhooks." + platform + ".mapping", platform + ".jsonata").strip();
    }

    private HotlineSettings hotline() {
        try {
            return Binder.get(env).bind("hub.hotline", HotlineSettings.class)
                    .orElse(new HotlineSettings(null, null, null, 0, 0, 0, 0, null, null, null));
        } catch (RuntimeException e) {
            return new HotlineSettings(null, null, null, 0, 0, 0, 0, null, null, null);
        }
    }

    private String describe(Plan plan) {
        String m = RouteFiles.show(folders.mappings()) + "/";
        return switch (plan.how()) {
            case "webhook" -> "a request to the " + plan.channel() + " webhook: " + m + plan.mapping() + " (its messages), then "
                    + m + WEBHOOK_MESSAGE + " for each (signatures not checked, media not fetched)";
            case "hotline" -> "a hotline call log of format " + plan.format() + ": " + m + plan.mapping() + " for each call";
            default -> (plan.channel().isEmpty() ? "a social platform's neutral message" : "channel " + plan.channel())
                    + ": " + m + plan.mapping();
        };
    }

    // ---- the three ways in ----

    private void record(Plan plan, Kind kind, byte[] bytes) throws Usage {
        List<FieldError> channelErrors = new ArrayList<>();
        Object payload;
        if (kind == Kind.EML) {
            try {
                payload = Samples.mail(bytes, env.getProperty("hub.email.max-bytes", Long.class, 26_214_400L),
                        env.getProperty("hub.outbound.email.message-id-domain", ""), validator, this::println);
            } catch (Samples.NotTaken e) {
                println(e.getMessage());
                invalid++;
                return;
            }
        } else if (kind == Kind.FORM && plan.channel().equals("webform")) {
            Map<String, Object> fields = WebformSubmissions.fields(Samples.form(bytes), channelErrors);
            fields.put("attachments", List.of());
            payload = fields;
        } else if (kind == Kind.CSV) {
            throw new Usage("a CSV file is a hotline call log: try hotline <file.csv> (or a hotline-<format>.jsonata mapping)");
        } else {
            payload = Samples.body(kind, bytes);
        }
        String channel = plan.channel();
        if (channel.isEmpty()) {
            channel = payload instanceof Map<?, ?> message && message.get("channel") instanceof String named ? named : "social";
        }
        intake(payload, plan.mapping(), channel, channelErrors);
    }

    private void webhook(Plan plan, Kind kind, byte[] bytes) throws Usage {
        if (kind == Kind.EML || kind == Kind.CSV) {
            throw new Usage("a " + plan.channel() + " webhook request is JSON, XML or a form body, not " + kind.name().toLowerCase());
        }
        Object out;
        try {
            out = mapper.evaluate(Samples.body(kind, bytes), plan.mapping());
        } catch (SubmissionRejected e) {
            println("the request cannot be read (the hub answers " + e.status() + "):");
            errors(e.errors());
            invalid++;
            return;
        }
        List<Map<String, Object>> messages = WebhookMessages.messages(out);
        if (messages.isEmpty()) {
            println("");
            println(plan.mapping() + " found no customer message in this request (the hub answers it and takes nothing)");
            return;
        }
        int n = 0;
        for (Map<String, Object> message : messages) {
            n++;
            println("");
            println("== message " + n + " of " + messages.size() + ": channel " + message.get("channel") + ", sourceId "
                    + message.get("sourceId") + " ==");
            try {
                intake(Samples.prepare(message, plan.channel(), validator, this::println), WEBHOOK_MESSAGE,
                        String.valueOf(message.get("channel")), List.of());
            } catch (Samples.NotTaken e) {
                println(e.getMessage());
                invalid++;
            }
        }
    }

    private void hotline(Plan plan, Path sample) throws Usage {
        HotlineSettings settings = hotline();
        HotlineSettings.Format format = settings.formats().get(plan.format());
        Jsonata take;
        try {
            take = Jsonata.jsonata(format.take() == null || format.take().isBlank() ? "true" : format.take());
        } catch (RuntimeException e) {
            throw new Usage("hub.hotline.formats." + plan.format() + ".take does not compile: " + e.getMessage());
        }
        CallerNumbers callers = new CallerNumbers(settings, validator, env.getProperty("hub.default-country", "CN"));
        Path reports = Path.of(System.getProperty("java.io.tmpdir")); // written only for quarantined rows the hub takes
        try (InputStream in = Files.newInputStream(sample);
             CallLog log = new CallLog(in, sample.getFileName().toString(), format, settings, take, callers, reports)) {
            while (log.hasNext()) {
                for (var item : log.next()) {
                    println("");
                    println("== line " + item.properties().get("lineNumber") + " ==");
                    if (item.reason() != null) {
                        println("refused (the hub quarantines the row with this reason): " + item.reason());
                        invalid++;
                    } else {
                        intake(item.payload(), format.mapping(), "hotline", List.of());
                    }
                }
            }
            println("");
            println(log.rows() + " call(s) read, " + log.skipped() + " skipped by hub.hotline.formats." + plan.format()
                    + ".take (no complaint in them)");
        } catch (CallLogUnreadable e) {
            println("not a call log of format " + plan.format() + " (the hub moves the file to error/): " + e.getMessage());
            invalid++;
        } catch (IOException e) {
            throw new Usage("cannot read the sample " + sample + ": " + e.getMessage());
        }
    }

    // ---- the intake steps ----

    /** Map, validate, enrich, classify, as the hub's intake does; the record is printed, valid or not. */
    private void intake(Object payload, String mapping, String channel, List<FieldError> channelErrors) {
        List<FieldError> errors = new ArrayList<>(channelErrors);
        Complaint c;
        try {
            c = mapper.map(payload, mapping);
        } catch (SubmissionRejected e) {
            errors.addAll(e.errors());
            println("the payload did not map to a complaint with " + mapping + ":");
            errors(errors);
            invalid++;
            return;
        }
        try {
            c = validator.validate(c);
        } catch (SubmissionRejected e) {
            errors.addAll(e.errors());
        }
        Classification result = null;
        try {
            enricher.enrich(c, channel);
            result = classification.classify(c);
        } catch (RuntimeException e) {
            errors.add(new FieldError("", "invalid", "cannot be classified: " + e.getMessage()));
        }
        if (errors.isEmpty()) {
            schema.problems(RecordJson.write(c)).forEach(p ->
                    errors.add(new FieldError(p.getInstanceLocation().toString(), "schema", p.getMessage())));
        }
        println("record:");
        try {
            println(RecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        } catch (JsonProcessingException e) {
            println("(cannot be written: " + e.getOriginalMessage() + ")");
        }
        if (result != null) {
            println("classification:");
            println("  type        " + c.getType() + (c.getSignals().contains("type:known") ? " (set by the mapping)" : ""));
            println("  grade       " + c.getGrade());
            println("  department  " + c.getDepartment());
            println("  due         " + c.getDueAt() + " (" + hours(result.timeLimit()) + " after it was received: grade "
                    + c.getGrade() + "'s time limit)");
            println("  rules fired " + (result.signals().isEmpty() ? "none (no rule matched: type OTHER unless the mapping "
                    + "set one, the default grade)" : String.join(", ", result.signals())));
        }
        if (errors.isEmpty()) {
            println("validation: valid");
            valid++;
        } else {
            println("validation: " + errors.size() + " error(s), the hub refuses it (HTTP 400; mail, calls and "
                    + "webhook messages go to complaints.quarantine):");
            errors(errors);
            invalid++;
        }
    }

    // ---- output ----

    private void errors(List<FieldError> errors) {
        for (FieldError e : errors) {
            println("  - " + (e.field() == null || e.field().isEmpty() ? "(record)" : e.field()) + " [" + e.code() + "]: " + e.message());
        }
    }

    private void println(String line) {
        out.println(line);
    }

    private static String hours(Duration d) {
        return d.toMinutesPart() == 0 && d.toSecondsPart() == 0 ? d.toHours() + "h" : d.toMinutes() + " min";
    }

    private static String baseName(String mapping) {
        String base = mapping.substring(0, mapping.length() - ".jsonata".length());
        return base.contains("-") ? base.substring(0, base.indexOf('-')) : base;
    }
}
