package io.lstmforecast.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Calendar inputs computed from an event's time, so a model can learn daily and weekly cycles without the
 * producer sending them. The trainer and the job both call {@link #write}: a model sees the same numbers
 * in training as in the job, by construction.
 *
 * <p>Each feature is a sine/cosine pair, so 23:59 sits next to 00:00 and Sunday next to Monday:
 * hour-of-day uses the fractional hour in UTC (a 30-minute bucket at 10:30 is 10.5), day-of-week counts
 * Monday as 0. The pair's values lie in [-1, 1] and enter the network unscaled (their normalisation is
 * mean 0, std 1).
 */
public enum TimeFeatures {
    HOUR_OF_DAY("hour-of-day", 24.0),
    DAY_OF_WEEK("day-of-week", 7.0);

    /** Numbers each feature adds to a model's input: sin and cos. */
    public static final int WIDTH = 2;

    private final String key;
    private final double period;

    TimeFeatures(String key, double period) {
        this.key = key;
        this.period = period;
    }

    /** The name used in job files ({@code event.time-features}) and in model.json ({@code time_features}). */
    public String key() {
        return key;
    }

    /** The feature named {@code key}, or an IllegalArgumentException that lists the known ones. */
    public static TimeFeatures parse(String key) {
        for (TimeFeatures f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown time feature '" + key + "'; known: hour-of-day, day-of-week");
    }

    /** The features named by {@code keys} (null or empty: none), in their given order. */
    public static List<TimeFeatures> parseAll(List<String> keys) {
        return keys == null ? List.of() : keys.stream().map(TimeFeatures::parse).toList();
    }

    /** Input columns the features add, sin and cos each. */
    public static int width(List<TimeFeatures> features) {
        return WIDTH * features.size();
    }

    /** This feature's position in its cycle, in units of the cycle's own period (hours or days). */
    double position(ZonedDateTime t) {
        return switch (this) {
            case HOUR_OF_DAY -> t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
            case DAY_OF_WEEK -> t.getDayOfWeek().getValue() - 1 + (t.getHour() + t.getMinute() / 60.0) / 24.0;
        };
    }

    /**
     * Writes sin and cos of each feature for the time {@code epochMillis} into {@code out} from {@code offset},
     * in the order of {@code features}.
     */
    public static void write(List<TimeFeatures> features, long epochMillis, float[] out, int offset) {
        if (features.isEmpty()) {
            return;
        }
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        for (int i = 0; i < features.size(); i++) {
            TimeFeatures f = features.get(i);
            double angle = 2 * Math.PI * f.position(t) / f.period;
            out[offset + WIDTH * i] = (float) Math.sin(angle);
            out[offset + WIDTH * i + 1] = (float) Math.cos(angle);
        }
    }
}
