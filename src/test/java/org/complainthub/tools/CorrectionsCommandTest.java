package org.complainthub.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.complainthub.classify.Classification;
import org.complainthub.classify.ClassificationRules;
import org.complainthub.classify.ComplaintClassifier;
import org.complainthub.classify.LabelledComplaint;
import org.complainthub.classify.SecondOpinion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk teaches the classifier: a complaint the hub sent to one department, reassigned by the desk to another (a
 * REASSIGNED row in complaint_event, the record in complaint_history, as the desk's event intake writes them), is
 * exported by {@code corrections export}; a classifier trained with the export sends a near-identical new complaint
 * where the desk sent the first.
 */
class CorrectionsCommandTest {

    static final Path RULES = Path.of("mappings/rules/classification.yaml");
    static final Path DEVELOPMENT = Path.of("mappings/rules/labelled-complaints.yaml");

    // nothing in it that a type rule knows: the rules are silent, the model decides
    static final String FIRST = "The Aurora kiosk at gate 4 swallowed my loyalty card and now the points on it are"
            + " gone. Call me on 138-0013-8000 or write to li.wei@example.com.";
    static final String NEXT = "The Aurora kiosk near gate 2 swallowed my loyalty card, and all the points on it"
            + " are gone.";

    @TempDir
    Path dir;

    @Test
    void aReassignmentExportedAndLoadedSendsANearIdenticalComplaintWhereTheDeskSentTheFirst() throws Exception {
        ClassificationRules rules = ClassificationRules.load(RULES);
        List<LabelledComplaint> development = LabelledComplaint.read(DEVELOPMENT);
        ComplaintClassifier before = new ComplaintClassifier(rules, SecondOpinion.train(development));
        Classification first = before.classify(FIRST, "en", null, null);
        String desk = first.department().equals("billing") ? "customer-service" : "billing";

        String url = "jdbc:h2:mem:corrections-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            try (Statement st = db.createStatement()) {
                st.execute("RUNSCRIPT FROM 'src/main/resources/db/migration/V18__complaint_history.sql'");
            }
            try (PreparedStatement st = db.prepareStatement("INSERT INTO complaint_history (complaint_id, channel,"
                    + " type, grade, department, received_at, due_at, signals, record)"
                    + " VALUES (?, 'webform', ?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, "C-1001");
                st.setString(2, first.type().name());
                st.setString(3, first.grade().name());
                st.setString(4, first.department());
                st.setTimestamp(5, Timestamp.from(Instant.parse("2026-12-03T09:00:00Z")));
                st.setTimestamp(6, Timestamp.from(Instant.parse("2026-12-04T09:00:00Z")));
                st.setString(7, String.join(",", first.signals()));
                st.setString(8, "{\"id\":\"C-1001\",\"channel\":\"webform\",\"subject\":\"Kiosk\",\"description\":"
                        + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(FIRST)
                        + ",\"customer\":{\"name\":\"Li Wei\",\"language\":\"en\"}}");
                st.executeUpdate();
            }
            try (PreparedStatement st = db.prepareStatement("INSERT INTO complaint_event (event_key, complaint_id,"
                    + " type, at, department, grade, agent, detail) VALUES (?, 'C-1001', 'REASSIGNED', ?, ?, ?,"
                    + " 'agent-7', ?)")) {
                st.setString(1, "REASSIGNED:C-1001:1");
                st.setTimestamp(2, Timestamp.from(Instant.parse("2026-12-03T09:05:00Z")));
                st.setString(3, desk);
                st.setString(4, first.grade().name());
                st.setString(5, "{\"reassignedFrom\":\"" + first.department() + "\",\"department\":\"" + desk
                        + "\",\"note\":\"points on a loyalty card are billing's\"}");
                st.executeUpdate();
            }

            Path export = dir.resolve("corrections.yaml");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exit = Tools.run(new String[] {"corrections", "export", "--jdbc-url", url, "--db-user", "sa",
                "--rules", RULES.toString(), "--out", export.toString()},
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("1 reassigned complaint(s)");

            List<LabelledComplaint> corrections = LabelledComplaint.read(export);
            assertThat(corrections).hasSize(1);
            LabelledComplaint c = corrections.get(0);
            assertThat(rules.departmentFor(c.type())).isEqualTo(desk);
            assertThat(c.language()).isEqualTo("en");
            assertThat(c.text()).contains("Aurora kiosk").doesNotContain("138-0013-8000", "li.wei@example.com");

            ComplaintClassifier after = new ComplaintClassifier(rules,
                    SecondOpinion.train(List.of(DEVELOPMENT, export)));
            Classification next = after.classify(NEXT, "en", null, null);
            assertThat(before.classify(NEXT, "en", null, null).department()).isNotEqualTo(desk);
            assertThat(next.department()).as("signals %s", next.signals()).isEqualTo(desk);
            assertThat(next.signals()).anyMatch(s -> s.startsWith("model:" + c.type() + ":"));
        }
    }

    @Test
    void noReassignmentsGiveAnEmptyFileThatTrainsNothingWrong() throws Exception {
        String url = "jdbc:h2:mem:corrections-empty-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            try (Statement st = db.createStatement()) {
                st.execute("RUNSCRIPT FROM 'src/main/resources/db/migration/V18__complaint_history.sql'");
            }
            Path export = dir.resolve("corrections.yaml");
            int exit = Tools.run(new String[] {"corrections", "export", "--jdbc-url", url, "--db-user", "sa",
                "--rules", RULES.toString(), "--out", export.toString()}, new PrintStream(new ByteArrayOutputStream(),
                    true, StandardCharsets.UTF_8));
            assertThat(exit).isZero();
            assertThat(LabelledComplaint.read(export)).isEmpty();
            List<LabelledComplaint> all = new ArrayList<>(LabelledComplaint.read(DEVELOPMENT));
            all.addAll(LabelledComplaint.read(export));
            assertThat(SecondOpinion.train(all).examples()).isEqualTo(all.size());
        }
    }

    @Test
    void anUnreachableDatabaseIsReportedNotThrown() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Tools.run(new String[] {"corrections", "export", "--jdbc-url", "jdbc:h2:file:"
            + dir.resolve("missing/db") + ";IFEXISTS=TRUE", "--db-user", "sa", "--rules", RULES.toString(),
            "--out", dir.resolve("c.yaml").toString()}, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("cannot read the hub's database");
        assertThat(Files.exists(dir.resolve("c.yaml"))).isFalse();
    }
}
