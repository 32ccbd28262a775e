package io.lstmforecast.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.io.OutputJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view's store: records as the job writes them, bounded memory, and records it cannot read skipped. */
class ForecastStoreTest {
    private static final List<String> XY = List.of("x", "y");

    /** A record written by the job's own writer: 2 targets, horizon 3, intervals and skill with a not-yet-scored step. */
    private static byte[] record(String entity, long step, float actualX) {
        return record(entity, step, actualX, null);
    }

    /** As above; with {@code weight}, a served combination whose model forecast is twice the served one. */
    private static byte[] record(String entity, long step, float actualX, float[] weight) {
        float[] forecast = {1, 2, 3, 4, 5, 6};
        float[] lower = {0, 1, 2, 3, 4, 5};
        float[] upper = {2, 3, 4, 5, 6, 7};
        return OutputJson.forecast(new Forecast(
                entity,
                1_000L * step,
                "tracks",
                "7",
                step,
                XY,
                3,
                new float[] {actualX, 9},
                forecast,
                new float[] {0.5f, -1.5f},
                new float[] {1, 3},
                new float[] {1, 3},
                lower,
                upper,
                "persistence",
                forecast,
                new float[] {2, 4, Float.NaN, Float.NaN},
                new float[] {0.5f, 0.25f, Float.NaN, Float.NaN},
                weight == null ? null : new float[] {2, 4, 6, 8, 10, 12},
                weight));
    }

    @Test
    void keepsTheJobsRecordsWithTheirFigures() {
        ForecastStore store = new ForecastStore(10, 10);
        store.onForecast(record("a", 1, 4));
        JsonNode row = store.entities(-1).get(0);
        assertEquals("a", row.get("entity").asText());
        assertEquals(1.0, row.get("error").asDouble(), 1e-6, "mean |previous error| over x and y");
        assertEquals(2.0, row.get("mae").asDouble(), 1e-6);
        assertEquals(0.375, row.get("skill").asDouble(), 1e-6);
        assertTrue(row.get("skill_last").isNull(), "a step not scored yet is null, not NaN");
        ObjectNode detail = store.entity("a", -1);
        assertEquals(3, detail.get("horizon").asInt());
        JsonNode p = detail.get("points").get(0);
        assertEquals(4.0, p.get("actual").get(0).asDouble());
        assertEquals(6, p.get("forecast").size());
        assertEquals(7.0, p.get("upper").get(5).asDouble());
        assertEquals("7", store.status().get("version").asText());
    }

    @Test
    void keepsTheModelsWeightPerStepAndShowsItsMeanInTheList() {
        ForecastStore store = new ForecastStore(10, 10);
        store.onForecast(record("plain", 1, 4));
        store.onForecast(record("mixed", 1, 4, new float[] {0.9f, 0.6f, 0.3f}));
        store.onForecast(record("mixed", 2, 4, new float[] {0.8f, 0.5f, 0.2f}));
        JsonNode rows = store.entities(-1);
        assertTrue(rows.get(0).get("weight").isNull(), "no combination served: no weight");
        assertEquals(0.5, rows.get(1).get("weight").asDouble(), 1e-6, "the latest record's mean over the 3 steps");
        ObjectNode detail = store.entity("mixed", -1);
        assertEquals(0.5, detail.get("weight").asDouble(), 1e-6);
        JsonNode points = detail.get("points");
        assertEquals("[0.9,0.6,0.3]", points.get(0).get("weight").toString());
        assertEquals(0.2, points.get(1).get("weight").get(2).asDouble(), 1e-6);
        assertTrue(store.entity("plain", -1).get("points").get(0).get("weight").isNull());
    }

    @Test
    void keepsABoundedWindowPerEntityAndDropsTheLeastRecentlyUpdatedEntity() {
        ForecastStore store = new ForecastStore(5, 3);
        for (int step = 1; step <= 20; step++) {
            store.onForecast(record("a", step, step));
        }
        store.onForecast(record("b", 1, 0));
        store.onForecast(record("c", 1, 0));
        store.onForecast(record("a", 21, 21)); // a is now the most recently updated
        store.onForecast(record("d", 1, 0)); // so b, the stalest, makes room
        JsonNode points = store.entity("a", -1).get("points");
        assertEquals(5, points.size());
        assertEquals(17, points.get(0).get("step").asLong(), "the oldest points went first");
        assertNull(store.entity("b", -1));
        List<String> entities = new ArrayList<>();
        store.entities(-1).forEach(r -> entities.add(r.get("entity").asText()));
        assertEquals(List.of("c", "a", "d"), entities);
        assertEquals(24, store.status().get("forecasts").asLong());
    }

    @Test
    void answersWithWhatChangedSinceASequenceNumber() {
        ForecastStore store = new ForecastStore(10, 10);
        store.onForecast(record("a", 1, 1));
        store.onForecast(record("b", 1, 1));
        long seen = store.seq();
        store.onForecast(record("a", 2, 2));
        assertEquals(1, store.entities(seen).size());
        assertEquals(2, store.entity("a", seen).get("points").get(0).get("step").asLong());
        assertEquals(1, store.entity("a", seen).get("points").size());
    }

    @Test
    void skipsRecordsItCannotReadAndCountsThem() {
        ForecastStore store = new ForecastStore(10, 10);
        for (String bad : List.of(
                "not json",
                "{}",
                "[1,2]",
                "{\"entity\":\"a\",\"event_time\":1,\"targets\":[\"x\"],\"horizon\":2}",
                "{\"entity\":\"a\",\"event_time\":1,\"targets\":[\"x\"],\"horizon\":2,\"forecast\":{\"x\":[1]}}",
                "{\"entity\":\"a\",\"event_time\":1,\"targets\":[\"x\"],\"horizon\":100000,\"forecast\":{\"x\":[1]}}")) {
            store.onForecast(bad.getBytes(StandardCharsets.UTF_8));
        }
        store.onForecast(null);
        store.onAlert("{\"entity\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        // Optional parts of another shape are left out; the record still draws.
        store.onForecast(
                ("{\"entity\":\"a\",\"event_time\":1,\"targets\":[\"x\"],\"horizon\":2,\"forecast\":{\"x\":[1,\"?\"]},"
                                + "\"actual\":\"x\",\"lower\":{\"x\":[1]},\"skill\":7,\"model\":3}")
                        .getBytes(StandardCharsets.UTF_8));
        JsonNode status = store.status();
        assertEquals(8, status.get("skipped").asLong());
        assertEquals(8, status.get("forecasts").asLong());
        JsonNode p = store.entity("a", -1).get("points").get(0);
        assertTrue(p.get("forecast").get(1).isNull());
        assertTrue(p.get("actual").isNull());
        assertTrue(p.get("lower").isNull());
    }

    @Test
    void marksAlertsOnTheirEntity() {
        ForecastStore store = new ForecastStore(10, 10);
        store.onForecast(record("a", 1, 1));
        store.onAlert(
                ("{\"entity\":\"a\",\"event_time\":1000,\"target\":\"x\",\"actual\":9.5,\"forecast\":1,\"score\":4.2,"
                                + "\"likelihood\":null}")
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(1, store.entities(-1).get(0).get("alerts").asLong());
        JsonNode mark = store.entity("a", -1).get("alert_marks").get(0);
        assertEquals(9.5, mark.get("actual").asDouble());
        assertEquals("x", mark.get("target").asText());
    }
}
