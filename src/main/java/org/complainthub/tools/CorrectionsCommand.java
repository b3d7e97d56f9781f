package org.complainthub.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.classify.ComplaintClassifier;
import org.complainthub.complaint.ComplaintType;
import org.springframework.core.env.Environment;

/**
 * {@code corrections export}: the desk's reassignments (complaint_event rows of type REASSIGNED, with the complaint's
 * text from complaint_history.record) written as labelled complaints (mappings/rules/README.md format) into
 * {@code mappings/rules/corrections.yaml}, from which the classifier's learned second opinion trains at the next start.
 * <p>
 * The whole file is written again from the database each time (a complaint reassigned twice counts once, with its last
 * department), through a temporary file moved into place, so a failed export leaves the previous file. A department
 * names no type: the label is the department's type the rules score highest for the text (legal: CONTRACT or
 * PRIVACY), unless the event's detail names a {@code type}. Phone numbers, e-mail addresses and long digit runs in the
 * text are masked: the file is a training file, not a record.
 * <p>
 * The database is the hub's (spring.datasource.* from its settings and environment, or --jdbc-url and --db-user; the
 * password only from the settings or SPRING_DATASOURCE_PASSWORD, never on the command line). The embedded H2 store
 * is locked by a running hub: export while it is stopped, just before the restart that is to learn from it.
 */
final class CorrectionsCommand {

    static final String USAGE = """
              java -jar complaint-hub.jar corrections export [--out FILE] [--jdbc-url URL --db-user USER]
                  the desk's reassignments as labelled complaints, for the classifier to learn from at the next
                  start (default FILE: <mappings>/rules/corrections.yaml); the hub's database by default (the
                  embedded H2 store only while the hub is stopped)""";

    private static final Set<String> OPTIONS = Set.of("out", "jdbc-url", "db-user", "mappings", "rules");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern PHONE_OR_NUMBER = Pattern.compile("\\+?\\d[\\d -]{6,}\\d");

    /** One exported correction. */
    record Correction(String complaintId, String language, String text, ComplaintType type, String grade,
                      String department, String from) {
    }

    private CorrectionsCommand() {
    }

    /** {@code args}: "corrections", "export", options; the exit code. */
    static int run(String[] args, PrintStream out) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, OPTIONS);
        } catch (CommandLine.Mistake e) {
            return usage(out, e.getMessage());
        }
        if (!line.words().equals(List.of("export"))) {
            return usage(out, "corrections needs: export");
        }
        Map<String, String> options = line.options();
        HubFolders folders = HubFolders.of(options);
        Environment env = folders.environment();
        String url = options.getOrDefault("jdbc-url", env.getProperty("spring.datasource.url"));
        String user = options.getOrDefault("db-user", env.getProperty("spring.datasource.username", ""));
        String password = env.getProperty("spring.datasource.password", "");
        Path target = Path.of(options.getOrDefault("out",
                folders.mappings().resolve("rules/corrections.yaml").toString()));
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            ClassificationRules rules = ClassificationRules.load(folders.rules());
            List<Correction> found = read(db, rules);
            write(found, target);
            out.println("corrections: " + found.size() + " reassigned complaint(s) written to " + target
                    + "; the classifier learns from them at the next start");
            return 0;
        } catch (SQLException e) {
            out.println("corrections: cannot read the hub's database (" + e.getMessage() + "); with the embedded"
                    + " store, stop the hub first");
            return 2;
        } catch (IOException e) {
            out.println("corrections: cannot write " + target + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            out.println("corrections: " + e.getMessage());
            return 1;
        }
    }

    /** Every reassigned complaint with its last department, in the order of the reassignments. */
    static List<Correction> read(Connection db, ClassificationRules rules) throws SQLException {
        ComplaintClassifier classifier = new ComplaintClassifier(rules);
        Map<String, Correction> last = new LinkedHashMap<>();
        String sql = "SELECT e.complaint_id, e.department, e.grade, e.detail, h.record, h.department"
                + " FROM complaint_event e JOIN complaint_history h ON h.complaint_id = e.complaint_id"
                + " WHERE e.type = 'REASSIGNED' ORDER BY e.at, e.event_id";
        try (PreparedStatement st = db.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                String department = rs.getString(2);
                JsonNode record = json(rs.getString(5));
                JsonNode detail = json(rs.getString(4));
                String text = text(record);
                if (text.isBlank()) {
                    continue;
                }
                String language = record.path("customer").path("language").asText("");
                ComplaintType type = typeFor(detail, department, text, language, rules, classifier);
                if (type == null) {
                    continue; // a department the rules no longer have: nothing to learn
                }
                String from = detail.path("reassignedFrom").asText(rs.getString(6));
                last.remove(id); // moved to the end: the order of the last reassignment
                last.put(id, new Correction(id, language.isEmpty() ? null : language, mask(text), type,
                        rs.getString(3), department, from));
            }
        }
        return new ArrayList<>(last.values());
    }

    private static ComplaintType typeFor(JsonNode detail, String department, String text, String language,
                                         ClassificationRules rules, ComplaintClassifier classifier) {
        if (detail.hasNonNull("type")) {
            try {
                ComplaintType t = ComplaintType.valueOf(detail.get("type").asText());
                if (department.equals(rules.departmentFor(t))) {
                    return t;
                }
            } catch (IllegalArgumentException e) {
                // not a type: decide from the department
            }
        }
        List<ComplaintType> candidates = rules.typesOf(department);
        return candidates.isEmpty() ? null : classifier.typeAmong(text, language, candidates);
    }

    /** Writes the labelled file through a temporary file in the same folder. */
    static void write(List<Correction> corrections, Path target) throws IOException {
        StringBuilder y = new StringBuilder("""
                # The desk's corrections: complaints the desk reassigned to another department, exported by
                # `java -jar complaint-hub.jar corrections export` (written anew from the database each time: edit the
                # rules or the labelled set, not this file). The classifier's learned second opinion trains on it at
                # start-up. Format: mappings/rules/README.md; phone numbers and e-mail addresses are masked.
                """);
        if (corrections.isEmpty()) {
            y.append("[]\n");
        }
        for (Correction c : corrections) {
            y.append("- id: ").append(quote("R-" + c.complaintId())).append('\n');
            if (c.language() != null) {
                y.append("  language: ").append(quote(c.language())).append('\n');
            }
            y.append("  text: ").append(quote(c.text())).append('\n');
            y.append("  type: ").append(c.type().name()).append('\n');
            y.append("  grade: ").append(c.grade()).append('\n');
            y.append("  department: ").append(quote(c.department())).append('\n');
            y.append("  note: ").append(quote("reassigned by the desk from " + c.from() + " to " + c.department()))
                    .append('\n');
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".corrections", ".yaml");
        try {
            Files.writeString(tmp, y, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String mask(String text) {
        return PHONE_OR_NUMBER.matcher(EMAIL.matcher(text).replaceAll("someone@example.com")).replaceAll("0000000");
    }

    private static String text(JsonNode record) {
        String subject = record.path("subject").asText("");
        String description = record.path("description").asText("");
        return subject.isEmpty() ? description : description.isEmpty() ? subject : subject + "\n" + description;
    }

    private static JsonNode json(String s) {
        if (s == null || s.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int usage(PrintStream out, String problem) {
        out.println(problem);
        out.println("(--help shows the usage)");
        return 2;
    }
}
