package org.complainthub.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments after its name: words, and options written {@code --name value} or {@code --name=value}.
 *
 * @param words   the arguments that are no option, in order
 * @param options each option given, by name
 */
record CommandLine(List<String> words, Map<String, String> options) {

    /** Thrown for an option the command does not know, or one without a value. */
    static final class Mistake extends Exception {
        Mistake(String message) {
            super(message);
        }
    }

    /** {@code args[1..]} read with these option names. */
    static CommandLine parse(String[] args, Set<String> known) throws Mistake {
        Map<String, String> options = new HashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                words.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            if (name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            } else if (i + 1 < args.length) {
                value = args[++i];
            }
            if (!known.contains(name) || value == null || value.isBlank()) {
                throw new Mistake("unknown option or missing value: " + a);
            }
            options.put(name, value);
        }
        return new CommandLine(words, options);
    }
}
