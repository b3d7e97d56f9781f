package org.complainthub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The named exchange properties are constants in one place ({@link HubExchange}): every {@code hub...} property a
 * route (routes/, src/main/resources) or a class names is one of them, and each of them is used.
 */
class HubExchangeTest {

    /** JMS properties of the outbound queues (not exchange properties): the README documents them with the queues. */
    static final Set<String> JMS_PROPERTIES = Set.of("hubFailureReason", "hubLastFailure", "hubFailedRoute", "hubAttempts",
            "hubHubFaults");

    private static final Pattern IN_ROUTES = Pattern.compile("exchangeProperty\\.(hub[A-Z]\\w*)|name: (hub[A-Z]\\w*)");
    private static final Pattern IN_JAVA = Pattern.compile("\"(hub[A-Z]\\w*)\"");

    @Test
    void everyHubPropertyOfTheRoutesAndClassesIsAConstantOfHubExchangeAndEachIsUsed() throws Exception {
        Set<String> constants = constants();
        Set<String> inRoutes = found(Stream.concat(files(Path.of("routes"), ".yaml"), files(Path.of("src/main/resources"), ".yaml")),
                IN_ROUTES);
        Set<String> inJava = found(files(Path.of("src/main/java"), ".java")
                .filter(f -> !f.getFileName().toString().equals("HubExchange.java")), IN_JAVA);
        inJava.removeAll(JMS_PROPERTIES);

        assertThat(inRoutes).as("hub properties the routes use").isNotEmpty().isSubsetOf(constants);
        assertThat(inJava).as("hub properties written out in classes instead of HubExchange's constants").isEmpty();
        String java = files(Path.of("src/main/java"), ".java").filter(f -> !f.getFileName().toString().equals("HubExchange.java"))
                .map(HubExchangeTest::read).collect(Collectors.joining("\n"));
        Set<String> unused = new TreeSet<>();
        for (Field f : HubExchange.class.getFields()) {
            if (!java.contains("HubExchange." + f.getName()) && !inRoutes.contains((String) f.get(null))) {
                unused.add(f.getName());
            }
        }
        assertThat(unused).as("constants no route and no class uses").isEmpty();
    }

    @Test
    void theScanFindsWhatItLooksFor() {
        Matcher m = IN_ROUTES.matcher("simple: \"${exchangeProperty.hubCallLog}\"\n  name: hubHotlineFormat");
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        assertThat(names).containsExactly("hubCallLog", "hubHotlineFormat");
        assertThat(IN_JAVA.matcher("exchange.getProperty(\"hubSomething\")").find()).isTrue();
    }

    private static Set<String> constants() throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field f : HubExchange.class.getFields()) {
            assertThat(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())).isTrue();
            values.add((String) f.get(null));
        }
        assertThat(values).hasSize(HubExchange.class.getFields().length);
        return values;
    }

    private static Set<String> found(Stream<Path> files, Pattern p) {
        Set<String> names = new TreeSet<>();
        files.map(HubExchangeTest::read).forEach(text -> {
            Matcher m = p.matcher(text);
            while (m.find()) {
                names.add(Arrays.stream(new String[] {m.group(1), m.groupCount() > 1 ? m.group(2) : null})
                        .filter(s -> s != null).findFirst().orElseThrow());
            }
        });
        return names;
    }

    private static Stream<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(f -> f.toString().endsWith(suffix)).toList().stream();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
