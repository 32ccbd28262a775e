package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Forecast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputJsonTest {
    private static Forecast forecast(float[] lower, float[] upper) {
        // Two targets, horizon 2, row-major by step: x+1, y+1, x+2, y+2.
        return new Forecast(
                "e",
                1000L,
                "m",
                "1",
                5,
                List.of("x", "y"),
                2,
                new float[] {1, 2},
                new float[] {10, 20, 11, 21},
                null,
                null,
                null,
                lower,
                upper,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The fast float writer's text reads back as the very float written, over the whole range of magnitudes. */
    @Test
    void everyForecastValueReadsBackAsTheSameFloat() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            float[] values = new float[4];
            for (int j = 0; j < values.length; j++) {
                values[j] = Float.intBitsToFloat(random.nextInt());
                if (!Float.isFinite(values[j])) {
                    values[j] = Float.MIN_VALUE * (i + 1);
                }
            }
            values[0] = i == 0 ? Float.MAX_VALUE : values[0];
            Forecast f = forecast(null, null);
            Forecast written = new Forecast(
                    f.entityId(),
                    f.eventTime(),
                    f.modelName(),
                    f.modelVersion(),
                    f.step(),
                    f.targets(),
                    f.horizon(),
                    f.actual(),
                    values,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
            assertArrayEquals(
                    values,
                    OutputJson.parseForecast(OutputJson.forecast(written)).forecast());
        }
    }

    @Test
    void boundsAreWrittenPerTargetAsArraysOfStepsLikeTheForecast() throws Exception {
        Forecast f = forecast(new float[] {9, 18, 9.5f, 18.5f}, new float[] {11, 22, 12.5f, 23.5f});
        JsonNode o = OutputJson.parseTree(new String(OutputJson.forecast(f)));
        assertEquals("[10.0,11.0]", o.get("forecast").get("x").toString());
        assertEquals("[9.0,9.5]", o.get("lower").get("x").toString());
        assertEquals("[18.0,18.5]", o.get("lower").get("y").toString());
        assertEquals("[22.0,23.5]", o.get("upper").get("y").toString());
        Forecast back = OutputJson.parseForecast(OutputJson.forecast(f));
        assertArrayEquals(f.lower(), back.lower());
        assertArrayEquals(f.upper(), back.upper());
    }

    @Test
    void boundsAreNullWhileIntervalsLearnOrAreOff() throws Exception {
        JsonNode o = OutputJson.parseTree(new String(OutputJson.forecast(forecast(null, null))));
        assertTrue(o.has("lower") && o.get("lower").isNull());
        assertTrue(o.has("upper") && o.get("upper").isNull());
        assertNull(OutputJson.parseForecast(OutputJson.forecast(forecast(null, null)))
                .lower());
    }

    /**
     * The whole record, byte for byte, as the writer before pre-encoded field names wrote it (text captured from that
     * build): escaped and non-ASCII names and ids, NaN in a forecast (a string) and in a skill step (null), with a
     * baseline and without one.
     */
    @Test
    void theForecastRecordIsByteForByteTheSameAsBeforeFieldNamesWerePreEncoded() {
        Forecast f = new Forecast(
                "e\"1\u00e9",
                1700000000123L,
                "m",
                "v1",
                5,
                List.of("x", "y\u00b0"),
                2,
                new float[] {1.5f, -2e-7f},
                new float[] {10.1f, 20, 11, Float.NaN},
                new float[] {0.1f, 3.4028235e38f},
                new float[] {0.3f, 0.2f},
                new float[] {0.4f, 0.25f},
                new float[] {9, 19, 10, 18},
                new float[] {11, 21, 12, 24},
                "seasonal:24",
                new float[] {9, 19, 8, 18},
                new float[] {0.5f, 1.5f, Float.NaN, Float.NaN},
                new float[] {0.25f, -0.5f, Float.NaN, Float.NaN},
                null,
                null);
        assertEquals(
                "{\"entity\":\"e\\\"1\u00e9\",\"event_time\":1700000000123,\"event_time_iso\":\"2023-11-14T22:13:20.123Z\","
                        + "\"model\":{\"name\":\"m\",\"version\":\"v1\"},\"step\":5,\"horizon\":2,\"targets\":[\"x\",\"y\u00b0\"],"
                        + "\"actual\":{\"x\":1.5,\"y\u00b0\":-2.0E-7},\"forecast\":{\"x\":[10.1,11.0],\"y\u00b0\":[20.0,\"NaN\"]},"
                        + "\"previous_error\":{\"x\":0.1,\"y\u00b0\":3.4028235E38},\"rolling_mae\":{\"x\":0.3,\"y\u00b0\":0.2},"
                        + "\"rolling_rmse\":{\"x\":0.4,\"y\u00b0\":0.25},\"lower\":{\"x\":[9.0,10.0],\"y\u00b0\":[19.0,18.0]},"
                        + "\"upper\":{\"x\":[11.0,12.0],\"y\u00b0\":[21.0,24.0]},\"baseline\":\"seasonal:24\","
                        + "\"baseline_forecast\":{\"x\":[9.0,8.0],\"y\u00b0\":[19.0,18.0]},"
                        + "\"baseline_mae\":{\"x\":[0.5,null],\"y\u00b0\":[1.5,null]},"
                        + "\"skill\":{\"x\":[0.25,null],\"y\u00b0\":[-0.5,null]}}",
                new String(OutputJson.forecast(f), StandardCharsets.UTF_8));
        Forecast plain = new Forecast(
                "plain",
                0L,
                "m",
                "1",
                1,
                List.of("v"),
                1,
                new float[] {1},
                new float[] {2},
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertEquals(
                "{\"entity\":\"plain\",\"event_time\":0,\"event_time_iso\":\"1970-01-01T00:00:00Z\","
                        + "\"model\":{\"name\":\"m\",\"version\":\"1\"},\"step\":1,\"horizon\":1,\"targets\":[\"v\"],"
                        + "\"actual\":{\"v\":1.0},\"forecast\":{\"v\":[2.0]},\"previous_error\":null,\"rolling_mae\":null,"
                        + "\"rolling_rmse\":null,\"lower\":null,\"upper\":null}",
                new String(OutputJson.forecast(plain), StandardCharsets.UTF_8));
    }

    /**
     * Two targets x and y, horizon 2, scored at step 1 only: the baseline's MAE and skill at [step 1 x, step 1 y, step 2
     * x, step 2 y] with NaN for step 2.
     */
    static Forecast twoTargets(float[] forecast, String baseline, float[] modelForecast, float[] weight) {
        return new Forecast(
                "e",
                1000L,
                "m",
                "1",
                5,
                List.of("x", "y"),
                2,
                new float[] {1, 2},
                forecast,
                null,
                null,
                null,
                null,
                null,
                baseline,
                new float[] {9, 19, 8, 18},
                new float[] {0.5f, 1.5f, Float.NaN, Float.NaN},
                new float[] {0.25f, -0.5f, Float.NaN, Float.NaN},
                modelForecast,
                weight);
    }

    /**
     * A served forecast that combines model and baseline carries the model's own forecast and its weight per step, right
     * after the skill; they read back as written.
     */
    @Test
    void aCombinedForecastCarriesTheModelsOwnForecastAndItsWeightPerStep() {
        // Two targets, horizon 2: served = w * model + (1 - w) * baseline at each step.
        Forecast f = twoTargets(
                new float[] {9.75f, 19.75f, 8.5f, 18.5f}, "persistence", new float[] {10, 20, 9, 19}, new float[] {
                    0.75f, 0.5f
                });
        byte[] json = OutputJson.forecast(f);
        assertEquals(
                "{\"entity\":\"e\",\"event_time\":1000,\"event_time_iso\":\"1970-01-01T00:00:01Z\","
                        + "\"model\":{\"name\":\"m\",\"version\":\"1\"},\"step\":5,\"horizon\":2,\"targets\":[\"x\",\"y\"],"
                        + "\"actual\":{\"x\":1.0,\"y\":2.0},\"forecast\":{\"x\":[9.75,8.5],\"y\":[19.75,18.5]},"
                        + "\"previous_error\":null,\"rolling_mae\":null,\"rolling_rmse\":null,\"lower\":null,\"upper\":null,"
                        + "\"baseline\":\"persistence\",\"baseline_forecast\":{\"x\":[9.0,8.0],\"y\":[19.0,18.0]},"
                        + "\"baseline_mae\":{\"x\":[0.5,null],\"y\":[1.5,null]},"
                        + "\"skill\":{\"x\":[0.25,null],\"y\":[-0.5,null]},"
                        + "\"model_forecast\":{\"x\":[10.0,9.0],\"y\":[20.0,19.0]},\"weight\":[0.75,0.5]}",
                new String(json, StandardCharsets.UTF_8));
        Forecast back = OutputJson.parseForecast(json);
        assertArrayEquals(f.modelForecast(), back.modelForecast());
        assertArrayEquals(f.weight(), back.weight());
        assertArrayEquals(f.forecast(), back.forecast());
        // Without a combination the fields are absent and read back as null.
        Forecast plain = OutputJson.parseForecast(OutputJson.forecast(forecast(null, null)));
        assertNull(plain.modelForecast());
        assertNull(plain.weight());
    }

    @Test
    void theBaselineFieldsArePerTargetWithNullForAStepNotScoredYet() throws Exception {
        // Two targets, horizon 2; MAE and skill at [step 1 x, step 1 y, step 2 x, step 2 y], step 2 not scored yet.
        Forecast f = twoTargets(new float[] {10, 20, 11, 21}, "seasonal:24", null, null);
        byte[] json = OutputJson.forecast(f);
        JsonNode o = OutputJson.parseTree(new String(json));
        assertEquals("seasonal:24", o.get("baseline").asText());
        assertEquals("[9.0,8.0]", o.get("baseline_forecast").get("x").toString());
        assertEquals("[19.0,18.0]", o.get("baseline_forecast").get("y").toString());
        assertEquals("[0.5,null]", o.get("baseline_mae").get("x").toString());
        assertEquals("[1.5,null]", o.get("baseline_mae").get("y").toString());
        assertEquals("[0.25,null]", o.get("skill").get("x").toString());
        assertEquals("[-0.5,null]", o.get("skill").get("y").toString());
        Forecast back = OutputJson.parseForecast(json);
        assertEquals("seasonal:24", back.baseline());
        assertArrayEquals(f.baselineForecast(), back.baselineForecast());
        assertArrayEquals(f.baselineMae(), back.baselineMae());
        assertArrayEquals(f.skill(), back.skill());
    }

    @Test
    void beforeAnyScoreTheMaeAndSkillAreNullAndWithoutABaselineTheFieldsAreAbsent() throws Exception {
        Forecast learning = new Forecast(
                "e",
                1000L,
                "m",
                "1",
                1,
                List.of("x"),
                1,
                new float[] {1},
                new float[] {2},
                null,
                null,
                null,
                null,
                null,
                "persistence",
                new float[] {1},
                null,
                null,
                null,
                null);
        JsonNode o = OutputJson.parseTree(new String(OutputJson.forecast(learning)));
        assertTrue(o.get("baseline_mae").isNull() && o.get("skill").isNull());
        assertEquals("[1.0]", o.get("baseline_forecast").get("x").toString());
        JsonNode none = OutputJson.parseTree(new String(OutputJson.forecast(forecast(null, null))));
        for (String field : List.of("baseline", "baseline_forecast", "baseline_mae", "skill")) {
            assertTrue(!none.has(field), field + " is absent with baseline none");
        }
        assertNull(OutputJson.parseForecast(OutputJson.forecast(forecast(null, null)))
                .baseline());
    }

    @Test
    void alertsCarryTheirLikelihood() throws Exception {
        Alert a = new Alert("e", 1000L, "m", "1", "x", 5f, 1f, 4f, 0f, 0.5f, 8f, 0.9999971);
        assertEquals(
                0.9999971,
                OutputJson.parseTree(new String(OutputJson.alert(a)))
                        .get("likelihood")
                        .asDouble(),
                1e-12);
        Alert learning = new Alert("e", 1000L, "m", "1", "x", 5f, 1f, 4f, 0f, 0.5f, 8f, Double.NaN);
        assertTrue(OutputJson.parseTree(new String(OutputJson.alert(learning)))
                .get("likelihood")
                .isNull());
    }
}
