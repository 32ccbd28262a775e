package io.lstmforecast.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.event.RecordOrigin;
import io.lstmforecast.job.JobConfig;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Turns a Kafka record's JSON value into an {@link Event}, or into a {@link DeadLetter} that keeps
 * the original bytes and says exactly what is wrong. It never throws on bad input: a stream
 * processor that fails on one bad record stops every entity.
 */
public final class EventParser implements Serializable {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final JobConfig.EventFormat format;
    private final int featureCount;

    /** @param featureCount how many feature values the model takes per event */
    public EventParser(JobConfig.EventFormat format, int featureCount) {
        this.format = format;
        this.featureCount = featureCount;
        if (format.features() != null && !format.features().isEmpty() && format.features().size() != featureCount) {
            throw new IllegalArgumentException("event.features lists " + format.features().size()
                    + " field(s) but the model takes " + featureCount);
        }
    }

    public ParsedRecord parse(RecordOrigin origin) {
        try {
            return ParsedRecord.of(event(origin));
        } catch (Rejected r) {
            return ParsedRecord.of(new DeadLetter(r.reason, r.getMessage(), origin));
        }
    }

    private Event event(RecordOrigin origin) throws Rejected {
        byte[] value = origin.value();
        if (value == null) {
            throw new Rejected(DeadLetterReason.MALFORMED_JSON, "the record has no value (a tombstone)");
        }
        if (value.length > format.maxRecordBytes()) {
            throw new Rejected(DeadLetterReason.OVERSIZED, "the record is " + value.length + " bytes; the limit is "
                    + format.maxRecordBytes() + " (event.max-record-bytes)");
        }
        JsonNode root;
        try (JsonParser p = JSON.createParser(value)) {
            root = JSON.readTree(p);
            if (root != null && p.nextToken() != null) {
                throw new Rejected(DeadLetterReason.MALFORMED_JSON, "the value has content after the JSON object");
            }
        } catch (IOException e) {
            throw new Rejected(DeadLetterReason.MALFORMED_JSON, "the value is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new Rejected(DeadLetterReason.MALFORMED_JSON, "the value must be a JSON object");
        }
        return new Event(entityId(root), timestamp(root), features(root), origin);
    }

    private String entityId(JsonNode root) throws Rejected {
        JsonNode id = required(root, format.entityField());
        if (!(id.isTextual() || id.isIntegralNumber())) {
            throw new Rejected(DeadLetterReason.BAD_ENTITY_ID, "'" + format.entityField() + "' must be a string or an integer");
        }
        String text = id.asText();
        if (text.isBlank() || text.length() > format.maxEntityIdLength()) {
            throw new Rejected(DeadLetterReason.BAD_ENTITY_ID, "'" + format.entityField() + "' must be 1 to "
                    + format.maxEntityIdLength() + " characters and not blank, but has " + text.length());
        }
        return text;
    }

    private long timestamp(JsonNode root) throws Rejected {
        JsonNode t = required(root, format.timestampField());
        long millis;
        String how = format.timestampFormat();
        if (t.isIntegralNumber() && !how.equals("iso-8601")) {
            millis = t.asLong();
        } else if (t.isTextual() && !how.equals("epoch-millis")) {
            try {
                millis = OffsetDateTime.parse(t.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new Rejected(DeadLetterReason.BAD_TIMESTAMP, "'" + format.timestampField() + "' value '" + t.asText()
                        + "' is not an ISO-8601 time with offset, e.g. 2026-11-24T03:00:00.000Z");
            }
        } else {
            throw new Rejected(DeadLetterReason.BAD_TIMESTAMP, "'" + format.timestampField() + "' must be "
                    + (how.equals("epoch-millis") ? "epoch milliseconds" : how.equals("iso-8601") ? "an ISO-8601 string"
                    : "epoch milliseconds or an ISO-8601 string"));
        }
        long min = format.minTimestamp().toEpochMilli();
        long max = System.currentTimeMillis() + format.maxFutureSkew().toMillis();
        if (millis < min || millis > max) {
            throw new Rejected(DeadLetterReason.BAD_TIMESTAMP, "timestamp " + millis + " is outside the accepted range "
                    + format.minTimestamp() + " .. now + " + format.maxFutureSkew());
        }
        return millis;
    }

    private float[] features(JsonNode root) throws Rejected {
        float[] values = new float[featureCount];
        if (format.valuesField() != null) {
            JsonNode array = required(root, format.valuesField());
            if (!array.isArray()) {
                throw new Rejected(DeadLetterReason.NON_NUMERIC, "'" + format.valuesField() + "' must be an array of numbers");
            }
            if (array.size() != featureCount) {
                throw new Rejected(DeadLetterReason.WRONG_FEATURE_COUNT, "'" + format.valuesField() + "' has " + array.size()
                        + " value(s) but the model takes " + featureCount);
            }
            for (int i = 0; i < featureCount; i++) {
                values[i] = number(array.get(i), format.valuesField() + "[" + i + "]");
            }
        } else {
            for (int i = 0; i < featureCount; i++) {
                String field = format.features().get(i);
                values[i] = number(required(root, field), field);
            }
        }
        return values;
    }

    private static float number(JsonNode n, String field) throws Rejected {
        if (!n.isNumber()) {
            throw new Rejected(DeadLetterReason.NON_NUMERIC, "'" + field + "' must be a number, not " + n.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT) + " " + n);
        }
        float v = (float) n.asDouble();
        if (!Float.isFinite(v)) {
            throw new Rejected(DeadLetterReason.NON_FINITE, "'" + field + "' is " + n.asText() + ", which is not a finite float");
        }
        return v;
    }

    private static JsonNode required(JsonNode root, String field) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new Rejected(DeadLetterReason.MISSING_FIELD, "field '" + field + "' is missing");
        }
        return n;
    }

    /** Why a record is not an event; used for control flow only inside the parser. */
    private static final class Rejected extends Exception {
        final DeadLetterReason reason;

        Rejected(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
