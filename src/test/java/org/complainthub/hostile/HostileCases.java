package org.complainthub.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cases of one channel: {@code src/test/resources/hostile/<channel>/cases.yaml} and the payload files beside it.
 * The load is strict, so a case that would check nothing fails: unknown keys, a name used twice, a reject or
 * quarantine without its reason, an accepted or ignored input without its why, a missing payload file, and a file in
 * the folder that no case names.
 */
public final class HostileCases {

    public static final Path ROOT = Path.of("src/test/resources/hostile");
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The index file's shape: the cases, and the good input that must still be a complaint after all of them. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Index {
        public String about;
        /** The webhook platform whose path and signature the cases use (messenger, whatsapp, instagram: meta). */
        public String platform;
        public List<HostileCase> cases = new ArrayList<>();
        public HostileCase probe;
    }

    private HostileCases() {
    }

    public static Index load(String channel) {
        Path folder = ROOT.resolve(channel);
        Index index;
        try {
            index = YAML.readValue(folder.resolve("cases.yaml").toFile(), Index.class);
        } catch (IOException e) {
            throw new UncheckedIOException("hostile/" + channel + "/cases.yaml cannot be read: " + e.getMessage(), e);
        }
        Set<String> names = new HashSet<>();
        Set<String> used = new HashSet<>(Set.of("cases.yaml"));
        List<HostileCase> all = new ArrayList<>(index.cases);
        assertThat(index.probe).as("hostile/" + channel + "/cases.yaml: a probe (a good input) is required").isNotNull();
        index.probe.name = index.probe.name == null ? "probe" : index.probe.name;
        all.add(index.probe);
        for (HostileCase c : all) {
            String where = "hostile/" + channel + "/cases.yaml, case " + c.name;
            c.channel = channel;
            c.folder = folder;
            assertThat(c.name).as(where + ": name").isNotBlank().matches("[a-z0-9][a-z0-9.-]*");
            assertThat(names.add(c.name)).as(where + ": the name is used twice").isTrue();
            assertThat(c.expect).as(where + ": expect").isNotNull();
            switch (c.expect) {
                case reject -> assertThat(c.reason).as(where + ": a reject case names its reason").isNotBlank();
                case quarantine -> assertThat(c.rows == null ? c.reason : "rows").as(where + ": a quarantine case names its reason (or rows)").isNotBlank();
                case accept, ignore -> assertThat(c.why).as(where + ": an " + c.expect + " case says why").isNotBlank();
            }
            if (c.file == null && c.generate == null && c.form == null && c.files == null && !"GET".equals(c.method)) {
                c.file = defaultFile(folder, c.name);
            }
            if (c.file != null) {
                assertThat(folder.resolve(c.file)).as(where + ": payload file").isRegularFile();
                used.add(c.file);
            }
            for (var f : c.files == null ? List.<java.util.Map<String, com.fasterxml.jackson.databind.JsonNode>>of() : c.files) {
                if (f.containsKey("file")) {
                    assertThat(folder.resolve(f.get("file").asText())).as(where + ": attachment file").isRegularFile();
                    used.add(f.get("file").asText());
                }
            }
            if (c.media != null) {
                c.media.values().stream().filter(m -> m.containsKey("file")).forEach(m -> used.add(m.get("file").asText()));
            }
            if (c.generate != null && c.generate.has("file")) {
                used.add(c.generate.get("file").asText());
            }
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> orphans = files.map(p -> p.getFileName().toString()).filter(n -> !used.contains(n)).sorted().toList();
            assertThat(orphans).as("hostile/" + channel + ": files no case names (a case without its index entry checks nothing)").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return index;
    }

    /** The one file named {@code <name>.<ext>}. */
    private static String defaultFile(Path folder, String name) {
        try (Stream<Path> files = Files.list(folder)) {
            List<String> found = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(name + ".") && !n.substring(name.length() + 1).contains(".")).toList();
            assertThat(found).as("hostile/" + folder.getFileName() + ": the payload file of case " + name
                    + " (" + name + ".<ext>, or file:/generate: in its entry)").hasSize(1);
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] read(HostileCase c, String file) {
        try {
            return Files.readAllBytes(c.folder.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
