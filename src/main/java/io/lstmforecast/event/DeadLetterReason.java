package io.lstmforecast.event;

import java.util.Locale;

/** Why a record went to the dead-letter topic instead of producing a forecast. */
public enum DeadLetterReason {
    /** The value is not one UTF-8 JSON object without duplicate keys. */
    MALFORMED_JSON,
    /** The entity id, timestamp or a feature field is absent. */
    MISSING_FIELD,
    /** A feature is not a number. */
    NON_NUMERIC,
    /** The values array has a different length from the model's features. */
    WRONG_FEATURE_COUNT,
    /** A feature is NaN or infinite. */
    NON_FINITE,
    /** The timestamp cannot be parsed, is not representable, or lies outside [min-timestamp, now + max-future-skew]. */
    BAD_TIMESTAMP,
    /** The entity id is empty, longer than the limit, or holds control characters or lone surrogates. */
    BAD_ENTITY_ID,
    /** The record is larger than the configured limit. */
    OVERSIZED,
    /**
     * A feature is finite but implausible: outside its event.range, or more than event.max-abs-z standard deviations
     * of the serving model's normalisation from its mean (a sentinel such as 3.4e38 for "no reading").
     */
    OUT_OF_RANGE,
    /** The event arrived after the watermark had passed its time: it can no longer be applied in order. */
    LATE,
    /** The event is older than the last event already applied to its entity (e.g. replayed after a restart). */
    OUT_OF_ORDER,
    /** An event of the same entity with the same timestamp was already applied. */
    DUPLICATE,
    /** The entity's stored state could not be read (a damaged checkpoint); it was cleared and the entity starts afresh. */
    BAD_STATE;

    /** The reason as it appears in dead-letter records and metric names, e.g. {@code malformed_json}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
