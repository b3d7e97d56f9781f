package org.complainthub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The call direction of issue 14: channel -> intake -> dispatch -> outbound, each stage using only the ones before it
 * and the core packages (complaint, classify, dedup, evidence, mapping, broker, web, health, the top-level classes).
 * What a later stage needs from a channel travels in the record (threadOf, replyRef, customer.handle) or through dispatch's
 * own tables, never through an import. Read from the main source files: every reference to a package of the hub
 * (imports, and names written out in full in the code), comments and string literals left out.
 */
class ArchitectureTest {

    static final Path MAIN = Path.of("src/main/java/org/complainthub");

    /** The channels: channel/ and the web form (a channel outside channel/). */
    static final Set<String> CHANNELS = Set.of("channel", "webform");

    /** For each stage, the packages it must never name. */
    static final Map<String, Set<String>> FORBIDDEN = new LinkedHashMap<>();

    static {
        // intake hands its complaints to dispatch (the Kamelet's last step, BatchIntake's one-transaction send): the call
        // direction; it never reads outbound's state
        FORBIDDEN.put("intake", Set.of("channel", "webform", "outbound"));
        FORBIDDEN.put("dispatch", Set.of("channel", "webform", "intake"));
        FORBIDDEN.put("outbound", Set.of("channel", "webform", "intake", "dispatch"));
        // the core is used by every stage: it uses none but intake's rejection types (FieldError, SubmissionRejected:
        // the vocabulary of a refused submission, still in intake/)
        for (String core : List.of("complaint", "classify", "dedup", "evidence", "mapping", "broker", "web", "health", "")) {
            FORBIDDEN.put(core, Set.of("channel", "webform", "dispatch", "outbound"));
        }
        // the operators' tools sit on top of every stage (tools/: try, check; ops/: the quarantine replay; report/: the
        // monthly report, a reader of the history) and may name them all; no stage names them (HubApplication, at the top, hands its command line to tools/)
        for (String stage : List.of("channel", "webform", "intake", "dispatch", "outbound", "complaint", "classify",
                "dedup", "evidence", "mapping", "broker", "web")) {
            Set<String> more = new java.util.HashSet<>(FORBIDDEN.getOrDefault(stage, Set.of()));
            more.addAll(Set.of("tools", "ops", "report"));
            FORBIDDEN.put(stage, Set.copyOf(more));
        }
    }

    /** Known exceptions, each with the reason it is still there: none. */
    static final Map<String, Set<String>> ALLOWED = Map.of();

    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.complainthub\\.([a-z]+)\\b");

    @Test
    void noStageNamesAChannelOrALaterStage() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                sources.put(MAIN.relativize(f).toString().replace('\\', '/'), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(sources).as("the main sources under " + MAIN.toAbsolutePath()).hasSizeGreaterThan(50)
                .containsKeys("dispatch/ComplaintDispatch.java", "intake/ComplaintClassification.java",
                        "outbound/EmailTranslator.java");
        assertThat(violations(sources)).as("references against the call direction (file -> package)").isEmpty();
    }

    /** The checker itself catches an import, a name written out in full, and leaves comments and strings alone. */
    @Test
    void theCheckerSeesImportsAndFullNamesButNotCommentsOrStrings() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("dispatch/Sneaky.java", """
                package org.complainthub.dispatch;
                import org.complainthub.channel.webhook.SocialThreads;
                class Sneaky {
                }
                """);
        sources.put("outbound/chat/Inline.java", """
                package org.complainthub.outbound.chat;
                class Inline {
                    org.complainthub.intake.ComplaintValidator validator;
                }
                """);
        sources.put("intake/Innocent.java", """
                package org.complainthub.intake;
                import org.complainthub.complaint.Complaint;
                /** Not {@link org.complainthub.outbound.ContactLedger}: a comment. */
                class Innocent {
                    // org.complainthub.dispatch.ComplaintDispatch decides the follow-ups
                    String logger = "org.complainthub.channel";
                    char c = '"';
                    String block = \"""
                            org.complainthub.outbound.HubEvents
                            \""";
                }
                """);
        sources.put("dispatch/BatchIntake.java", """
                package org.complainthub.dispatch;
                import org.complainthub.intake.ComplaintValidator;
                import org.complainthub.outbound.ContactLedger;
                """);
        sources.put("complaint/Core.java", """
                package org.complainthub.complaint;
                import org.complainthub.intake.FieldError;
                import org.complainthub.outbound.Contact;
                """);
        assertThat(violations(sources)).containsExactly("complaint/Core.java -> outbound",
                "dispatch/BatchIntake.java -> intake",
                "dispatch/Sneaky.java -> channel", "outbound/chat/Inline.java -> intake");
    }

    /** "file -> package" for each reference a file's stage must not make, sorted. */
    static List<String> violations(Map<String, String> sources) {
        Set<String> found = new TreeSet<>();
        sources.forEach((file, source) -> {
            String stage = file.contains("/") ? file.substring(0, file.indexOf('/')) : "";
            Set<String> forbidden = FORBIDDEN.getOrDefault(stage, Set.of());
            Matcher m = REFERENCE.matcher(code(source));
            while (m.find()) {
                String target = m.group(1);
                if (!target.equals(stage) && forbidden.contains(target)
                        && !ALLOWED.getOrDefault(file, Set.of()).contains(target)) {
                    found.add(file + " -> " + target);
                }
            }
        });
        return new ArrayList<>(found);
    }

    /** The source without its comments, string and character literals and text blocks (each becomes a space). */
    static String code(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                i = end(s, "\n", i + 2);
            } else if (s.startsWith("/*", i)) {
                i = end(s, "*/", i + 2);
            } else if (s.startsWith("\"\"\"", i)) {
                i = end(s, "\"\"\"", i + 3);
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char quote = s.charAt(i++);
                while (i < s.length() && s.charAt(i) != quote && s.charAt(i) != '\n') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                out.append(s.charAt(i++));
                continue;
            }
            out.append(' ');
        }
        return out.toString();
    }

    /** The index just after {@code closing} from {@code from} on (an escaped quote in a text block is skipped). */
    private static int end(String s, String closing, int from) {
        int i = from;
        while (i < s.length() && !s.startsWith(closing, i)) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(s.length(), i + closing.length());
    }
}
