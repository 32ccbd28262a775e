package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.event.Forecast;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reader of forecast records: every field the writer writes reads back, and its bounds hold. */
class ForecastReaderTest {
    private static final Forecast FULL = new Forecast(
            "pump-7",
            1_700_000_000_000L,
            "sensors",
            "3",
            42,
            List.of("x", "y"),
            2,
            new float[] {1.5f, -2},
            new float[] {10, 20, Float.POSITIVE_INFINITY, 21},
            new float[] {0.25f, Float.NEGATIVE_INFINITY},
            new float[] {1, 3},
            new float[] {2, 4},
            new float[] {9, 19, 8, 18},
            new float[] {11, 21, 12, 22},
            "seasonal:24",
            new float[] {9, 19, 8, 18},
            new float[] {0.5f, 1.5f, Float.NaN, Float.NaN},
            new float[] {0.25f, -0.5f, Float.NaN, 0.75f},
            new float[] {11, 21, Float.NEGATIVE_INFINITY, 22},
            new float[] {0.25f, 1});

    private static JsonNode written(Forecast f) throws Exception {
        return OutputJson.parseTree(new String(OutputJson.forecast(f), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void everyFieldTheWriterWritesReadsBack() throws Exception {
        Forecast back = ForecastReader.read(written(FULL), 16, 512);
        assertEquals(FULL.entityId(), back.entityId());
        assertEquals(FULL.eventTime(), back.eventTime());
        assertEquals(FULL.modelName(), back.modelName());
        assertEquals(FULL.modelVersion(), back.modelVersion());
        assertEquals(FULL.step(), back.step());
        assertEquals(FULL.targets(), back.targets());
        assertEquals(FULL.horizon(), back.horizon());
        assertArrayEquals(FULL.actual(), back.actual());
        assertArrayEquals(FULL.forecast(), back.forecast(), "infinity is written as text and read back");
        assertArrayEquals(FULL.previousError(), back.previousError());
        assertArrayEquals(FULL.mae(), back.mae());
        assertArrayEquals(FULL.rmse(), back.rmse());
        assertArrayEquals(FULL.lower(), back.lower());
        assertArrayEquals(FULL.upper(), back.upper());
        assertEquals(FULL.baseline(), back.baseline());
        assertArrayEquals(FULL.baselineForecast(), back.baselineForecast());
        assertArrayEquals(FULL.baselineMae(), back.baselineMae(), "a step not scored yet is null, read as NaN");
        assertArrayEquals(FULL.skill(), back.skill());
        assertArrayEquals(FULL.modelForecast(), back.modelForecast());
        assertArrayEquals(FULL.weight(), back.weight());
    }

    @Test
    void recordsBeyondTheReadersBoundsReadAsNull() throws Exception {
        JsonNode o = written(FULL);
        assertNull(ForecastReader.read(o, 1, 512), "two targets, one allowed");
        assertNull(ForecastReader.read(o, 16, 1), "horizon 2, one allowed");
        assertEquals(2, ForecastReader.read(o, 2, 2).horizon());
    }

    @Test
    void aWeightOfAnotherShapeReadsAsNullAndTheRestOfTheRecordStays() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode o =
                (com.fasterxml.jackson.databind.node.ObjectNode) written(FULL);
        o.putArray("weight").add(0.5);
        Forecast shorter = ForecastReader.read(o, 16, 512);
        assertNull(shorter.weight(), "one weight for a horizon of 2");
        assertArrayEquals(FULL.modelForecast(), shorter.modelForecast());
        o.put("weight", "0.5");
        assertNull(ForecastReader.read(o, 16, 512).weight());
        o.putArray("weight").add(0.5).addNull();
        assertArrayEquals(
                new float[] {0.5f, Float.NaN}, ForecastReader.read(o, 16, 512).weight());
    }
}
