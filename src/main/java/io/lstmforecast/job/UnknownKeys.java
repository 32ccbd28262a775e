package io.lstmforecast.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Every key of a job file must be one the settings records read: a typo such as {@code alerts.sigma} would otherwise
 * be ignored and its default used without a word. The error names the key, and the known key it probably meant.
 */
final class UnknownKeys {
    /** A suggestion further than this many edits from the typo would be a guess. */
    private static final int MAX_EDITS = 3;

    private UnknownKeys() {}

    /**
     * The first key under {@code node} (whose keys start with {@code prefix}) that is not {@code known}, described as
     * "unknown key 'K' (did you mean 'N'?)"; null when every key is known. Keys in {@code passThrough} mappings belong
     * to Kafka or Flink and are not looked into.
     */
    static String first(JsonNode node, String prefix, Set<String> known, Set<String> passThrough) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = prefix + f.getKey();
            if (passThrough.contains(key)) {
                continue;
            }
            if (!known.contains(key)) {
                String nearest = known.stream()
                        .min(Comparator.comparingInt(k -> editDistance(k, key)))
                        .orElse("");
                return "unknown key '" + key + "'"
                        + (editDistance(nearest, key) <= MAX_EDITS
                                ? " (did you mean '" + nearest + "'?)"
                                : "; the keys are listed in the README's job definition section");
            }
            if (f.getValue().isObject()) {
                String inside = first(f.getValue(), key + ".", known, passThrough);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
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
}
