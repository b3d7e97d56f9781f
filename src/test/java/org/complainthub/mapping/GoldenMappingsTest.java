package org.complainthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.complainthub.HubProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of every shipped mapping: {@code src/test/resources/golden/<mapping>/<case>.in.json} is what the
 * channel hands the mapping, {@code <case>.out.json} what the mapping must make of it (a record's fields, or a
 * platform mapping's customer messages). A changed mapping shows its diff here. After a deliberate change, write
 * the new outputs with {@code ./mvnw test -Dtest=GoldenMappingsTest -Dgolden.update=true} and read the diff.
 */
class GoldenMappingsTest {

    static final Path MAPPINGS = Path.of("mappings");
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ComplaintMapper MAPPER =
            new ComplaintMapper(new HubProperties(null, MAPPINGS, ZoneId.of("Asia/Shanghai"), "", ""));

    @Test
    void everyShippedMappingHasGoldenCases() throws IOException {
        try (Stream<Path> files = Files.list(MAPPINGS)) {
            List<String> mappings = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonata"))
                    .map(n -> n.substring(0, n.length() - ".jsonata".length())).sorted().toList();
            assertThat(mappings).isNotEmpty().allSatisfy(m -> assertThat(cases(m)).as("golden cases of %s", m)
                    .isNotEmpty());
        }
    }

    static Stream<Path> inputs() throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            return files.filter(p -> p.toString().endsWith(".in.json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void mapsItsSampleAsTheGoldenFileSays(Path input) throws IOException {
        String mapping = input.getParent().getFileName() + ".jsonata";
        Object payload = JSON.readValue(input.toFile(), Object.class);
        Object output = MAPPER.evaluate(payload, mapping);
        if (output instanceof Map<?, ?>) {
            MAPPER.map(payload, mapping); // a record mapping's output must be a record the hub can take
        }
        String actual = JSON.writeValueAsString(output) + "\n";
        Path expected = Path.of(input.toString().replace(".in.json", ".out.json"));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        assertThat(expected).as("golden output of %s (write it with -Dgolden.update=true)", input).exists();
        assertThat(actual).as("%s through %s", input.getFileName(), mapping)
                .isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }

    private static List<Path> cases(String mapping) {
        try (Stream<Path> files = Files.list(GOLDEN.resolve(mapping))) {
            return files.filter(p -> p.toString().endsWith(".in.json")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
