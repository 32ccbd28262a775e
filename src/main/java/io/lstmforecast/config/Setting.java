package io.lstmforecast.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One key of a job file: its dotted name, its default, the values it allows and what it means ({@link #doc}),
 * written once beside the record field it fills; docs/configuration.md is generated from these declarations. The loader reads a value by its {@link #kind()} and checks it against the whole range
 * ({@link #check}); the record's constructor holds every value, wherever it comes from, to what the code relies on
 * ({@link #checkFloor}).
 *
 * @param <T> the value's type
 */
public final class Setting<T> implements Serializable {
    /** How a value is written in a job file. */
    public enum Kind {
        WHOLE,
        NUMBER,
        DURATION,
        INSTANT,
        TEXT,
        NAMED
    }

    private final String key;
    private final Kind kind;
    private final T fallback;
    private final T min;
    private final T max;
    private final boolean required;
    private final List<String> choices;
    private final Class<?> named;
    private final String doc;

    private Setting(
            String key, Kind kind, T fallback, T min, T max, boolean required, List<String> choices, Class<?> named) {
        this(key, kind, fallback, min, max, required, choices, named, "");
    }

    private Setting(
            String key,
            Kind kind,
            T fallback,
            T min,
            T max,
            boolean required,
            List<String> choices,
            Class<?> named,
            String doc) {
        this.doc = doc;
        this.key = key;
        this.kind = kind;
        this.fallback = fallback;
        this.min = min;
        this.max = max;
        this.required = required;
        this.choices = choices;
        this.named = named;
    }

    /** A whole number from min to max; null fallback: none when absent. */
    public static Setting<Integer> whole(String key, Integer fallback, int min, int max) {
        return new Setting<>(key, Kind.WHOLE, fallback, min, max, false, null, null);
    }

    public static Setting<Double> number(String key, double fallback, double min, double max) {
        return new Setting<>(key, Kind.NUMBER, fallback, min, max, false, null, null);
    }

    public static Setting<Duration> duration(String key, Duration fallback, Duration min, Duration max) {
        return new Setting<>(key, Kind.DURATION, fallback, min, max, false, null, null);
    }

    public static Setting<Instant> instant(String key, Instant fallback) {
        return new Setting<>(key, Kind.INSTANT, fallback, null, null, false, null, null);
    }

    /** Free text; null fallback: none when absent. */
    public static Setting<String> text(String key, String fallback) {
        return new Setting<>(key, Kind.TEXT, fallback, null, null, false, null, null);
    }

    /** Text the job file must give. */
    public static Setting<String> required(String key) {
        return new Setting<>(key, Kind.TEXT, null, null, null, true, null, null);
    }

    /** One of the given words; the fallback must be one of them. */
    public static Setting<String> oneOf(String key, String fallback, String... choices) {
        return new Setting<>(key, Kind.TEXT, fallback, null, null, false, List.of(choices), null);
    }

    /** One of an enum's constants, written as its {@link #nameOf name}. */
    public static <E extends Enum<E>> Setting<E> named(String key, E fallback) {
        return new Setting<>(key, Kind.NAMED, fallback, null, null, false, null, fallback.getDeclaringClass());
    }

    /** An enum constant as job files and flags write it: EVENT_TIME is event-time. */
    public static String nameOf(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} named {@code text} (see {@link #nameOf}), or null when there is none. */
    public static <E extends Enum<E>> E byName(Class<E> type, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> nameOf(e).equals(t))
                .findFirst()
                .orElse(null);
    }

    /** "a, b or c", for messages. */
    public static String either(List<String> words) {
        int n = words.size();
        return n == 1 ? words.get(0) : String.join(", ", words.subList(0, n - 1)) + " or " + words.get(n - 1);
    }

    /** This setting with its meaning for users (Markdown, one paragraph), as docs/configuration.md shows it. */
    public Setting<T> doc(String meaning) {
        return new Setting<>(key, kind, fallback, min, max, required, choices, named, meaning);
    }

    public String key() {
        return key;
    }

    /** What the setting means, for users; empty when not written. */
    public String doc() {
        return doc;
    }

    /** The default as a job file writes it: "required", "none" when absent means none, or the value. */
    public String describeDefault() {
        if (required) {
            return "required";
        }
        if (fallback == null) {
            return "none";
        }
        return switch (kind) {
            case DURATION -> Durations.describe((Duration) fallback);
            case NAMED -> nameOf((Enum<?>) fallback);
            default -> String.valueOf(fallback);
        };
    }

    /** The values allowed, as the error for a bad one words them (without "must be"). */
    public String describeRange() {
        return switch (kind) {
            case WHOLE -> min + " to " + max;
            case NUMBER -> min + " to " + max;
            case DURATION -> Durations.describe((Duration) min) + " to " + Durations.describe((Duration) max);
            case INSTANT -> "an ISO-8601 instant";
            case TEXT -> choices == null ? "text" : either(choices);
            case NAMED -> either(choices());
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The words a choice allows, in order; empty for other settings. */
    public List<String> choices() {
        return kind == Kind.NAMED
                ? Arrays.stream(named.getEnumConstants())
                        .map(e -> nameOf((Enum<?>) e))
                        .toList()
                : choices != null ? choices : List.of();
    }

    /** The value when the job file gives none. */
    public T fallback() {
        return fallback;
    }

    /**
     * {@code value} if this setting allows it; otherwise an {@link InvalidSettingException} saying what it allows. For
     * values read from a job file.
     */
    public T check(T value) {
        return check(value, true);
    }

    /**
     * {@code value} if it is given when required, one of the choices, and not below the minimum: what the code relies on
     * wherever a value comes from. The maximum guards against hostile job files only; code may go past it (a test's batch
     * that never closes by time, say).
     */
    public T checkFloor(T value) {
        return check(value, false);
    }

    private T check(T value, boolean withMax) {
        require(value != null || !required, key, "is required");
        if (!allows(value, withMax)) {
            throw invalid(String.valueOf(value));
        }
        return value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean allows(T value, boolean withMax) {
        return value == null
                || switch (kind) {
                    case WHOLE, NUMBER, DURATION ->
                        ((Comparable) value).compareTo(min) >= 0
                                && (!withMax || ((Comparable) value).compareTo(max) <= 0);
                    case TEXT -> choices == null || choices.contains(value);
                    default -> true;
                };
    }

    /** The value written as {@code text}, checked; for durations, instants, text and names. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public T parse(String text) {
        T value = (T)
                switch (kind) {
                    case DURATION -> Durations.parse(text);
                    case INSTANT -> parseInstant(text);
                    case NAMED -> byName((Class) named, text);
                    case TEXT -> text;
                    default -> throw new IllegalStateException(key + " is a number, not text");
                };
        if (value == null || !allows(value, true)) {
            throw invalid(text);
        }
        return value;
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The error for a value this setting does not allow, written as {@code text}. */
    public InvalidSettingException invalid(String text) {
        String allowed = switch (kind) {
            case WHOLE -> "a whole number from " + min + " to " + max;
            case NUMBER -> "a number from " + min + " to " + max;
            case DURATION ->
                "a duration from " + Durations.describe((Duration) min) + " to " + Durations.describe((Duration) max)
                        + " such as 500ms, 5s, 10m, 1h or 2d";
            case INSTANT -> "an ISO-8601 instant such as 2000-01-01T00:00:00Z";
            case TEXT -> choices == null ? "a single value" : either(choices);
            case NAMED -> either(choices());
        };
        return new InvalidSettingException(key, "must be " + allowed + ", not '" + text + "'");
    }

    /** A check beyond the setting's range, e.g. between two settings. */
    public static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new InvalidSettingException(key, problem);
        }
    }
}
