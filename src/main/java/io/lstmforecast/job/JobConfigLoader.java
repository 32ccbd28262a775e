package io.lstmforecast.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lstmforecast.config.Durations;
import io.lstmforecast.state.ForecastPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.TimeFeatures;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job definition: YAML, then {@code key=value} overrides with dotted keys (as the command
 * line's --set), then defaults and checks. A problem is reported as {@link InvalidJobException}
 * in one sentence naming the key and what to write instead.
 */
public final class JobConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Mappings whose keys belong to Kafka or Flink, passed through unchecked. */
    private static final Set<String> PASS_THROUGH = Set.of("kafka.properties", "flink");

    private JobConfigLoader() {
    }

    /** A job definition that cannot be used. */
    public static final class InvalidJobException extends RuntimeException {
        public InvalidJobException(String message) {
            super(message);
        }
    }

    /** Accepts a job file path, a job directory, or a name under jobs/ (e.g. "sensors"). */
    public static Path resolve(String job) {
        Path p = Path.of(job);
        if (Files.isDirectory(p)) {
            p = p.resolve("job.yaml");
        } else if (!Files.exists(p) && !job.contains("/") && Files.isRegularFile(Path.of("jobs", job, "job.yaml"))) {
            p = Path.of("jobs", job, "job.yaml");
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidJobException("job definition '" + job + "' not found: give a job.yaml path, its directory,"
                    + " or a name under jobs/ (sensors, tracks)");
        }
        return p;
    }

    public static JobConfig load(Path file, List<String> overrides) {
        ObjectNode root;
        try {
            JsonNode tree = YAML.readTree(Files.readAllBytes(file));
            if (tree == null || !tree.isObject()) {
                throw new InvalidJobException(file + " must be a YAML mapping of job settings");
            }
            root = (ObjectNode) tree;
        } catch (IOException e) {
            String why = e.getMessage().lines().findFirst().orElse("");
            throw new InvalidJobException(file + (why.startsWith("Duplicate field") ? " has a duplicate key: " + why
                    : " is not valid YAML: " + why));
        }
        for (String o : overrides) {
            override(root, o);
        }
        Set<String> known = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        JobConfig job = build(new Reader(root, "", known, secrets), file);
        rejectUnknown(root, "", known, file);
        return job;
    }

    /**
     * Every key of the file must be one the loader read: a typo such as {@code alerts.sigma} would otherwise be
     * ignored and its default used without a word.
     */
    private static void rejectUnknown(JsonNode node, String prefix, Set<String> known, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = prefix + f.getKey();
            if (PASS_THROUGH.contains(key)) {
                continue;
            }
            if (!known.contains(key)) {
                String nearest = known.stream().min(java.util.Comparator.comparingInt(k -> editDistance(k, key))).orElse("");
                throw new InvalidJobException(file + ": unknown key '" + key + "'" + (editDistance(nearest, key) <= 3
                        ? " (did you mean '" + nearest + "'?)" : "; the keys are listed in the README's job definition section"));
            }
            if (f.getValue().isObject()) {
                rejectUnknown(f.getValue(), key + ".", known, file);
            }
        }
    }

    /** Levenshtein distance, for suggesting the key a typo meant. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Sets a dotted key (e.g. kafka.bootstrap-servers=127.0.0.1:9092); the value is read as YAML. */
    static void override(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new InvalidJobException("override '" + assignment + "' must look like key=value, e.g. parallelism=2");
        }
        String key = assignment.substring(0, eq).trim();
        String[] path = key.split("\\.");
        if (key.startsWith("kafka.properties.")) {
            // Kafka property names contain dots themselves: everything after kafka.properties is one key.
            path = new String[] {"kafka", "properties", key.substring("kafka.properties.".length())};
        } else if (key.startsWith("flink.")) {
            // So do Flink's configuration keys.
            path = new String[] {"flink", key.substring("flink.".length())};
        }
        ObjectNode node = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(path[i]);
        }
        String raw = assignment.substring(eq + 1);
        JsonNode value;
        try {
            value = raw.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(raw);
        } catch (IOException e) {
            value = JsonNodeFactory.instance.textNode(raw);
        }
        node.set(path[path.length - 1], value);
    }

    private static JobConfig build(Reader r, Path file) {
        Path baseDir = file.toAbsolutePath().getParent();
        String name = r.text("name", null, true);
        Reader k = r.child("kafka");
        Reader t = k.child("topics");
        String events = t.text("events", name + ".events", false);
        JobConfig.Topics topics = new JobConfig.Topics(events, t.text("forecasts", name + ".forecasts", false),
                t.text("dead-letters", events + ".dlq", false), t.text("alerts", name + ".alerts", false),
                t.text("models", name + ".models", false), t.text("model-status", name + ".models.status", false));
        String start = k.text("start", "committed", false);
        r.require(List.of("earliest", "latest", "committed").contains(start), "kafka.start",
                "must be earliest, latest or committed, not '" + start + "'");
        JobConfig.Kafka kafka = new JobConfig.Kafka(k.text("bootstrap-servers", "127.0.0.1:9092", false),
                k.text("group-id", "lstm-forecast-" + name, false), start, topics, k.stringMap("properties"));

        Reader e = r.child("event");
        List<String> features = e.textList("features");
        String valuesField = e.text("values-field", null, false);
        r.require(features.isEmpty() != (valuesField == null), "event",
                "needs exactly one of event.features (a list of field names) and event.values-field (an array field)");
        String format = e.text("timestamp-format", "auto", false);
        r.require(List.of("epoch-millis", "iso-8601", "auto").contains(format), "event.timestamp-format",
                "must be epoch-millis, iso-8601 or auto, not '" + format + "'");
        JobConfig.EventFormat event = new JobConfig.EventFormat(e.text("entity-field", null, true),
                e.text("timestamp-field", null, true), format, features, valuesField,
                e.integer("max-record-bytes", 65536, 1, 16 << 20), e.integer("max-entity-id-length", 256, 1, 4096),
                e.instant("min-timestamp", Instant.parse("2000-01-01T00:00:00Z")),
                e.duration("max-future-skew", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(3650)), timeFeatures(e));

        Path model = baseDir.resolve(r.text("model", null, true)).normalize();
        Integer horizon = r.node().hasNonNull("horizon") ? r.integer("horizon", 1, 1, 10_000) : r.known("horizon");
        Reader cp = r.child("checkpoint");
        String backend = r.text("state-backend", "hashmap", false);
        r.require(List.of("hashmap", "rocksdb").contains(backend), "state-backend", "must be hashmap or rocksdb, not '" + backend + "'");
        JobConfig.Checkpoints checkpoints = new JobConfig.Checkpoints(
                cp.duration("interval", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofDays(1)),
                cp.text("storage", null, false), backend);
        String delivery = r.text("delivery", "exactly-once", false);
        r.require(List.of("exactly-once", "at-least-once").contains(delivery), "delivery",
                "must be exactly-once or at-least-once, not '" + delivery + "'");
        Reader alerts = r.child("alerts");
        double sigmas = alerts.number("sigmas", 4.0, 0, 1000);
        r.require(sigmas > 0, "alerts.sigmas", "must be positive");
        String root = r.text("model-root", null, false);
        JobConfig.Limits limits = new JobConfig.Limits(
                r.integer("max-output-record-bytes", JobConfig.Limits.DEFAULT_MAX_OUTPUT_RECORD_BYTES, 4096, 1_000_000),
                r.duration("max-event-time-jump", ForecastOptions.DEFAULT_MAX_EVENT_TIME_JUMP, Duration.ZERO, Duration.ofDays(3650)),
                root != null ? baseDir.resolve(root).normalize() : model.getParent(),
                r.integer("max-model-bytes", (int) ReadLimits.DEFAULT_MAX_BYTES, 1024, Integer.MAX_VALUE - 16));
        return new JobConfig(file, name, kafka, event, model, horizon,
                r.duration("allowed-lateness", Duration.ofSeconds(5), Duration.ZERO, Duration.ofDays(7)),
                r.duration("idle-timeout", Duration.ofSeconds(30), Duration.ZERO, Duration.ofDays(1)),
                r.duration("state-ttl", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(3650)), checkpoints,
                delivery.equals("exactly-once"), r.integer("parallelism", 1, 1, 4096),
                r.duration("transaction-timeout", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(7)),
                r.integer("max-batch-size", ForecastOptions.DEFAULT_MAX_BATCH_SIZE, 1, 65_536),
                r.integer("rewarm-events", 0, 0, 10_000), sigmas, alerts.integer("warmup", 50, 1, 1_000_000),
                alerts.integer("cooldown", 0, 0, 1_000_000), r.stringMap("flink"), alertMethod(alerts),
                alertLikelihood(alerts), intervalCoverage(r.child("intervals")), baseline(r), limits, Set.copyOf(r.secrets()),
                ordering(r), r.duration("max-batch-delay", ForecastOptions.DEFAULT_MAX_BATCH_DELAY, Duration.ZERO,
                        Duration.ofSeconds(10)));
    }

    /** event.time-features: names of {@link TimeFeatures}, each once; none when absent. */
    private static List<String> timeFeatures(Reader event) {
        JsonNode v = event.get("time-features");
        if (v == null || v.isNull()) {
            return List.of();
        }
        event.require(v.isArray() && !v.isEmpty(), "time-features", "must be a list such as [hour-of-day, day-of-week]");
        List<String> names = new ArrayList<>();
        v.forEach(x -> names.add(x.asText()));
        try {
            TimeFeatures.parseAll(names);
        } catch (IllegalArgumentException ex) {
            event.require(false, "time-features", "names an " + ex.getMessage());
        }
        event.require(new HashSet<>(names).size() == names.size(), "time-features", "names a feature twice: " + names);
        return List.copyOf(names);
    }

    /** baseline: see {@link Baseline}; null when the job file says nothing. */
    private static Baseline baseline(Reader r) {
        String text = r.text("baseline", null, false);
        if (text == null) {
            return null;
        }
        try {
            return Baseline.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new InvalidJobException("job setting " + ex.getMessage());
        }
    }

    private static Ordering ordering(Reader r) {
        String text = r.text("ordering", ForecastOptions.DEFAULT_ORDERING.key(), false);
        Ordering ordering = Ordering.of(text);
        r.require(ordering != null, "ordering", "must be " + Ordering.choices() + ", not '" + text + "'");
        return ordering;
    }

    private static ForecastPolicy.AlertMethod alertMethod(Reader alerts) {
        String method = alerts.text("method", "likelihood", false);
        alerts.require(List.of("likelihood", "sigma").contains(method), "method", "must be likelihood or sigma, not '" + method + "'");
        return method.equals("sigma") ? ForecastPolicy.AlertMethod.SIGMA : ForecastPolicy.AlertMethod.LIKELIHOOD;
    }

    private static double alertLikelihood(Reader alerts) {
        double likelihood = alerts.number("likelihood", ForecastPolicy.DEFAULT_LIKELIHOOD, 0, 1);
        alerts.require(likelihood > 0.5 && likelihood < 1, "likelihood",
                "must lie between 0.5 and 1 (e.g. 0.99999: an alert when the recent errors are a 1-in-100000 event), not " + likelihood);
        return likelihood;
    }

    private static double intervalCoverage(Reader intervals) {
        double coverage = intervals.number("coverage", ForecastPolicy.DEFAULT_COVERAGE, 0, 1);
        intervals.require(coverage >= 0 && coverage < 1, "coverage",
                "must be a share in [0, 1), e.g. 0.9 for 90 % intervals, or 0 for none; not " + coverage);
        return coverage;
    }

    /** Typed access to one mapping of the tree, with messages that name the dotted key. */
    private record Reader(JsonNode node, String prefix, Set<String> known, Set<String> secrets) {
        /** Records that {@code key} is a setting of this mapping; returns null for the caller's convenience. */
        <T> T known(String key) {
            known.add(prefix + key);
            return null;
        }

        JsonNode get(String key) {
            known(key);
            return node.get(key);
        }

        Reader child(String key) {
            JsonNode c = get(key);
            require(c == null || c.isNull() || c.isObject(), key, "must be a mapping");
            return new Reader(c == null || c.isNull() ? JsonNodeFactory.instance.objectNode() : c, prefix + key + ".", known,
                    secrets);
        }

        void require(boolean ok, String key, String problem) {
            if (!ok) {
                throw new InvalidJobException("job setting " + prefix + key + " " + problem);
            }
        }

        String text(String key, String fallback, boolean required) {
            JsonNode v = get(key);
            if (v == null || v.isNull()) {
                require(!required, key, "is required");
                return fallback;
            }
            require(v.isValueNode(), key, "must be a single value");
            return v.asText();
        }

        int integer(String key, int fallback, int min, int max) {
            JsonNode v = get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            require(v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= min && v.asInt() <= max, key,
                    "must be a whole number from " + min + " to " + max + ", not '" + v.asText() + "'");
            return v.asInt();
        }

        double number(String key, double fallback, double min, double max) {
            JsonNode v = get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            require(v.isNumber() && v.asDouble() >= min && v.asDouble() <= max, key, "must be a number from " + min + " to "
                    + max + ", not '" + v.asText() + "'");
            return v.asDouble();
        }

        List<String> textList(String key) {
            JsonNode v = get(key);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            require(v.isArray() && !v.isEmpty(), key, "must be a non-empty list of field names");
            v.forEach(x -> out.add(x.asText()));
            return out;
        }

        Map<String, String> stringMap(String key) {
            JsonNode v = get(key);
            Map<String, String> out = new LinkedHashMap<>();
            if (v == null || v.isNull()) {
                return out;
            }
            require(v.isObject(), key, "must be a mapping of keys to values");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                require(f.getValue().isValueNode(), key + "." + f.getKey(), "must be a single value (write dotted keys in full)");
                out.put(f.getKey(), expandEnvironment(f.getValue().asText(), prefix + key + "." + f.getKey(), secrets));
            }
            return out;
        }

        Duration duration(String key, Duration fallback, Duration min, Duration max) {
            String text = text(key, null, false);
            if (text == null) {
                return fallback;
            }
            Duration d = parseDuration(text);
            require(d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0, key, "must be a duration from "
                    + describe(min) + " to " + describe(max) + " such as 500ms, 5s, 10m, 1h or 2d, not '" + text + "'");
            return d;
        }

        Instant instant(String key, Instant fallback) {
            String text = text(key, null, false);
            if (text == null) {
                return fallback;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidJobException("job setting " + prefix + key + " must be an ISO-8601 instant such as "
                        + "2000-01-01T00:00:00Z, not '" + text + "'");
            }
        }
    }

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * Replaces ${NAME} with the environment variable NAME, so secrets stay out of job files. Every value read so
     * goes into {@code secrets}: the job's description masks it wherever it appears, whatever its key is called.
     */
    static String expandEnvironment(String value, String key, Set<String> secrets) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String env = System.getenv(m.group(1));
            if (env == null) {
                throw new InvalidJobException("job setting " + key + " refers to ${" + m.group(1)
                        + "} but that environment variable is not set");
            }
            if (!env.isEmpty()) {
                secrets.add(env);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(env));
        }
        return m.appendTail(out).toString();
    }

    /** 500ms, 5s, 10m, 1h, 2d, 0, or ISO-8601 (PT5S); null when unreadable. */
    public static Duration parseDuration(String text) {
        return Durations.parse(text);
    }

    private static String describe(Duration d) {
        return d.isZero() ? "0" : d.toMillis() % 86_400_000L == 0 ? d.toDays() + "d" : d.toMillis() % 1000 == 0
                ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
