package io.lstmforecast.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lstmforecast.config.EventFormat;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.event.RecordOrigin;
import java.io.IOException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a Kafka record's JSON value into an {@link Event}, or into a {@link DeadLetter} that keeps
 * the original bytes and says exactly what is wrong. It never throws on bad input: a stream
 * processor that fails on one bad record stops every entity.
 *
 * <p>Two paths. The quick one reads the fields straight from Jackson's token stream, without a tree, and takes only
 * the common shape: a flat object with a string id, every field present and valid. Anything else (a missing or null
 * field, an integer id, a bad value, broken JSON) goes to the careful path, which builds the tree and says exactly what
 * is wrong. The quick path accepts nothing the careful one rejects and yields the same event
 * ({@code EventParserFuzzTest} holds them to that), so it changes speed only: the tree was most of the source task's
 * parsing time (docs/PERFORMANCE.md).
 */
public final class EventParser implements Serializable {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // {"x": 1, "x": 2} has no single meaning; the last-wins default would hide a producer's bug.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** Longest piece of a record's own text quoted back in a dead letter's detail. */
    private static final int QUOTE_CHARS = 100;

    private final EventFormat format;
    private final int featureCount;
    /** Position of each named feature field (event.features); empty when the values come in one array. */
    private final Map<String, Integer> featureIndex = new HashMap<>();

    /** @param featureCount how many feature values the model takes per event */
    public EventParser(EventFormat format, int featureCount) {
        this.format = format;
        this.featureCount = featureCount;
        if (format.features() != null
                && !format.features().isEmpty()
                && format.features().size() != featureCount) {
            throw new IllegalArgumentException("event.features lists "
                    + format.features().size() + " field(s) but the model takes " + featureCount);
        }
        if (format.valuesField() == null) {
            for (int i = 0; i < featureCount; i++) {
                featureIndex.putIfAbsent(format.features().get(i), i);
            }
        }
    }

    public ParsedRecord parse(RecordOrigin origin) {
        try {
            Event quick = quickEvent(origin);
            return ParsedRecord.of(quick != null ? quick : event(origin));
        } catch (Rejected r) {
            return ParsedRecord.of(new DeadLetter(r.reason, r.getMessage(), origin));
        } catch (RuntimeException | StackOverflowError e) {
            // The boundary: whatever a record makes a library throw becomes its dead letter, never a failed source.
            return ParsedRecord.of(
                    new DeadLetter(DeadLetterReason.MALFORMED_JSON, "the value could not be read: " + e, origin));
        }
    }

