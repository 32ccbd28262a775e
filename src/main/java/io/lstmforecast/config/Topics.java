package io.lstmforecast.config;

import java.io.Serializable;

/** Job settings {@code kafka.topics.*}; each defaults to a name derived from the job's (see {@link #of}). */
public record Topics(
        String events, String forecasts, String deadLetters, String alerts, String models, String modelStatus)
        implements Serializable {
    public static final String KEY = "kafka.topics";
    public static final String[] KEYS = {"events", "forecasts", "dead-letters", "alerts", "models", "model-status"};

    public static Topics read(SettingsTree t, String name) {
        return of(
                name,
                java.util.Arrays.stream(KEYS)
                        .map(k -> t.get(Setting.text(KEY + "." + k, null)))
                        .toArray(String[]::new));
    }

    /**
     * The topics of job {@code name}, given in the order of {@link #KEYS}, a null taking its default: NAME.events,
     * NAME.forecasts, EVENTS.dlq, NAME.alerts, NAME.models, NAME.models.status.
     */
    public static Topics of(String name, String... given) {
        String events = given[0] != null ? given[0] : name + ".events";
        return new Topics(
                events,
                orElse(given[1], name + ".forecasts"),
                orElse(given[2], events + ".dlq"),
                orElse(given[3], name + ".alerts"),
                orElse(given[4], name + ".models"),
                orElse(given[5], name + ".models.status"));
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
