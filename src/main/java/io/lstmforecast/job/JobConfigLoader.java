package io.lstmforecast.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lstmforecast.config.Alerts;
import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Checkpoints;
import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.Durations;
import io.lstmforecast.config.EventFormat;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.Intervals;
import io.lstmforecast.config.InvalidSettingException;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.Limits;
import io.lstmforecast.config.Plausibility;
import io.lstmforecast.config.Setting;
import io.lstmforecast.config.Topics;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.state.ForecastPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final Set<String> PASS_THROUGH = Set.of(Kafka.PROPERTIES, JobConfig.FLINK);

    private JobConfigLoader() {}

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
            throw new InvalidJobException(file
                    + (why.startsWith("Duplicate field")
                            ? " has a duplicate key: " + why
                            : " is not valid YAML: " + why));
        }
        return load(root, file, overrides);
    }

    /**
     * A job defined in code rather than in a file: {@code settings} maps dotted keys (as overrides write them) to
     * values, then {@code overrides} apply as on the command line, and the result is read and checked as a job file
     * would be. {@code file} is where the job would live: relative paths resolve against its directory, and messages
     * name it.
     */
    public static JobConfig define(Path file, Map<String, ?> settings, List<String> overrides) {
        ObjectNode root = YAML.createObjectNode();
        settings.forEach((key, value) -> set(root, key, YAML.valueToTree(value)));
        return load(root, file, overrides);
    }

    private static JobConfig load(ObjectNode root, Path file, List<String> overrides) {
        for (String o : overrides) {
            override(root, o);
        }
        Set<String> known = new HashSet<>();
        JobConfig job;
        try {
            job = build(new Reader(root, known, new HashSet<>()), file);
        } catch (InvalidSettingException e) {
            throw new InvalidJobException(e.getMessage());
        }
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
                String nearest = known.stream()
                        .min(java.util.Comparator.comparingInt(k -> editDistance(k, key)))
                        .orElse("");
                throw new InvalidJobException(file + ": unknown key '" + key + "'"
                        + (editDistance(nearest, key) <= 3
                                ? " (did you mean '" + nearest + "'?)"
                                : "; the keys are listed in the README's job definition section"));
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
        String raw = assignment.substring(eq + 1);
        JsonNode value;
        try {
            value = raw.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(raw);
        } catch (IOException e) {
            value = JsonNodeFactory.instance.textNode(raw);
        }
        set(root, assignment.substring(0, eq).trim(), value);
    }

    /** Sets the dotted {@code key}, creating the mappings on its way. */
    private static void set(ObjectNode root, String key, JsonNode value) {
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
        node.set(path[path.length - 1], value);
    }

    private static JobConfig build(Reader r, Path file) {
        Path baseDir = file.toAbsolutePath().getParent();
        String name = r.get(JobConfig.NAME);
        String[] topics = Arrays.stream(Topics.KEYS)
                .map(k -> r.get(Setting.text(Topics.KEY + "." + k, null)))
                .toArray(String[]::new);
        String groupId = r.get(Kafka.GROUP_ID);
        Kafka kafka = new Kafka(
                r.get(Kafka.BOOTSTRAP_SERVERS),
                groupId != null ? groupId : Kafka.defaultGroupId(name),
                r.get(Kafka.START),
                Topics.of(name, topics),
                r.stringMap(Kafka.PROPERTIES));
        EventFormat event = new EventFormat(
                r.get(EventFormat.ENTITY_FIELD),
                r.get(EventFormat.TIMESTAMP_FIELD),
                r.get(EventFormat.TIMESTAMP_FORMAT),
                r.textList(EventFormat.FEATURES),
                r.get(EventFormat.VALUES_FIELD),
                r.get(EventFormat.MAX_RECORD_BYTES),
                r.get(EventFormat.MAX_ENTITY_ID_LENGTH),
                r.get(EventFormat.MIN_TIMESTAMP),
                r.get(EventFormat.MAX_FUTURE_SKEW),
                timeFeatures(r),
                new Plausibility(ranges(r), r.get(Plausibility.MAX_ABS_Z)));
        Path model = baseDir.resolve(r.get(JobConfig.MODEL)).normalize();
        String root = r.get(JobConfig.MODEL_ROOT);
        EventTime eventTime = new EventTime(
                r.get(EventTime.ALLOWED_LATENESS),
                r.get(EventTime.IDLE_TIMEOUT),
                r.get(EventTime.STATE_TTL),
                r.get(EventTime.MAX_EVENT_TIME_JUMP));
        Batching batching =
                new Batching(r.get(Batching.ORDERING), r.get(Batching.MAX_BATCH_SIZE), r.get(Batching.MAX_BATCH_DELAY));
        Alerts alerts = new Alerts(
                r.get(Alerts.METHOD),
                r.get(Alerts.SIGMAS),
                r.get(Alerts.LIKELIHOOD),
                r.get(Alerts.WARMUP),
                r.get(Alerts.COOLDOWN));
        ForecastPolicy policy = new ForecastPolicy(
                r.get(ForecastPolicy.REWARM_EVENTS), alerts, new Intervals(r.get(Intervals.COVERAGE)), baseline(r));
        Checkpoints checkpoints = new Checkpoints(
                r.get(Checkpoints.INTERVAL), r.get(Checkpoints.STORAGE), r.get(Checkpoints.STATE_BACKEND));
        Delivery delivery = Delivery.of(r.get(Delivery.GUARANTEE), r.get(Delivery.TRANSACTION_TIMEOUT));
        return new JobConfig(
                file,
                name,
                kafka,
                event,
                model,
                r.get(JobConfig.HORIZON),
                root != null ? baseDir.resolve(root).normalize() : model.getParent(),
                r.get(JobConfig.MAX_MODEL_BYTES),
                eventTime,
                batching,
                policy,
                checkpoints,
                delivery,
                r.get(JobConfig.PARALLELISM),
                new Limits(r.get(Limits.MAX_OUTPUT_RECORD_BYTES)),
                r.stringMap(JobConfig.FLINK),
                Set.copyOf(r.secrets()));
    }

    /** event.time-features: names of {@link TimeFeatures} (the event format checks that each comes once). */
    private static List<String> timeFeatures(Reader r) {
        String key = EventFormat.TIME_FEATURES;
        JsonNode v = r.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        Setting.require(v.isArray() && !v.isEmpty(), key, "must be a list such as [hour-of-day, day-of-week]");
        List<String> names = new ArrayList<>();
        v.forEach(x -> names.add(x.asText()));
        try {
            TimeFeatures.parseAll(names);
        } catch (IllegalArgumentException ex) {
            Setting.require(false, key, "names an " + ex.getMessage());
        }
        return names;
    }

    /** event.range: feature name to [lowest, highest]; each name is a known key once read. */
    private static Map<String, double[]> ranges(Reader r) {
        String key = Plausibility.RANGE;
        JsonNode v = r.get(key);
        Map<String, double[]> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        Setting.require(v.isObject(), key, "must be a mapping of feature to [lowest, highest], e.g. {x: [-50, 150]}");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode lh = f.getValue();
            Setting.require(
                    lh.isArray()
                            && lh.size() == 2
                            && lh.get(0).isNumber()
                            && lh.get(1).isNumber(),
                    key + "." + f.getKey(),
                    "must be [lowest, highest], two numbers such as [-50, 150]");
            out.put(f.getKey(), new double[] {lh.get(0).asDouble(), lh.get(1).asDouble()});
            r.known().add(key + "." + f.getKey());
        }
        return out;
    }

    /** baseline: see {@link Baseline}; null when the job file says nothing. */
    private static Baseline baseline(Reader r) {
        String text = r.get(JobConfig.BASELINE);
        if (text == null) {
            return null;
        }
        try {
            return Baseline.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new InvalidJobException("job setting " + ex.getMessage());
        }
    }

    /**
     * Typed access to the job file's tree by dotted key, with messages that name the key. Every key asked for, and each
     * mapping on its way, is recorded in {@code known}: the keys of the file that were never asked for are unknown.
     */
    private record Reader(JsonNode root, Set<String> known, Set<String> secrets) {
        /** The node at {@code dotted}, or null when absent; a value where a mapping belongs is an error. */
        JsonNode get(String dotted) {
            String[] parts = dotted.split("\\.");
            JsonNode node = root;
            String path = "";
            for (int i = 0; i < parts.length; i++) {
                path = path.isEmpty() ? parts[i] : path + "." + parts[i];
                known.add(path);
                JsonNode next = node.get(parts[i]);
                if (i == parts.length - 1 || next == null || next.isNull()) {
                    return i == parts.length - 1 ? next : null;
                }
                Setting.require(next.isObject(), path, "must be a mapping");
                node = next;
            }
            return node;
        }

        /** The setting's value, its default when absent, checked. */
        @SuppressWarnings("unchecked")
        <T> T get(Setting<T> s) {
            JsonNode v = get(s.key());
            if (v == null || v.isNull()) {
                return s.check(s.fallback());
            }
            return switch (s.kind()) {
                case WHOLE -> {
                    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() != (int) v.asLong()) {
                        throw s.invalid(v.asText());
                    }
                    yield s.check((T) Integer.valueOf(v.asInt()));
                }
                case NUMBER -> {
                    if (!v.isNumber()) {
                        throw s.invalid(v.asText());
                    }
                    yield s.check((T) Double.valueOf(v.asDouble()));
                }
                default -> {
                    Setting.require(v.isValueNode(), s.key(), "must be a single value");
                    yield s.parse(v.asText());
                }
            };
        }

        List<String> textList(String key) {
            JsonNode v = get(key);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            Setting.require(v.isArray() && !v.isEmpty(), key, "must be a non-empty list of field names");
            v.forEach(x -> out.add(x.asText()));
            return out;
        }

        /** A mapping passed through to Kafka or Flink: values only checked to be single, ${ENV} expanded. */
        Map<String, String> stringMap(String key) {
            JsonNode v = get(key);
            Map<String, String> out = new LinkedHashMap<>();
            if (v == null || v.isNull()) {
                return out;
            }
            Setting.require(v.isObject(), key, "must be a mapping of keys to values");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                Setting.require(
                        f.getValue().isValueNode(),
                        key + "." + f.getKey(),
                        "must be a single value (write dotted keys in full)");
                out.put(f.getKey(), expandEnvironment(f.getValue().asText(), key + "." + f.getKey(), secrets));
            }
            return out;
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
}
