package io.lstmforecast.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's settings as a tree (a job file's YAML, with the overrides applied), read by dotted key: each settings record
 * reads its own keys from it. Values are checked as they are read, with messages that name the key. Every key asked
 * for, and each mapping on its way, is recorded: the keys of the file that were never asked for are unknown
 * ({@link #known()}). Values of {@code ${ENV}} references are recorded too ({@link #secrets()}), so that the job's
 * description can mask them.
 */
public final class SettingsTree {
    private final JsonNode root;
    private final Set<String> known = new HashSet<>();
    private final Set<String> secrets = new HashSet<>();

    public SettingsTree(JsonNode root) {
        this.root = root;
    }

    /** The node at {@code dotted}, or null when absent; a value where a mapping belongs is an error. */
    public JsonNode node(String dotted) {
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
    public <T> T get(Setting<T> s) {
        JsonNode v = node(s.key());
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

    /** A non-empty list of texts, {@code what} the message says it must be; empty when absent. */
    public List<String> textList(String key, String what) {
        JsonNode v = node(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        Setting.require(v.isArray() && !v.isEmpty(), key, "must be " + what);
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** A mapping passed through to Kafka or Flink: values only checked to be single, ${ENV} expanded. */
    public Map<String, String> stringMap(String key) {
        JsonNode v = node(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        Setting.require(v.isObject(), key, "must be a mapping of keys to values");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String dotted = key + "." + f.getKey();
            Setting.require(f.getValue().isValueNode(), dotted, "must be a single value (write dotted keys in full)");
            out.put(f.getKey(), EnvironmentReferences.expand(f.getValue().asText(), dotted, secrets));
        }
        return out;
    }

    /** The keys read so far, and the mappings on their way. */
    public Set<String> known() {
        return known;
    }

    /** The values that came from {@code ${ENV}} references so far. */
    public Set<String> secrets() {
        return secrets;
    }
}
