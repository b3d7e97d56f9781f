package org.complainthub.classify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;

/**
 * The classification rules (type, grade, department, time limit), read once from the operator-edited YAML file
 * {@code mappings/rules/classification.yaml} with every pattern compiled up front. Immutable and thread-safe.
 * <p>
 * A bad file fails the load with an {@link InvalidRulesException} naming the file and the key, so a typo stops the
 * start-up instead of silently classifying everything as OTHER.
 */
public final class ClassificationRules {

    /** The language key whose patterns apply to every language. */
    static final String ANY = "any";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    /** A full stop between digits (1.5) never ends a clause; see ComplaintText. */
    private static final String DEFAULT_CLAUSE_BREAKS = "。、…,.!?;\n\r";
    private static final Set<String> TOP_KEYS = Set.of("version", "clauseBreaks", "negation", "types", "grades",
            "amounts", "timeLimits", "departments");

    /** One rule: a type rule (type, weight) or a grade rule (raise, or set for a suggestion). */
    static final class Rule {
        final int index;
        final String id;
        final String signal;
        final ComplaintType type;
        final int weight;
        final Grade raise;
        final Grade set;
        /** For a set rule: it applies even after problem signals, as long as they raised the grade no higher. */
        final Grade overrides;
        final boolean negatable;
        private final Map<String, Pattern> unless;
        private final Pattern allUnless;

        Rule(int index, String id, String signal, ComplaintType type, int weight, Grade raise, Grade set,
             Grade overrides, boolean negatable, Map<String, Pattern> unless, Pattern allUnless) {
            this.index = index;
            this.id = id;
            this.signal = signal;
            this.type = type;
            this.weight = weight;
            this.raise = raise;
            this.set = set;
            this.overrides = overrides;
            this.negatable = negatable;
            this.unless = Map.copyOf(unless);
            this.allUnless = allUnless;
        }

        /** The rule's unless patterns for a language (its own plus {@code any}; all when null), or null. */
        Pattern unless(String language) {
            return language == null ? allUnless : unless.get(language);
        }
    }

    private final String source;
    private final String clauseBreaks;
    private final Set<String> languages;
    private final Map<String, PrecedingWords> negations;
    private final List<PrecedingWords> allNegations;
    private final Map<String, KeywordIndex> indexes;
    private final KeywordIndex allIndex;
    private final List<Rule> rules;
    private final List<Rule> typeRules;
    private final List<Rule> raiseRules;
    private final List<Rule> setRules;
    private final Grade defaultGrade;
    private final BigDecimal gradeAOver;
    private final Grade anyLossAtLeast;
    private final String homeCurrency;
    private final Map<String, BigDecimal> rates;
    private final Map<Grade, Duration> timeLimits;
    private final Map<ComplaintType, String> departments;

    private ClassificationRules(Loader l) {
        this.source = l.file;
        this.clauseBreaks = l.clauseBreaks;
        this.languages = Collections.unmodifiableSet(l.languages);
        this.negations = Collections.unmodifiableMap(l.negations);
        this.allNegations = List.copyOf(l.negations.values());
        this.indexes = Collections.unmodifiableMap(l.indexes);
        this.allIndex = l.allIndex;
        this.rules = List.copyOf(l.rules);
        this.typeRules = List.copyOf(l.typeRules);
        this.raiseRules = List.copyOf(l.raiseRules);
        this.setRules = List.copyOf(l.setRules);
        this.defaultGrade = l.defaultGrade;
        this.gradeAOver = l.gradeAOver;
        this.anyLossAtLeast = l.anyLossAtLeast;
        this.homeCurrency = l.homeCurrency;
        this.rates = Collections.unmodifiableMap(l.rates);
        this.timeLimits = Collections.unmodifiableMap(l.timeLimits);
        this.departments = Collections.unmodifiableMap(l.departments);
    }

