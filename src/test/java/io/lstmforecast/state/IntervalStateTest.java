package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class IntervalStateTest {
    static final List<String> FEATURES = List.of("value");

    @Test
    void aKStepForecastIsScoredAgainstTheValueKEventsLater() {
        // Actual value at event j is j. The forecast made at event i for step k is i + k, except step 2, which is 5 too
        // high:
        // only a forecast matched with the value k events later scores 0 at steps 1 and 3 and exactly 5 at step 2.
        IntervalState s = IntervalState.fresh(3, 1);
        PendingForecasts pending = PendingForecasts.fresh(3, 1, false, false);
        for (int i = 0; i < 200; i++) {
            float[] forecast = {i + 1, i + 2 + 5, i + 3};
            s = s.advance(new float[] {i}, forecast, pending, 0.9).next();
            pending = pending.push(forecast, null, null);
        }
        assertEquals(0, s.halfWidth()[0], 0);
        assertEquals(5, s.halfWidth()[1], 0.5);
        assertEquals(0, s.halfWidth()[2], 0);
        assertEquals(200, s.observed());
    }

    /** Streams a noisy sine through a model with the default policy: each forecast and the actual values. */
    private static List<Forecast> stream(ForecastPolicy policy, double[] noise, int horizon) {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, horizon, 11);
        EntityForecaster f = new EntityForecaster(b.model(), policy);
        Random rnd = new Random(2);
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        List<Forecast> all = new ArrayList<>();
        for (int i = 0; i < noise.length; i++) {
            float v = (float) (Math.sin(i / 8.0) + noise[i] * rnd.nextGaussian());
            f.advance(state, new Event[] {new Event("a", 1000L * i, new float[] {v}, null)}, 1, out, a -> {});
            all.add(out[0]);
        }
        return all;
    }

    /** Share of actual values from index {@code from} to {@code to} inside the k-step interval published k events earlier. */
    private static double coverage(List<Forecast> fs, int k, int from, int to) {
        int in = 0;
        for (int i = from; i < to; i++) {
            Forecast made = fs.get(i - k);
            float actual = fs.get(i).actual()[0];
            in += made.lower()[k - 1] <= actual && actual <= made.upper()[k - 1] ? 1 : 0;
        }
        return (double) in / (to - from);
    }

    private static double meanWidth(List<Forecast> fs, int k, int from, int to) {
        double w = 0;
        for (int i = from; i < to; i++) {
            w += fs.get(i).upper()[k - 1] - fs.get(i).lower()[k - 1];
        }
        return w / (to - from);
    }

    private static double fixedWidthCoverage(List<Forecast> fs, int k, double halfWidth, int from, int to) {
        int in = 0;
        for (int i = from; i < to; i++) {
            in += Math.abs(fs.get(i).actual()[0] - fs.get(i - k).forecast()[k - 1]) <= halfWidth ? 1 : 0;
        }
        return (double) in / (to - from);
    }

    @Test
    void coverageHoldsAtEveryStepWhenTheNoiseLevelChangesMidStream() {
        int n = 8000;
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            noise[i] = i < n / 2 ? 0.2 : 1.0;
        }
        int horizon = 4;
        List<Forecast> fs = stream(ForecastPolicy.DEFAULT, noise, horizon);
        assertNull(fs.get(0).lower(), "no interval before any error is known");
        assertNotNull(fs.get(horizon + 1).lower(), "intervals once every step has been scored");
        for (int k = 1; k <= horizon; k++) {
            double before = coverage(fs, k, 200, n / 2);
            double after = coverage(fs, k, n / 2, n);
            assertTrue(before >= 0.87 && before <= 0.93, "step " + k + " coverage before the change " + before);
            assertTrue(
                    after >= 0.87 && after <= 0.93,
                    "step " + k + " coverage after the change (incl. the transition) " + after);
            // Adapting mattered: the first half's mean width, kept fixed, would cover far less after the change.
            double fixed = fixedWidthCoverage(fs, k, meanWidth(fs, k, 200, n / 2) / 2, n / 2, n);
            assertTrue(fixed < 0.8, "step " + k + " a fixed width would cover " + fixed);
            assertTrue(meanWidth(fs, k, n / 2 + 500, n) > 1.3 * meanWidth(fs, k, 500, n / 2), "step " + k + " widened");
        }
        for (Forecast f : fs.subList(horizon + 1, n)) {
            for (int i = 0; i < f.forecast().length; i++) {
                assertEquals(
                        f.upper()[i] - f.forecast()[i],
                        f.forecast()[i] - f.lower()[i],
                        1e-4,
                        "symmetric about the forecast");
            }
        }
    }

    @Test
    void coverageZeroTurnsIntervalsOff() {
        List<Forecast> fs = stream(ForecastPolicy.DEFAULT.withIntervalCoverage(0), new double[50], 3);
        assertTrue(fs.stream().allMatch(f -> f.lower() == null && f.upper() == null));
    }

    @Test
    void anEntityWithH64AndHorizon12FitsIn2KiBAndItsIntervalsRoundTrip() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 64, 1, 12, 7);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < 100; i++) {
            f.advance(
                    state,
                    new Event[] {new Event("sensor-0042", 1000L * i, new float[] {(float) Math.sin(i)}, null)},
                    1,
                    out,
                    a -> {});
        }
        DataOutputSerializer bytes = new DataOutputSerializer(4096);
        EntityStateSerializer.INSTANCE.serialize(state[0], bytes);
        System.out.println("entity state, H=64, 1 layer, 1 target, horizon 12: " + bytes.length() + " bytes");
        assertTrue(bytes.length() <= 2048, "serialized size " + bytes.length());
        EntityState back =
                EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        IntervalState a = state[0].intervals();
        IntervalState r = back.intervals();
        assertEquals(a.horizon(), r.horizon());
        assertEquals(a.observed(), r.observed());
        assertArrayEquals(a.halfWidth(), r.halfWidth());
        assertArrayEquals(a.scale(), r.scale());
        assertArrayEquals(state[0].pending().model(), back.pending().model(), "the pending forecasts they score");
        assertArrayEquals(a.pendingHalfWidth(), r.pendingHalfWidth());
        assertEquals(state[0].likelihood().count(), back.likelihood().count());
        assertArrayEquals(state[0].likelihood().recent(), back.likelihood().recent());
        assertArrayEquals(state[0].likelihood().meanSq(), back.likelihood().meanSq());
        assertArrayEquals(
                state[0].likelihood().lastLikelihood(), back.likelihood().lastLikelihood());
    }

    @Test
    void stateWrittenInFormat2RestoresAndItsIntervalsStartOnTheNextEvent() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 4, 1, 2, 7);
        String id = b.spec().name() + "@" + b.spec().version();
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(2);
        out.writeUTF(id);
        out.writeLong(5);
        out.writeLong(5000);
        for (float[] a : new float[][] {new float[4], new float[4], {0.5f}}) {
            LegacyLayout.floats(out, a);
        }
        out.writeLong(4);
        for (float[] a : new float[][] {{0.1f}, {0.2f}, {0.3f}}) {
            LegacyLayout.floats(out, a);
        }
        out.writeLong(-1);
        LegacyLayout.floats(out, new float[0]);
        EntityState[] state = {
            EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))
        };
        assertTrue(state[0].intervals().isOff());
        assertEquals(0, state[0].likelihood().count());
        Forecast[] f = new Forecast[1];
        EntityForecaster forecaster = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        for (int i = 0; i < 4; i++) {
            forecaster.advance(state, new Event[] {new Event("a", 6000L + i, new float[] {i}, null)}, 1, f, a -> {});
        }
        assertEquals(9, f[0].step(), "steps carry on from the restored 5");
        assertEquals(4, state[0].intervals().observed());
        assertNotNull(f[0].lower(), "both steps scored after three events");
    }

    @Test
    void damagedIntervalOrLikelihoodArraysRestartInsteadOfFailingTheTask() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 4, 1, 3, 7);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < 200; i++) {
            f.advance(state, new Event[] {new Event("a", 1000L * i, new float[] {i % 7}, null)}, 1, out, a -> {});
        }
        EntityState s = state[0];
        // As a checkpoint written by something else might hold them: right horizon and targets, arrays too short.
        state[0] = s.with(Stages.INTERVALS, new IntervalState(3, 1, 50, new float[1], new float[1], new float[2]))
                .with(
                        Stages.LIKELIHOOD,
                        new AnomalyLikelihood(
                                500, new float[1], new float[1], new float[3], new float[1], new float[1]));
        f.advance(state, new Event[] {new Event("a", 1_000_000L, new float[] {1}, null)}, 1, out, a -> {});
        assertEquals(1, state[0].intervals().observed(), "the intervals restarted");
        assertTrue(state[0].likelihood().fits(1, 4), "the likelihood restarted, watching the model's 4 units");
        assertEquals(1, state[0].likelihood().count(), "and scored this event");
        assertNull(out[0].lower());
    }
}
