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
    public static final Setting<String> ENTITY_FIELD =
            Setting.required("event.entity-field").doc("JSON field with the entity id (string or integer).");
    public static final Setting<String> TIMESTAMP_FIELD =
            Setting.required("event.timestamp-field").doc("JSON field with the event time.");
    public static final Setting<String> TIMESTAMP_FORMAT = Setting.oneOf(
                    "event.timestamp-format", "auto", "epoch-millis", "iso-8601", "auto")
            .doc("`epoch-millis`, `iso-8601` (with offset), or `auto` (a number is millis, a string ISO-8601).");
    /** A list of field names; none when absent. */
    public static final String FEATURES = "event.features";

    public static final Setting<String> VALUES_FIELD = Setting.text("event.values-field", null)
            .doc("A numeric array field holding the features in order; give it or `event.features`.");
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.whole("event.max-record-bytes", 65536, 1, 16 << 20)
            .doc("Larger records are dead-lettered as `oversized` (up to 16 MiB).");
    public static final Setting<Integer> MAX_ENTITY_ID_LENGTH = Setting.whole(
                    "event.max-entity-id-length", 256, 1, 4096)
            .doc("Longest entity id, in characters; a longer one is dead-lettered as `bad_entity_id`.");
    public static final Setting<Instant> MIN_TIMESTAMP = Setting.instant(
                    "event.min-timestamp", Instant.parse("2000-01-01T00:00:00Z"))
            .doc("Events stamped before it are dead-lettered as `bad_timestamp`.");
    public static final Setting<Duration> MAX_FUTURE_SKEW = Setting.duration(
                    "event.max-future-skew", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(3650))
            .doc(
                    "Events stamped more than this past the wall clock are dead-lettered as `bad_timestamp` and touch no state, so under arrival ordering one bad record can stall one entity for at most the skew and never another. A job whose producers stamp events with a trusted clock should set minutes (`5m`).");
    /** Names of the model package's time features, each once; none when absent. */
    public static final String TIME_FEATURES = "event.time-features";

    /**
     * The settings as written; time features are names here, and whoever computes them checks that each is one it
     * knows.
     */
    public static EventFormat read(SettingsTree t) {
        return new EventFormat(
                t.get(ENTITY_FIELD),
                t.get(TIMESTAMP_FIELD),
                t.get(TIMESTAMP_FORMAT),
                t.textList(FEATURES, "a non-empty list of field names"),
                t.get(VALUES_FIELD),
                t.get(MAX_RECORD_BYTES),
                t.get(MAX_ENTITY_ID_LENGTH),
                t.get(MIN_TIMESTAMP),
                t.get(MAX_FUTURE_SKEW),
                t.textList(TIME_FEATURES, "a list such as [hour-of-day, day-of-week]"),
                Plausibility.read(t));
    }

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
