package io.lstmforecast.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Settings passed through to Kafka and Flink as they may be shown in logs and the web UI: secrets masked. */
public final class Secrets {
    private static final String MASK = "******";

    private Secrets() {}

    /**
     * {key=value, ...} with the value masked when the key looks secret or the value holds one of {@code secretValues}
     * (values that came from the environment).
     */
    public static String masked(Map<String, String> settings, Set<String> secretValues) {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "="
                        + (isSecret(e.getKey()) || secretValues.stream().anyMatch(e.getValue()::contains)
                                ? MASK
                                : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Whether a Kafka or Flink property of this name holds a secret (passwords, keys, tokens, JAAS configuration). */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("passphrase")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.contains("credential")
                || k.contains("private")
                || k.contains("assertion")
                || k.contains("user.info")
                || k.contains("auth.info")
                || k.endsWith(".key")
                || k.endsWith("key.pem");
    }
}