    /** Reads and checks the rules file; throws {@link InvalidRulesException} naming the file and key on any problem. */
    public static ClassificationRules load(Path file) {
        String name = file.toString();
        JsonNode root;
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = yaml.readTree(in);
        } catch (IOException e) {
            throw new InvalidRulesException(name, "", "cannot read the rules file: " + e.getMessage(), e);
        }
        return new ClassificationRules(new Loader(name, root));
    }

    /** Where the rules were read from. */
    public String source() {
        return source;
    }

    /** Every department a complaint can be routed to (one queue each). */
    public Set<String> departments() {
        return Collections.unmodifiableSet(new TreeSet<>(departments.values()));
    }

    public String departmentFor(ComplaintType type) {
        return departments.get(type == null ? ComplaintType.OTHER : type);
    }

    /** The types whose complaints go to a department, in the types' order; empty for a department the rules lack. */
    public List<ComplaintType> typesOf(String department) {
        return departments.entrySet().stream().filter(e -> e.getValue().equals(department)).map(Map.Entry::getKey)
                .toList();
    }

    public Duration timeLimit(Grade grade) {
        return timeLimits.get(grade);
    }

    /** The languages the rules have patterns for, such as zh and en. */
    public Set<String> languages() {
        return languages;
    }

    /** The currency of amounts written without one (amounts.currency), which the rates and thresholds are in. */
    public String homeCurrency() {
        return homeCurrency;
    }

    /** The value of an amount in the home currency, or null when its currency has no rate. */
    public BigDecimal toHomeCurrency(Complaint.Amount amount) {
        if (amount == null || amount.value() == null) {
            return null;
        }
        String currency = amount.currency() == null || amount.currency().isBlank()
                ? homeCurrency : amount.currency().trim().toUpperCase(Locale.ROOT);
        BigDecimal rate = rates.get(currency);
        return rate == null ? null : amount.value().multiply(rate);
    }

    /** The rules' key for a requested language ("zh-CN" gives "zh"); null when unknown, meaning: try all. */
    String language(String requested) {
        if (requested == null) {
            return null;
        }
        String l = requested.trim().toLowerCase(Locale.ROOT);
        int cut = l.indexOf('-') >= 0 ? l.indexOf('-') : l.indexOf('_');
        if (cut > 0) {
            l = l.substring(0, cut);
        }
        return languages.contains(l) ? l : null;
    }

    /** The characters that end a clause. */
    String clauseBreaks() {
        return clauseBreaks;
    }

    /** The negation word lists to try before a match, for a language (all of them when it is null). */
    Collection<PrecedingWords> negations(String language) {
        if (language == null) {
            return allNegations;
        }
        PrecedingWords p = negations.get(language);
        return p == null ? List.of() : List.of(p);
    }

    /** The patterns of every rule for a language (its own plus {@code any}; all of them when null), indexed. */
    KeywordIndex index(String language) {
        return language == null ? allIndex : indexes.get(language);
    }

    /** Every rule, type rules first, then raise rules, then set rules; a rule's index is its place here. */
    List<Rule> rules() {
        return rules;
    }

    List<Rule> typeRules() {
        return typeRules;
    }

    List<Rule> raiseRules() {
        return raiseRules;
    }

    List<Rule> setRules() {
        return setRules;
    }

    Grade defaultGrade() {
        return defaultGrade;
    }

    BigDecimal gradeAOver() {
        return gradeAOver;
    }

    Grade anyLossAtLeast() {
        return anyLossAtLeast;
    }

    /** Reads the tree into the fields, checking every key; each error names the key path. */
    private static final class Loader {
        final String file;
        String clauseBreaks;
        final Set<String> languages = new LinkedHashSet<>();
        final Map<String, PrecedingWords> negations = new LinkedHashMap<>();
        final Map<String, KeywordIndex> indexes = new HashMap<>();
        KeywordIndex allIndex;
        final List<Rule> rules = new ArrayList<>();
        final List<Rule> typeRules = new ArrayList<>();
        final List<Rule> raiseRules = new ArrayList<>();
        final List<Rule> setRules = new ArrayList<>();
        Grade defaultGrade;
        BigDecimal gradeAOver;
        Grade anyLossAtLeast;
        String homeCurrency;
        final Map<String, BigDecimal> rates = new HashMap<>();
        final Map<Grade, Duration> timeLimits = new EnumMap<>(Grade.class);
        final Map<ComplaintType, String> departments = new EnumMap<>(ComplaintType.class);

        /** Rules as read, before the language list is known: compiled per language afterwards. */
        private final List<RawRule> rawTypes = new ArrayList<>();
        private final List<RawRule> rawGrades = new ArrayList<>();

        Loader(String file, JsonNode root) {
            this.file = file;
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw error("", "the file is empty");
            }
            requireObject(root, "");
            onlyKeys(root, "", TOP_KEYS);
            clauseBreaks = root.has("clauseBreaks")
                    ? ComplaintText.fold(text(root.get("clauseBreaks"), "clauseBreaks")) + "\n\r"
                    : DEFAULT_CLAUSE_BREAKS;
            readTypes(required(root, "types", ""));
            readGrades(required(root, "grades", ""));
            if (root.has("negation")) {
                readNegation(root.get("negation"));
            }
            readAmounts(required(root, "amounts", ""));
            readTimeLimits(required(root, "timeLimits", ""));
            readDepartments(required(root, "departments", ""));
            languages.remove(ANY);
            List<RawRule> all = new ArrayList<>(rawTypes);
            rawGrades.stream().filter(r -> r.set == null).forEach(all::add);
            rawGrades.stream().filter(r -> r.set != null).forEach(all::add);
            for (RawRule raw : all) {
                Rule r = raw.compile(this, rules.size());
                rules.add(r);
                (r.type != null ? typeRules : r.raise != null ? raiseRules : setRules).add(r);
            }
            for (String lang : languages) {
                indexes.put(lang, index(all, lang));
            }
            allIndex = index(all, null);
        }

        private static KeywordIndex index(List<RawRule> all, String lang) {
            List<List<String>> sources = new ArrayList<>();
            for (RawRule r : all) {
                List<String> mine = new ArrayList<>();
                r.patterns.forEach((l, list) -> {
                    if (lang == null || l.equals(lang) || l.equals(ANY)) {
                        mine.addAll(list);
                    }
                });
                sources.add(mine);
            }
            return KeywordIndex.of(sources, FLAGS);
        }

        private void readTypes(JsonNode types) {
            requireArray(types, "types");
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < types.size(); i++) {
                JsonNode n = types.get(i);
                String path = "types[" + i + "]";
                requireObject(n, path);
                onlyKeys(n, path, Set.of("id", "type", "weight", "patterns", "unless", "negatable", "note"));
                RawRule r = ruleBase(n, path, ids, "type:");
                r.type = enumValue(ComplaintType.class, text(required(n, "type", path), r.path + ".type"),
                        r.path + ".type");
                if (n.has("weight")) {
                    JsonNode w = n.get("weight");
                    if (!w.isInt() || w.intValue() <= 0) {
                        throw error(r.path + ".weight", "must be a whole number above 0, not '" + w.asText() + "'");
                    }
                    r.weight = w.intValue();
                }
                rawTypes.add(r);
            }
        }

        private void readGrades(JsonNode grades) {
            requireObject(grades, "grades");
            onlyKeys(grades, "grades", Set.of("default", "rules"));
            defaultGrade = enumValue(Grade.class, text(required(grades, "default", "grades"), "grades.default"),
                    "grades.default");
            JsonNode rules = required(grades, "rules", "grades");
            requireArray(rules, "grades.rules");
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < rules.size(); i++) {
                JsonNode n = rules.get(i);
                String path = "grades.rules[" + i + "]";
                requireObject(n, path);
                onlyKeys(n, path, Set.of("id", "raise", "set", "overrides", "patterns", "unless", "negatable", "note"));
                RawRule r = ruleBase(n, path, ids, "grade:");
                if (n.has("raise") == n.has("set")) {
                    throw error(r.path, "a grade rule needs exactly one of 'raise' (a problem signal: the minimum"
                            + " grade it sets) or 'set' (a suggestion: applies only when no problem signal matched)");
                }
                if (n.has("raise")) {
                    r.raise = enumValue(Grade.class, text(n.get("raise"), r.path + ".raise"), r.path + ".raise");
                } else {
                    r.set = enumValue(Grade.class, text(n.get("set"), r.path + ".set"), r.path + ".set");
                }
                if (n.has("overrides")) {
                    if (r.set == null) {
                        throw error(r.path + ".overrides", "only a 'set' rule can override problem signals");
                    }
                    r.overrides = enumValue(Grade.class, text(n.get("overrides"), r.path + ".overrides"),
                            r.path + ".overrides");
                }
                rawGrades.add(r);
            }
        }

        private RawRule ruleBase(JsonNode n, String path, Set<String> ids, String signalPrefix) {
            String id = text(required(n, "id", path), path + ".id");
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.>-]*")) {
                throw error(path + ".id", "'" + id + "' is not a valid id (letters, digits, - _ . only)");
            }
            String named = path + " (id " + id + ")";
            if (!ids.add(id)) {
                throw error(named + ".id", "the id '" + id + "' is used twice");
            }
            RawRule r = new RawRule();
            r.id = id;
            r.path = named;
            r.signal = signalPrefix + id;
            r.patterns = patternsByLanguage(required(n, "patterns", named), named + ".patterns");
            if (r.patterns.isEmpty()) {
                throw error(named + ".patterns", "no pattern given");
            }
            r.unless = n.has("unless") ? patternsByLanguage(n.get("unless"), named + ".unless") : Map.of();
            if (n.has("negatable")) {
                if (!n.get("negatable").isBoolean()) {
                    throw error(named + ".negatable", "must be true or false");
                }
                r.negatable = n.get("negatable").booleanValue();
            }
            return r;
        }

        /** {zh: [regex...], en: regex, any: [...]}: each checked on its own so an error points at the one. */
        private Map<String, List<String>> patternsByLanguage(JsonNode n, String path) {
            requireObject(n, path);
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String lang = e.getKey();
                String langPath = path + "." + lang;
                if (!lang.matches("[a-z]{2,3}")) {
                    throw error(langPath, "not a language key: use a language code such as zh or en, or 'any'");
                }
                List<String> list = new ArrayList<>();
                JsonNode v = e.getValue();
                if (v.isArray()) {
                    for (int i = 0; i < v.size(); i++) {
                        list.add(text(v.get(i), langPath + "[" + i + "]"));
                        compile(list.get(i), langPath + "[" + i + "]");
                    }
                } else {
                    list.add(text(v, langPath));
                    compile(list.get(0), langPath);
                }
                languages.add(lang);
                out.put(lang, list);
            }
            return out;
        }

        private void readNegation(JsonNode n) {
            requireObject(n, "negation");
            int maxFillers = 3;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "negation." + e.getKey();
                if (e.getKey().equals("maxFillers")) {
                    if (!e.getValue().isInt() || e.getValue().intValue() < 0) {
                        throw error(path, "must be a whole number, 0 or more");
                    }
                    maxFillers = e.getValue().intValue();
                } else if (!e.getKey().matches("[a-z]{2,3}")) {
                    throw error(path, "not a language key: use a language code such as zh or en");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("maxFillers")) {
                    continue;
                }
                String lang = e.getKey();
                String path = "negation." + lang;
                JsonNode l = e.getValue();
                requireObject(l, path);
                onlyKeys(l, path, Set.of("words", "fillers", "except"));
                List<String> words = words(required(l, "words", path), path + ".words");
                List<String> fillers = l.has("fillers") ? words(l.get("fillers"), path + ".fillers") : List.of();
                List<String> except = l.has("except") ? words(l.get("except"), path + ".except") : List.of();
                negations.put(lang, new PrecedingWords(fold(words), fold(fillers), fold(except), maxFillers));
                languages.add(lang);
            }
        }

        private static List<String> fold(List<String> words) {
            return words.stream().map(ComplaintText::fold).toList();
        }

        private List<String> words(JsonNode n, String path) {
            requireArray(n, path);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                out.add(text(n.get(i), path + "[" + i + "]"));
            }
            if (out.isEmpty()) {
                throw error(path, "the list is empty");
            }
            return out;
        }

        private void readAmounts(JsonNode n) {
            requireObject(n, "amounts");
            onlyKeys(n, "amounts", Set.of("gradeAOver", "anyLossAtLeast", "currency", "rates"));
            gradeAOver = number(required(n, "gradeAOver", "amounts"), "amounts.gradeAOver");
            anyLossAtLeast = enumValue(Grade.class, text(required(n, "anyLossAtLeast", "amounts"),
                    "amounts.anyLossAtLeast"), "amounts.anyLossAtLeast");
            homeCurrency = n.has("currency") ? text(n.get("currency"), "amounts.currency") : "CNY";
            JsonNode r = required(n, "rates", "amounts");
            requireObject(r, "amounts.rates");
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "amounts.rates." + e.getKey();
                if (!e.getKey().matches("[A-Z]{3}")) {
                    throw error(path, "not a currency code (three capital letters, such as USD)");
                }
                BigDecimal rate = number(e.getValue(), path);
                if (rate.signum() <= 0) {
                    throw error(path, "a rate must be above 0");
                }
                rates.put(e.getKey(), rate);
            }
            if (!rates.containsKey(homeCurrency)) {
                throw error("amounts.rates", "no rate for the home currency " + homeCurrency + " (it should be 1)");
            }
        }

        private void readTimeLimits(JsonNode n) {
            requireObject(n, "timeLimits");
            onlyKeys(n, "timeLimits", names(Grade.values()));
            for (Grade g : Grade.values()) {
                String path = "timeLimits." + g;
                String v = text(required(n, g.name(), "timeLimits"), path);
                try {
                    Duration d = Duration.parse(v);
                    if (d.isNegative() || d.isZero()) {
                        throw error(path, "must be above zero");
                    }
                    timeLimits.put(g, d);
                } catch (DateTimeParseException e) {
                    throw error(path, "'" + v + "' is not an ISO-8601 duration such as PT8H or P2D");
                }
            }
        }

        private void readDepartments(JsonNode n) {
            requireObject(n, "departments");
            onlyKeys(n, "departments", names(ComplaintType.values()));
            for (ComplaintType t : ComplaintType.values()) {
                String path = "departments." + t;
                String d = text(required(n, t.name(), "departments"), path);
                if (!d.matches("[a-z0-9][a-z0-9-]*")) {
                    throw error(path, "'" + d + "' is not a department name (lower case, digits and -: it names a"
                            + " queue)");
                }
                departments.put(t, d);
            }
        }

        // ---- small checks that name the key ----

        private Pattern compile(String regex, String path) {
            try {
                return Pattern.compile(regex, FLAGS);
            } catch (PatternSyntaxException e) {
                throw error(path, "invalid regular expression '" + regex + "': " + e.getDescription()
                        + " near index " + e.getIndex(), e);
            }
        }

        private static Set<String> names(Enum<?>[] values) {
            Set<String> s = new HashSet<>();
            for (Enum<?> v : values) {
                s.add(v.name());
            }
            return s;
        }

        private <E extends Enum<E>> E enumValue(Class<E> type, String value, String path) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(path, "'" + value + "' is not one of " + List.of(type.getEnumConstants()));
            }
        }

        private BigDecimal number(JsonNode n, String path) {
            if (n == null || !n.isNumber()) {
                throw error(path, "must be a number");
            }
            return new BigDecimal(n.asText());
        }

        private String text(JsonNode n, String path) {
            if (n != null && n.isBoolean()) {
                throw error(path, "must be a text, but YAML read it as " + n.asText() + ": put it in quotes"
                        + " (YAML takes no, yes, on, off, true, false unquoted as true or false)");
            }
            if (n == null || !(n.isTextual() || n.isNumber()) || n.asText().isBlank()) {
                throw error(path, "must be a non-empty text");
            }
            return n.asText();
        }

        private JsonNode required(JsonNode n, String key, String path) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                throw error(path.isEmpty() ? key : path + "." + key, "is missing");
            }
            return v;
        }

        private void requireObject(JsonNode n, String path) {
            if (!n.isObject()) {
                throw error(path, "must be a map of keys");
            }
        }

        private void requireArray(JsonNode n, String path) {
            if (!n.isArray()) {
                throw error(path, "must be a list");
            }
        }

        private void onlyKeys(JsonNode n, String path, Set<String> allowed) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw error(path.isEmpty() ? k : path + "." + k,
                            "unknown key; expected one of " + new TreeSet<>(allowed));
                }
            }
        }

        InvalidRulesException error(String key, String problem) {
            return error(key, problem, null);
        }

        InvalidRulesException error(String key, String problem, Throwable cause) {
            return new InvalidRulesException(file, key, problem, cause);
        }

        /** A rule as read; compiled into one pattern per language once every language in the file is known. */
        private static final class RawRule {
            String id;
            String path;
            String signal;
            ComplaintType type;
            int weight = 1;
            Grade raise;
            Grade set;
            Grade overrides;
            boolean negatable = true;
            Map<String, List<String>> patterns;
            Map<String, List<String>> unless;

            Rule compile(Loader l, int index) {
                Map<String, Pattern> unlessByLanguage = new HashMap<>();
                for (String lang : l.languages) {
                    Pattern u = union(l, unless, lang, path + ".unless");
                    if (u != null) {
                        unlessByLanguage.put(lang, u);
                    }
                }
                return new Rule(index, id, signal, type, weight, raise, set, overrides, negatable, unlessByLanguage,
                        union(l, unless, null, path + ".unless"));
            }

            /** One alternation of a language's patterns and the 'any' ones (all of them for a null language). */
            private static Pattern union(Loader l, Map<String, List<String>> byLanguage, String lang, String path) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, List<String>> e : byLanguage.entrySet()) {
                    if (lang == null || e.getKey().equals(lang) || e.getKey().equals(ANY)) {
                        parts.addAll(e.getValue());
                    }
                }
                if (parts.isEmpty()) {
                    return null;
                }
                return l.compile(parts.stream().map(p -> "(?:" + p + ")").collect(Collectors.joining("|")), path);
            }
        }
    }
}
