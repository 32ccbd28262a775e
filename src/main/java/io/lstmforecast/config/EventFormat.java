package io.lstmforecast.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Job settings {@code event.*}: how an event's JSON maps to an entity id, a time and the model's features, either
 * named {@code features} fields or one numeric array field ({@code valuesField}), and what the job accepts from
 * producers. {@code timeFeatures} are the calendar inputs computed from the event's time (event.time-features);
 * the model must expect exactly these, which the job checks against the model. {@code plausible}: the values a
 * feature may take ({@link Plausibility}).
 */
public record EventFormat(
        String entityField,
        String timestampField,
        String timestampFormat,
        List<String> features,
        String valuesField,
        int maxRecordBytes,
        int maxEntityIdLength,
        Instant minTimestamp,
        Duration maxFutureSkew,
        List<String> timeFeatures,
        Plausibility plausible)
        implements Serializable {
    public static final Setting<String> ENTITY_FIELD = Setting.required("event.entity-field");
    public static final Setting<String> TIMESTAMP_FIELD = Setting.required("event.timestamp-field");
    public static final Setting<String> TIMESTAMP_FORMAT =
            Setting.oneOf("event.timestamp-format", "auto", "epoch-millis", "iso-8601", "auto");
    /** A list of field names; none when absent. */
    public static final String FEATURES = "event.features";

    public static final Setting<String> VALUES_FIELD = Setting.text("event.values-field", null);
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.whole("event.max-record-bytes", 65536, 1, 16 << 20);
    public static final Setting<Integer> MAX_ENTITY_ID_LENGTH =
            Setting.whole("event.max-entity-id-length", 256, 1, 4096);
    public static final Setting<Instant> MIN_TIMESTAMP =
            Setting.instant("event.min-timestamp", Instant.parse("2000-01-01T00:00:00Z"));
    public static final Setting<Duration> MAX_FUTURE_SKEW =
            Setting.duration("event.max-future-skew", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(3650));
    /** Names of the model package's time features, each once; none when absent. */
    public static final String TIME_FEATURES = "event.time-features";

    public EventFormat {
        ENTITY_FIELD.check(entityField);
        TIMESTAMP_FIELD.check(timestampField);
        TIMESTAMP_FORMAT.check(timestampFormat);
        features = List.copyOf(features);
        Setting.require(
                features.isEmpty() != (valuesField == null),
                "event",
                "needs exactly one of event.features (a list of field names) and event.values-field (an array field)");
        MAX_RECORD_BYTES.checkFloor(maxRecordBytes);
        MAX_ENTITY_ID_LENGTH.checkFloor(maxEntityIdLength);
        MAX_FUTURE_SKEW.checkFloor(maxFutureSkew);
        timeFeatures = List.copyOf(timeFeatures);
        Setting.require(
                timeFeatures.stream().distinct().count() == timeFeatures.size(),
                TIME_FEATURES,
                "names a feature twice: " + timeFeatures);
        for (String name : plausible.ranges().keySet()) {
            Setting.require(
                    features.isEmpty() || features.contains(name),
                    Plausibility.RANGE + "." + name,
                    "is not one of event.features " + features);
        }
    }
}
