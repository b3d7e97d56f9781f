package org.complainthub.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * IT's tools, from the hub's own jar; try and check need no broker, database or port, quarantine asks the running hub:
 * <pre>
 *   java -jar complaint-hub.jar try &lt;mapping-file | channel&gt; &lt;sample-file&gt; [options]
 *   java -jar complaint-hub.jar check [options]
 *   java -jar complaint-hub.jar quarantine list|replay ... (QuarantineCommand)
 *   java -jar complaint-hub.jar corrections export ... (CorrectionsCommand)
 * </pre>
 * Options: {@code --mappings DIR --routes DIR --channel-config DIR --rules FILE} (defaults: the hub's, relative to the
 * working directory). Exit codes: 0 all well, 1 a problem found (an invalid record, a configuration problem), 2 the
 * command could not run (usage, an unreadable file).
 */
public final class Tools {

    private static final Set<String> COMMANDS = Set.of("try", "check", "quarantine", "corrections");
    private static final Set<String> OPTIONS = Set.of("mappings", "routes", "channel-config", "rules");

    static final String USAGE = """
            usage:
              java -jar complaint-hub.jar try <mapping-file | channel> <sample-file> [options]
                  a sample payload (JSON, XML, form body, .eml mail, .csv call log) through the channel's reading and
                  the intake steps: the complaint record, its classification with the rules that fired, every
                  validation error. Nothing is stored or sent.
              java -jar complaint-hub.jar check [options]
                  routes/, channel-config/, mappings/, the rules file and the templates, as the hub checks them at
                  start-up: every problem with its file and key.
            options (default: the hub's folders in the working directory):
              --mappings DIR  --routes DIR  --channel-config DIR  --rules FILE
            """ + QuarantineCommand.USAGE.indent(2) + CorrectionsCommand.USAGE.indent(2) + """
            exit: 0 all well, 1 a problem found (quarantine replay: a message not taken), 2 the command could not run""";

    private Tools() {
    }

    /** The first argument names a tool: the hub does not start. */
    public static boolean isTool(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** From the command line: the hub's logging kept out of the tool's output. */
    public static int main(String[] args) {
        // commons-logging and spring-jcl are both in the jar: commons-logging's discovery finds spring-jcl's service,
        // which announces itself on standard output; naming the factory skips the discovery (JCL goes to SLF4J)
        if (System.getProperty("org.apache.commons.logging.LogFactory") == null) {
            System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.Slf4jLogFactory");
        }
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logging) {
            logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        return run(args, System.out);
    }

    /** Runs {@code args} (the tool's name first), writing to {@code out}; the exit code. */
    public static int run(String[] args, PrintStream out) {
        return run(args, out, System.getenv());
    }

    /** As {@link #run(String[], PrintStream)}, with the environment the quarantine command reads its defaults from. */
    public static int run(String[] args, PrintStream out, Map<String, String> env) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
        }
        if (args[0].equals("quarantine")) { // a client of the running hub: options of its own
            return QuarantineCommand.run(args, out, env);
        }
        if (args[0].equals("corrections")) { // reads the hub's database: options of its own
            return CorrectionsCommand.run(args, out);
        }
        CommandLine line;
        try {
            line = CommandLine.parse(args, OPTIONS);
        } catch (CommandLine.Mistake e) {
            return usage(out, e.getMessage());
        }
        Map<String, String> options = line.options();
        List<String> words = line.words();
        HubFolders folders = HubFolders.of(options);
        try {
            if (args[0].equals("check")) {
                if (!words.isEmpty()) {
                    return usage(out, "check takes no arguments but options: " + words);
                }
                return check(folders, out);
            }
            if (words.size() != 2) {
                return usage(out, "try needs a mapping file or channel and a sample file");
            }
            String target = words.get(0);
            Path mapping = Path.of(target);
            if (target.endsWith(".jsonata") && mapping.getParent() != null && !options.containsKey("mappings")) {
                // try mappings/slack.jsonata ...: the mapping's own folder is the mappings folder
                folders = folders.withMappings(mapping.getParent());
            }
            return TryCommand.run(target, Path.of(words.get(1)), folders, out);
        } catch (TryCommand.Usage e) {
            return usage(out, e.getMessage());
        }
    }

    private static int check(HubFolders folders, PrintStream out) {
        HubCheck.Result result = HubCheck.run(folders, folders.environment());
        out.println("check: " + result.summary());
        result.notes().forEach(n -> out.println("note: " + n));
        result.problems().forEach(out::println);
        out.println(result.ok() ? "all well" : result.problems().size() + " problem(s)");
        return result.ok() ? 0 : 1;
    }

    private static int usage(PrintStream out, String problem) {
        out.println(problem);
        out.println("(--help shows the usage)");
        return 2;
    }
}
