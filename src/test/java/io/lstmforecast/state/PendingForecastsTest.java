package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PendingForecastsTest {
    /** The forecast made at event i: step k of target t is 100 i + 10 k + t (model) or its negative (baseline). */
    private static float[] made(int i, int horizon, int targets, int sign) {
        float[] f = new float[horizon * targets];
        for (int k = 1; k <= horizon; k++) {
            for (int t = 0; t < targets; t++) {
                f[(k - 1) * targets + t] = sign * (100 * i + 10 * k + t);
            }
        }
        return f;
    }

    @Test
    void theKStepForecastForAnEventIsTheOneMadeKEventsBefore() {
        int horizon = 4;
        int targets = 2;
        PendingForecasts ring = PendingForecasts.fresh(horizon, targets, true, false);
        for (int i = 0; i < 10; i++) {
            // Event i arrives: its k-step forecast was made at event i - k (NaN before the first event).
            for (int k = 1; k <= horizon; k++) {
                for (int t = 0; t < targets; t++) {
                    float expected = i - k >= 0 ? 100 * (i - k) + 10 * k + t : Float.NaN;
                    assertEquals(expected, ring.model(k, t), "event " + i + " step " + k);
                    assertEquals(expected, ring.served(k, t), "served is the model's");
                    assertEquals(i - k >= 0 ? -expected : Float.NaN, ring.baseline(k, t));
                }
            }
            float[] model = made(i, horizon, targets, 1);
            ring = ring.push(model, made(i, horizon, targets, -1), null);
        }
    }

    @Test
    void aCombinationsWeightsAreKeptSoTheServedForecastIsRecomputedBitForBit() throws Exception {
        PendingForecasts ring = PendingForecasts.fresh(2, 1, true, true);
        float w1 = CombinationWeights.quantize(0.3);
        float w2 = CombinationWeights.quantize(0.9);
        ring = ring.push(new float[] {1, 2}, new float[] {3, 4}, new float[] {w1, w2});
        assertEquals(1, ring.model(1, 0));
        assertEquals(3, ring.baseline(1, 0));
        assertEquals(w1 * 1 + (1 - w1) * 3, ring.served(1, 0));
        ring = ring.push(new float[] {5, 6}, new float[] {7, 8}, new float[] {w2, w1});
        // The 2-step forecast made an event earlier, with that event's weight at step 2.
        assertEquals(w2 * 2 + (1 - w2) * 4, ring.served(2, 0));
        PendingForecasts back = roundTrip(ring, new int[1]);
        assertArrayEquals(ring.served(), back.served());
        assertArrayEquals(ring.weight(), back.weight());
    }

    private static PendingForecasts roundTrip(PendingForecasts ring, int[] bytes) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        new PendingStage.Codec().write(ring, 0, out);
        bytes[0] = out.length();
        return new PendingStage.Codec().read(1, 0, new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void aTrackWhoseForecastsAreTheSameAtEveryStepIsWrittenOncePerForecast() throws Exception {
        int horizon = 12;
        PendingForecasts ring = PendingForecasts.fresh(horizon, 1, true, false);
        for (int i = 0; i < 20; i++) {
            float[] persistence = new float[horizon];
            java.util.Arrays.fill(persistence, i);
            ring = ring.push(made(i, horizon, 1, 1), persistence, null);
        }
        int[] size = new int[1];
        PendingForecasts back = roundTrip(ring, size);
        assertArrayEquals(ring.model(), back.model());
        assertArrayEquals(ring.baseline(), back.baseline());
        assertEquals(0, back.weight().length);
        // horizon, targets, the model's 78 floats after its byte, the baseline's 12 after its byte, no weights (a
        // count)
        assertEquals(2 + (1 + 78 * 4) + (1 + 12 * 4) + 1, size[0]);
        // A fresh ring (all NaN) is flat too, and round-trips.
        assertArrayEquals(
                PendingForecasts.fresh(3, 2, true, true).served(),
                roundTrip(PendingForecasts.fresh(3, 2, true, true), size).served());
    }

    @Test
    void aChangedBaselineEmptiesTheBaselinesTrackAndKeepsTheModels() {
        Setup setup = Stages.setup(
                RandomBundles.random(CellKind.LSTM, List.of("value"), 4, 1, 3, 7)
                        .model(),
                ForecastPolicy.DEFAULT.withBaseline(Baseline.CONSTANT_VELOCITY));
        PendingStage stage = new PendingStage(setup);
        PendingForecasts ring = stage.fresh().push(made(0, 3, 1, 1), made(0, 3, 1, -1), new float[] {0.5f, 0.5f, 0.5f});
        assertSame(ring, stage.fit(ring, kind -> false), "a ring that fits is kept as it is");
        PendingForecasts refit = stage.fit(ring, kind -> kind == Stages.BASELINE);
        assertArrayEquals(ring.model(), refit.model());
        assertTrue(Float.isNaN(refit.baseline(1, 0)));
        PendingStage longer = new PendingStage(Stages.setup(
                RandomBundles.random(CellKind.LSTM, List.of("value"), 4, 1, 5, 7)
                        .model(),
                ForecastPolicy.DEFAULT));
        assertEquals(5, longer.fit(ring, kind -> false).horizon(), "another horizon starts a fresh ring");
    }
}
