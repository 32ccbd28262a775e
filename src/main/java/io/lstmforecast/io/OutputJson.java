package io.lstmforecast.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.event.Alert;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelStatus;
import io.lstmforecast.event.RecordOrigin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The JSON written to the output topics: forecasts, dead letters, alerts and model status. */
public final class OutputJson {
    /**
     * Floats are written by Jackson's Schubfach writer: the shortest text that reads back as the same float
     * (OutputJsonTest), at a fraction of the cost of the JDK's Float.toString (docs/PERFORMANCE.md).
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private static final SerializedString ENTITY = new SerializedString("entity");
    private static final SerializedString EVENT_TIME = new SerializedString("event_time");
    private static final SerializedString EVENT_TIME_ISO = new SerializedString("event_time_iso");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString VERSION = new SerializedString("version");
    private static final SerializedString STEP = new SerializedString("step");
    private static final SerializedString HORIZON = new SerializedString("horizon");
    private static final SerializedString TARGETS = new SerializedString("targets");
    private static final SerializedString ACTUAL = new SerializedString("actual");
    private static final SerializedString FORECAST = new SerializedString("forecast");
    private static final SerializedString PREVIOUS_ERROR = new SerializedString("previous_error");
    private static final SerializedString ROLLING_MAE = new SerializedString("rolling_mae");
    private static final SerializedString ROLLING_RMSE = new SerializedString("rolling_rmse");
    private static final SerializedString LOWER = new SerializedString("lower");
    private static final SerializedString UPPER = new SerializedString("upper");
    private static final SerializedString BASELINE = new SerializedString("baseline");
    private static final SerializedString BASELINE_FORECAST = new SerializedString("baseline_forecast");
    private static final SerializedString BASELINE_MAE = new SerializedString("baseline_mae");
    private static final SerializedString SKILL = new SerializedString("skill");
    private static final SerializedString MODEL_FORECAST = new SerializedString("model_forecast");
    private static final SerializedString WEIGHT = new SerializedString("weight");
    private static final ThreadLocal<TargetNames> TARGET_NAMES = new ThreadLocal<>();

    private static final int MAX_VALUE_TEXT = 64 * 1024;
    private static final int MAX_NAME_CHARS = 256;
    private static final int MAX_SOURCE_CHARS = 1024;
    private static final int MAX_DETAIL_CHARS = 4096;

    private OutputJson() {}

    /**
     * {"entity", "event_time", "event_time_iso", "model": {"name", "version"}, "step", "horizon",
     * "targets", "actual": {target: v}, "forecast": {target: [v at +1 .. +horizon]},
     * "previous_error": {target: actual - previous one-step forecast} or null, "rolling_mae", "rolling_rmse",
     * "lower", "upper": {target: [bound at +1 .. +horizon]} or null (prediction intervals off or still learning),
     * and unless the job's baseline is none: "baseline" (its name), "baseline_forecast" (as "forecast"),
     * "baseline_mae" and "skill": {target: [at step 1, at step horizon]} with null for a step not scored yet, or null
     * before any score; and when what is served combines the model with the baseline: "model_forecast" (the model's
     * own, as "forecast") and "weight": [the model's weight at +1 .. +horizon]}
     */
    public static byte[] forecast(Forecast f) {
        // Written field by field with the streaming generator, field names pre-encoded: the job writes one of these per
        // event, so neither a tree nor escaping every name of every record belongs on that path (their cost:
        // docs/PERFORMANCE.md, "Where the time goes").
        ByteArrayBuilder out = new ByteArrayBuilder(JSON.getFactory()._getBufferRecycler(), 512);
        SerializedString[] targets = targetNames(f.targets());
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(ENTITY);
            g.writeString(f.entityId());
            g.writeFieldName(EVENT_TIME);
            g.writeNumber(f.eventTime());
            g.writeFieldName(EVENT_TIME_ISO);
            g.writeString(IsoInstant.of(f.eventTime()));
            g.writeFieldName(MODEL);
            g.writeStartObject();
            g.writeFieldName(NAME);
            g.writeString(f.modelName());
            g.writeFieldName(VERSION);
            g.writeString(f.modelVersion());
            g.writeEndObject();
            g.writeFieldName(STEP);
            g.writeNumber(f.step());
            g.writeFieldName(HORIZON);
            g.writeNumber(f.horizon());
            g.writeFieldName(TARGETS);
            g.writeStartArray();
            for (SerializedString t : targets) {
                g.writeString(t);
            }
            g.writeEndArray();
            perTarget(g, ACTUAL, targets, f.actual());
            perStep(g, FORECAST, targets, f.horizon(), f.forecast(), false);
            perTarget(g, PREVIOUS_ERROR, targets, f.previousError());
            perTarget(g, ROLLING_MAE, targets, f.mae());
            perTarget(g, ROLLING_RMSE, targets, f.rmse());
            perStep(g, LOWER, targets, f.horizon(), f.lower(), false);
            perStep(g, UPPER, targets, f.horizon(), f.upper(), false);
            if (f.baseline() != null) {
                g.writeFieldName(BASELINE);
                g.writeString(f.baseline());
                perStep(g, BASELINE_FORECAST, targets, f.horizon(), f.baselineForecast(), false);
                perStep(g, BASELINE_MAE, targets, 2, f.baselineMae(), true);
                perStep(g, SKILL, targets, 2, f.skill(), true);
            }
            if (f.modelForecast() != null) {
                perStep(g, MODEL_FORECAST, targets, f.horizon(), f.modelForecast(), false);
            }
            if (f.weight() != null) {
                g.writeFieldName(WEIGHT);
                g.writeStartArray();
                for (float w : f.weight()) {
                    g.writeNumber(w);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    /** Any JSON record as a tree. */
    public static JsonNode parseTree(String json) throws IOException {
        return JSON.readTree(json);
    }

    /**
     * Reads back what {@link #forecast} wrote, with {@link ForecastReader}; a record that is not a forecast is an
     * IllegalArgumentException.
     */
    public static Forecast parseForecast(byte[] json) {
        Forecast f;
        try {
            f = ForecastReader.read(JSON.readTree(json), Integer.MAX_VALUE, Integer.MAX_VALUE);
        } catch (IOException e) {
            f = null;
        }
        if (f == null) {
            throw new IllegalArgumentException("not a forecast record: " + new String(json, StandardCharsets.UTF_8));
        }
        return f;
    }

    /**
     * {"reason", "detail", "source": {"topic", "partition", "offset", "timestamp"}, "key_base64",
     * "value_base64", "value_text" (when the value is UTF-8 and at most 64 KiB)}, at most {@code maxBytes}
     * long. A record that would be longer (the original record was near the broker's own limit) drops
     * value_text and keeps as many of the original bytes as fit, marked {"truncated": true, "key_bytes",
     * "value_bytes"} with the original lengths: a dead letter that cannot be sent would fail the job.
     */
    public static byte[] deadLetter(DeadLetter d, int maxBytes) {
        RecordOrigin src = d.origin();
        ObjectNode o = JSON.createObjectNode();
        o.put("reason", d.reason().id());
        o.put("detail", cut(d.detail(), MAX_DETAIL_CHARS));
        ObjectNode s = o.putObject("source");
        s.put("topic", src.topic())
                .put("partition", src.partition())
                .put("offset", src.offset())
                .put("timestamp", src.kafkaTimestamp());
        o.put("key_base64", base64(src.key(), Integer.MAX_VALUE));
        o.put("value_base64", base64(src.value(), Integer.MAX_VALUE));
        String text = utf8(src.value());
        if (text != null) {
            o.put("value_text", text);
        }
        byte[] whole = bytes(o);
        if (whole.length <= maxBytes) {
            return whole;
        }
        o.remove("value_text");
        o.put("truncated", true);
        o.put("key_bytes", src.key() == null ? 0 : src.key().length);
        o.put("value_bytes", src.value() == null ? 0 : src.value().length);
        o.put("key_base64", "");
        o.put("value_base64", "");
        long room = maxBytes - bytes(o).length - 8;
        int keyRoom = (int) Math.max(0, room / 4 / 4 * 3);
        String key = base64(src.key(), keyRoom);
        o.put("key_base64", key);
        o.put("value_base64", base64(src.value(), (int)
                Math.max(0, (room - (key == null ? 0 : key.length())) / 4 * 3)));
        return bytes(o);
    }

    /** The dead letter's Kafka key: the original key, or its first quarter of {@code maxBytes} when it is longer. */
    public static byte[] deadLetterKey(DeadLetter d, int maxBytes) {
        byte[] key = d.origin().key();
        return key == null || key.length <= maxBytes / 4 ? key : java.util.Arrays.copyOf(key, maxBytes / 4);
    }

    /** Base64 of at most the first {@code maxBytes} bytes. */
    private static String base64(byte[] b, int maxBytes) {
        return b == null
                ? null
                : Base64.getEncoder().encodeToString(b.length <= maxBytes ? b : java.util.Arrays.copyOf(b, maxBytes));
    }

    public static byte[] alert(Alert a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("entity", a.entityId())
                .put("event_time", a.eventTime())
                .put("event_time_iso", IsoInstant.of(a.eventTime()));
        o.putObject("model").put("name", a.modelName()).put("version", a.modelVersion());
        o.put("target", a.target())
                .put("actual", a.actual())
                .put("forecast", a.forecast())
                .put("error", a.error())
                .put("error_mean", a.errorMean())
                .put("error_std", a.errorStd())
                .put("score", a.score());
        if (Double.isNaN(a.likelihood())) {
            o.putNull("likelihood");
        } else {
            o.put("likelihood", a.likelihood());
        }
        return bytes(o);
    }

    /**
     * {"name", "version", "status", "reason", "source", "time"}; the texts come from whoever sent the control
     * message, so each is cut to a bound (names 256 characters, source 1,024, reason 4,096) and the record is
     * marked {"truncated": true} when one was.
     */
    public static byte[] modelStatus(ModelStatus s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", cut(s.name(), MAX_NAME_CHARS))
                .put("version", cut(s.version(), MAX_NAME_CHARS))
                .put("status", s.status())
                .put("reason", cut(s.reason(), MAX_DETAIL_CHARS))
                .put("source", cut(s.source(), MAX_SOURCE_CHARS))
                .put("time", s.time());
        if (longer(s.name(), MAX_NAME_CHARS)
                || longer(s.version(), MAX_NAME_CHARS)
                || longer(s.reason(), MAX_DETAIL_CHARS)
                || longer(s.source(), MAX_SOURCE_CHARS)) {
            o.put("truncated", true);
        }
        return bytes(o);
    }

    /** The model-status record's Kafka key: the version, cut as in the record. */
    public static byte[] modelStatusKey(ModelStatus s) {
        return s.version() == null ? null : cut(s.version(), MAX_NAME_CHARS).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean longer(String text, int max) {
        return text != null && text.length() > max;
    }

    /** At most {@code max} characters, marked with an ellipsis when cut. */
    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static void perTarget(JsonGenerator g, SerializedString field, SerializedString[] targets, float[] values)
            throws IOException {
        g.writeFieldName(field);
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int t = 0; t < targets.length; t++) {
            g.writeFieldName(targets[t]);
            g.writeNumber(values[t]);
        }
        g.writeEndObject();
    }

    /**
     * {target: [value at +1 .. +steps]} from steps x targets row-major values; null stays null. With {@code nanAsNull}
     * (the skill figures: a step not scored yet) NaN is written as null.
     */
    private static void perStep(
            JsonGenerator g,
            SerializedString field,
            SerializedString[] targets,
            int steps,
            float[] values,
            boolean nanAsNull)
            throws IOException {
        g.writeFieldName(field);
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int t = 0; t < targets.length; t++) {
            g.writeFieldName(targets[t]);
            g.writeStartArray();
            for (int k = 0; k < steps; k++) {
                float v = values[k * targets.length + t];
                if (nanAsNull && Float.isNaN(v)) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The target names of the last model this thread wrote a forecast for, pre-encoded; others are encoded anew. */
    private static SerializedString[] targetNames(List<String> targets) {
        TargetNames last = TARGET_NAMES.get();
        if (last == null || !last.targets().equals(targets)) {
            last = new TargetNames(
                    targets, targets.stream().map(SerializedString::new).toArray(SerializedString[]::new));
            TARGET_NAMES.set(last);
        }
        return last.names();
    }

    private record TargetNames(List<String> targets, SerializedString[] names) {}

    private static String utf8(byte[] value) {
        if (value == null || value.length > MAX_VALUE_TEXT) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