    /**
     * The event, read from the token stream, if the record has the common shape and is valid; null sends it to the
     * careful path ({@link #event}), which either accepts it too, with the same event, or says what is wrong.
     */
    Event quickEvent(RecordOrigin origin) {
        byte[] value = origin.value();
        if (value == null || value.length > format.maxRecordBytes() || !Utf8.isValid(value)) {
            return null;
        }
        String id = null;
        Long time = null;
        float[] values = new float[featureCount];
        boolean[] found = new boolean[featureCount];
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                Integer feature = featureIndex.get(name);
                if (name.equals(format.entityField())) {
                    id = checkedId(quickText(p, token));
                } else if (name.equals(format.timestampField())) {
                    time = quickTimestamp(p, token);
                } else if (name.equals(format.valuesField())) {
                    quickArray(p, token, values, found);
                } else if (feature != null) {
                    values[feature] = quickNumber(p, token);
                    found[feature] = true;
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null || id == null || time == null) {
                return null;
            }
        } catch (IOException | Rejected | RuntimeException e) {
            return null;
        }
        for (boolean f : found) {
            if (!f) {
                return null;
            }
        }
        return new Event(id, time, values, origin);
    }

    /** Anything the quick path does not take: the careful path reads the record again and says what it is. */
    private static Rejected notQuick() {
        return new Rejected(DeadLetterReason.MALFORMED_JSON, "left to the careful path");
    }

    /** A string value (an integer id is left to the careful path, which writes it as the tree does). */
    private static String quickText(JsonParser p, JsonToken token) throws IOException, Rejected {
        if (token != JsonToken.VALUE_STRING) {
            throw notQuick();
        }
        return p.getText();
    }

    /** Epoch millis or an ISO-8601 string, as the format allows, in range. */
    private long quickTimestamp(JsonParser p, JsonToken token) throws IOException, Rejected {
        String how = format.timestampFormat();
        if (token == JsonToken.VALUE_NUMBER_INT
                && !how.equals("iso-8601")
                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return inRange(p.getLongValue());
        }
        if (token == JsonToken.VALUE_STRING && !how.equals("epoch-millis")) {
            return inRange(OffsetDateTime.parse(p.getText()).toInstant().toEpochMilli());
        }
        throw notQuick();
    }

    /** Fills {@code values} from an array of exactly {@code featureCount} finite numbers. */
    private void quickArray(JsonParser p, JsonToken token, float[] values, boolean[] found)
            throws IOException, Rejected {
        if (token != JsonToken.START_ARRAY) {
            throw notQuick();
        }
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (i == featureCount) {
                throw notQuick();
            }
            values[i] = quickNumber(p, t);
            found[i++] = true;
        }
        if (i != featureCount) {
            throw notQuick();
        }
    }

    /** A finite number, as the careful path reads it ({@code (float) node.asDouble()}). */
    private static float quickNumber(JsonParser p, JsonToken token) throws IOException, Rejected {
        if (!token.isNumeric()) {
            throw notQuick();
        }
        float v = (float) p.getDoubleValue();
        if (!Float.isFinite(v)) {
            throw notQuick();
        }
        return v;
    }

    Event event(RecordOrigin origin) throws Rejected {
        byte[] value = origin.value();
        if (value == null) {
            throw new Rejected(DeadLetterReason.MALFORMED_JSON, "the record has no value (a tombstone)");
        }
        if (value.length > format.maxRecordBytes()) {
            throw new Rejected(
                    DeadLetterReason.OVERSIZED,
                    "the record is " + value.length + " bytes; the limit is " + format.maxRecordBytes()
                            + " (event.max-record-bytes)");
        }
        if (!Utf8.isValid(value)) {
            // Jackson would guess UTF-16 or UTF-32 from the byte pattern; JSON on the wire is UTF-8 (RFC 8259).
            throw new Rejected(
                    DeadLetterReason.MALFORMED_JSON,
                    "the value is not UTF-8 text (JSON must be UTF-8, without" + " NUL bytes)");
        }
        JsonNode root;
        try (JsonParser p = JSON.createParser(value)) {
            root = JSON.readTree(p);
            if (root != null && p.nextToken() != null) {
                throw new Rejected(DeadLetterReason.MALFORMED_JSON, "the value has content after the JSON object");
            }
        } catch (IOException e) {
            throw new Rejected(
                    DeadLetterReason.MALFORMED_JSON,
                    "the value is not valid JSON: "
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
            throw new Rejected(
                    DeadLetterReason.BAD_ENTITY_ID, "'" + format.entityField() + "' must be a string or an integer");
        }
        return checkedId(id.asText());
    }

    /** An id as given, if it is 1 to max-entity-id-length printable characters. */
    private String checkedId(String text) throws Rejected {
        if (text.isBlank() || text.length() > format.maxEntityIdLength()) {
            throw new Rejected(
                    DeadLetterReason.BAD_ENTITY_ID,
                    "'" + format.entityField() + "' must be 1 to " + format.maxEntityIdLength()
                            + " characters and not blank, but has " + text.length());
        }
        // Ids become Kafka keys, metric labels and terminal output: a control character (NUL, an ANSI escape) would
        // corrupt them, and a lone surrogate encodes to '?', mapping distinct entities to one key.
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean loneSurrogate = Character.isHighSurrogate(ch)
                    ? i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(++i))
                    : Character.isLowSurrogate(ch);
            if (Character.isISOControl(ch) || loneSurrogate) {
                throw new Rejected(
                        DeadLetterReason.BAD_ENTITY_ID,
                        "'" + format.entityField() + "' holds "
                                + (loneSurrogate
                                        ? "a lone UTF-16 surrogate"
                                        : String.format("the control character U+%04X", (int) ch))
                                + " at index " + i + "; ids must be printable text");
            }
        }
        return text;
    }

    private long timestamp(JsonNode root) throws Rejected {
        JsonNode t = required(root, format.timestampField());
        long millis;
        String how = format.timestampFormat();
        if (t.isIntegralNumber() && !how.equals("iso-8601")) {
            if (!t.canConvertToLong()) {
                throw new Rejected(
                        DeadLetterReason.BAD_TIMESTAMP,
                        "'" + format.timestampField() + "' value " + quote(t.asText())
                                + " does not fit in 64-bit epoch milliseconds");
            }
            millis = t.asLong();
        } else if (t.isTextual() && !how.equals("epoch-millis")) {
            try {
                millis = OffsetDateTime.parse(t.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new Rejected(
                        DeadLetterReason.BAD_TIMESTAMP,
                        "'" + format.timestampField() + "' value " + quote(t.asText())
                                + " is not an ISO-8601 time with offset, e.g. 2026-11-24T03:00:00.000Z");
            } catch (DateTimeException | ArithmeticException e) {
                // e.g. +300000000-01-01T00:00:00Z parses but is not representable in epoch milliseconds.
                throw new Rejected(
                        DeadLetterReason.BAD_TIMESTAMP,
                        "'" + format.timestampField() + "' value " + quote(t.asText())
                                + " is outside the range of epoch milliseconds");
            }
        } else {
            throw new Rejected(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "'" + format.timestampField() + "' must be "
                            + (how.equals("epoch-millis")
                                    ? "epoch milliseconds"
                                    : how.equals("iso-8601")
                                            ? "an ISO-8601 string"
                                            : "epoch milliseconds or an ISO-8601 string"));
        }
        return inRange(millis);
    }

    /** The time, if it lies between event.min-timestamp and now plus event.max-future-skew. */
    private long inRange(long millis) throws Rejected {
        long min = format.minTimestamp().toEpochMilli();
        long max = System.currentTimeMillis() + format.maxFutureSkew().toMillis();
        if (millis < min || millis > max) {
            throw new Rejected(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "timestamp " + millis + " is outside the accepted range " + format.minTimestamp() + " .. now + "
                            + format.maxFutureSkew());
        }
        return millis;
    }

    private float[] features(JsonNode root) throws Rejected {
        float[] values = new float[featureCount];
        if (format.valuesField() != null) {
            JsonNode array = required(root, format.valuesField());
            if (!array.isArray()) {
                throw new Rejected(
                        DeadLetterReason.NON_NUMERIC, "'" + format.valuesField() + "' must be an array of numbers");
            }
            if (array.size() != featureCount) {
                throw new Rejected(
                        DeadLetterReason.WRONG_FEATURE_COUNT,
                        "'" + format.valuesField() + "' has " + array.size() + " value(s) but the model takes "
                                + featureCount);
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
            throw new Rejected(
                    DeadLetterReason.NON_NUMERIC,
                    "'" + field + "' must be a number, not "
                            + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " "
                            + quote(n.toString()));
        }
        float v = (float) n.asDouble();
        if (!Float.isFinite(v)) {
            throw new Rejected(
                    DeadLetterReason.NON_FINITE, "'" + field + "' is " + n.asText() + ", which is not a finite float");
        }
        return v;
    }

    /** A piece of the record's text for a detail message, cut short: details must stay small. */
    private static String quote(String text) {
        return "'" + (text.length() <= QUOTE_CHARS ? text : text.substring(0, QUOTE_CHARS) + "...") + "'";
    }

    private static JsonNode required(JsonNode root, String field) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new Rejected(DeadLetterReason.MISSING_FIELD, "field '" + field + "' is missing");
        }
        return n;
    }

    /** Why a record is not an event; used for control flow only inside the parser. */
    static final class Rejected extends Exception {
        final DeadLetterReason reason;

        Rejected(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
