package io.lstmforecast.model;

import io.lstmforecast.config.Durations;
import java.io.Serializable;
import java.time.Duration;

/**
 * A naive forecast a model must beat to be worth running: the job forecasts it beside the model and reports the
 * model's skill against it. Named in job files ({@code baseline}) and in model.json ({@code baseline}):
 * <ul>
 *   <li>{@code persistence}: every step is the last value;
 *   <li>{@code constant-velocity}: the last step's change continued, y_t + k (y_t - y_(t-1)) at step k;
 *   <li>{@code seasonal:PERIOD}: the value one period before the forecast's time; PERIOD is a count of events
 *       ({@code seasonal:24}, at most {@link #MAX_PERIOD_EVENTS}) or a duration ({@code seasonal:1d}, {@code seasonal:12h});
 *   <li>{@code none}: no baseline, no skill.
 * </ul>
 *
 * @param kind         which rule
 * @param periodEvents seasonal period in events (0 when the period is a duration or the rule is not seasonal)
 * @param periodMillis seasonal period as a duration (0 when it is a count or the rule is not seasonal)
 */
public record Baseline(Kind kind, int periodEvents, long periodMillis) implements Serializable {
    public enum Kind {
        NONE,
        PERSISTENCE,
        CONSTANT_VELOCITY,
        SEASONAL
    }

    /**
     * Longest seasonal period in events: each entity keeps that many values per target, and entity state must stay
     * small (48 covers a day of half-hours, two days of hours, a week of days, four years of months).
     */
    public static final int MAX_PERIOD_EVENTS = 48;

    /** Longest seasonal period as a duration (ten years; longer ones would overflow the millisecond arithmetic). */
    static final Duration MAX_PERIOD = Duration.ofDays(3650);

    public static final Baseline NONE = new Baseline(Kind.NONE, 0, 0);
    public static final Baseline PERSISTENCE = new Baseline(Kind.PERSISTENCE, 0, 0);
    public static final Baseline CONSTANT_VELOCITY = new Baseline(Kind.CONSTANT_VELOCITY, 0, 0);

    /** Parses a baseline's name; an IllegalArgumentException says what is accepted. */
    public static Baseline parse(String text) {
        String s = text == null ? "" : text.trim();
        switch (s) {
            case "none":
                return NONE;
            case "persistence":
                return PERSISTENCE;
            case "constant-velocity":
                return CONSTANT_VELOCITY;
            default:
                break;
        }
        if (!s.startsWith("seasonal:")) {
            throw new IllegalArgumentException("baseline must be persistence, constant-velocity, seasonal:PERIOD (e.g."
                    + " seasonal:24 events or seasonal:1d) or none, not '" + text + "'");
        }
        String period = s.substring("seasonal:".length()).trim();
        if (period.matches("\\d{1,9}")) {
            int events = Integer.parseInt(period);
            if (events < 1 || events > MAX_PERIOD_EVENTS) {
                throw new IllegalArgumentException(
                        "baseline " + s + ": a period in events must be 1 to " + MAX_PERIOD_EVENTS
                                + " (each entity keeps a period of values); give a longer period as a duration such as seasonal:1d");
            }
            return new Baseline(Kind.SEASONAL, events, 0);
        }
        // The job file's duration syntax (500ms, 30m, 1h, 1d, PT1H).
        Duration d = Durations.parse(period);
        if (d == null || d.isZero() || d.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("baseline " + s + ": the period must be a count of events such as"
                    + " seasonal:24 or a duration from 1ms to 3650d such as seasonal:1d or seasonal:12h, not '" + period
                    + "'");
        }
        return new Baseline(Kind.SEASONAL, 0, d.toMillis());
    }

    /**
     * The baseline a job uses: its own setting, else the one its model declares, else persistence.
     *
     * @param jobSetting    the job file's {@code baseline}, null when it says nothing
     * @param modelDeclared model.json's {@code baseline}, null when it declares none
     */
    public static Baseline effective(Baseline jobSetting, String modelDeclared) {
        if (jobSetting != null) {
            return jobSetting;
        }
        return modelDeclared != null ? parse(modelDeclared) : PERSISTENCE;
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** Whether the seasonal period is a duration (looked up by time) rather than a count of events. */
    public boolean byTime() {
        return periodMillis > 0;
    }

    /** The name as written in job files and forecast records, e.g. seasonal:24 or seasonal:1d. */
    public String id() {
        return switch (kind) {
            case NONE -> "none";
            case PERSISTENCE -> "persistence";
            case CONSTANT_VELOCITY -> "constant-velocity";
            case SEASONAL ->
                "seasonal:"
                        + (byTime()
                                ? Durations.describe(Duration.ofMillis(periodMillis))
                                : Integer.toString(periodEvents));
        };
    }

    @Override
    public String toString() {
        return id();
    }
}
