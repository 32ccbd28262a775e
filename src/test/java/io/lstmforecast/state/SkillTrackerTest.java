package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SkillTrackerTest {
    static final List<String> FEATURES = List.of("value");

    /** The tracker and the ring of pending forecasts it reads, advanced together as the forecaster does. */
    private static final class Tracked {
        SkillTracker skill = SkillTracker.fresh(1);
        PendingForecasts pending = PendingForecasts.fresh(2, 1, true, false);

        Tracked advance(float[] actual, float[] modelOneStepError, float[] model, float[] baseline) {
            skill = skill.advance(actual, modelOneStepError, pending);
            pending = pending.push(model, baseline, null);
            return this;
        }
    }

    @Test
    void skillAtTheFirstAndLastStepFromHandWorkedErrors() {
        // Horizon 2, one target. Event 1 (actual 10): model forecasts [11, 12], baseline [10, 10]; nothing to score.
        SkillTracker s =
                new Tracked().advance(new float[] {10}, null, new float[] {11, 12}, new float[] {10, 10}).skill;
        assertNull(s.skillOrNull());
        Tracked tracked = new Tracked().advance(new float[] {10}, null, new float[] {11, 12}, new float[] {10, 10});
        // Event 2 (actual 13): step 1 errors: model |13 - 11| = 2, baseline |13 - 10| = 3. No step-2 forecast is due
        // yet.
        s = tracked.advance(new float[] {13}, new float[] {2}, new float[] {14, 15}, new float[] {13, 13}).skill;
        assertArrayEquals(new float[] {3, Float.NaN}, s.baselineMaeOrNull());
        assertArrayEquals(new float[] {1 - 2f / 3, Float.NaN}, s.skillOrNull(), 1e-6f);
        // Event 3 (actual 12): step 1: model |12 - 14| = 2, baseline |12 - 13| = 1, so the MAEs are (2+2)/2 = 2 and
        // (3+1)/2 = 2. Step 2, made at event 1: model |12 - 12| = 0, baseline |12 - 10| = 2.
        s = tracked.advance(new float[] {12}, new float[] {-2}, new float[] {12, 12}, new float[] {12, 12}).skill;
        assertArrayEquals(new float[] {2, 2}, s.baselineMaeOrNull());
        assertArrayEquals(new float[] {0, 1}, s.skillOrNull(), 1e-6f);
    }

    /** Steps one entity through values at one event a second; returns the forecasts. */
    static List<Forecast> run(EntityForecaster f, EntityState[] state, double[] values, long start) {
        List<Forecast> out = new ArrayList<>();
        Forecast[] row = new Forecast[1];
        for (int i = 0; i < values.length; i++) {
            f.advance(
                    state,
                    new Event[] {new Event("a", start + 1000L * i, new float[] {(float) values[i]}, null)},
                    1,
                    row,
                    a -> {});
            out.add(row[0]);
        }
        return out;
    }

    static double[] wave(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 5 + 3 * Math.sin(i * 0.4) + 0.3 * Math.cos(i * 1.7);
        }
        return v;
    }

    @Test
    void theForecasterReportsThePersistenceForecastAndTheSkillItsOwnRecordsImply() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 5);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        List<Forecast> fs = run(f, new EntityState[1], wave(150), 0);
        // Recompute the rolling MAEs from the records alone: step 1 scored from the second event, step 3 from the
        // fourth.
        double mm1 = 0, bm1 = 0, mm3 = 0, bm3 = 0;
        for (int i = 0; i < fs.size(); i++) {
            Forecast x = fs.get(i);
            assertEquals("persistence", x.baseline());
            assertArrayEquals(new float[] {x.actual()[0], x.actual()[0], x.actual()[0]}, x.baselineForecast());
            float a = x.actual()[0];
            if (i >= 1) {
                double w = 1.0 / Math.min(i, RollingError.WINDOW);
                mm1 += w * (Math.abs(a - fs.get(i - 1).forecast()[0]) - mm1);
                bm1 += w * (Math.abs(a - fs.get(i - 1).baselineForecast()[0]) - bm1);
            }
            if (i >= 3) {
                double w = 1.0 / Math.min(i - 2, RollingError.WINDOW);
                mm3 += w * (Math.abs(a - fs.get(i - 3).forecast()[2]) - mm3);
                bm3 += w * (Math.abs(a - fs.get(i - 3).baselineForecast()[2]) - bm3);
            }
            if (i == 0) {
                assertNull(x.skill());
            } else if (i < 3) {
                assertTrue(Float.isNaN(x.skill()[1]), "step 3 not scored before the fourth event");
            } else {
                assertArrayEquals(new float[] {(float) bm1, (float) bm3}, x.baselineMae(), 1e-4f);
                assertArrayEquals(new float[] {(float) (1 - mm1 / bm1), (float) (1 - mm3 / bm3)}, x.skill(), 1e-4f);
            }
        }
        // The gauge: the mean one-step skill of the forecasts that carry one (fewer than its window of 1000 here).
        double mean = fs.stream()
                .filter(x -> x.skill() != null)
                .mapToDouble(x -> x.skill()[0])
                .average()
                .orElseThrow();
        assertEquals(mean, f.recentSkill(), 1e-5);
    }

    @Test
    void withBaselineNoneTheRecordsCarryNoBaselineFields() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 5);
        List<Forecast> fs = run(
                new EntityForecaster(b.model(), ForecastPolicy.DEFAULT.withBaseline(Baseline.NONE)),
                new EntityState[1],
                wave(20),
                0);
        Forecast last = fs.get(fs.size() - 1);
        assertNull(last.baseline());
        assertNull(last.baselineForecast());
        assertNull(last.skill());
    }

    @Test
    void anIncompatibleSwapRestartsTheSkillButKeepsTheBaselinesHistory() {
        ModelBundle v1 = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 5);
        ModelBundle v2 = new ModelBundle(
                RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 6).spec().withVersion("2", null),
                RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 6).weights());
        Baseline cv = Baseline.CONSTANT_VELOCITY;
        EntityState[] state = new EntityState[1];
        run(new EntityForecaster(v1.model(), ForecastPolicy.DEFAULT.withBaseline(cv)), state, wave(30), 0);
        assertTrue(state[0].skill().scored()[0] > 0);
        List<Forecast> after = run(
                new EntityForecaster(v2.model(), ForecastPolicy.DEFAULT.withBaseline(cv)),
                state,
                new double[] {7, 9},
                100_000);
        assertNull(after.get(0).skill(), "the old model's skill is gone");
        // The history carried over: at the first event after the swap the velocity is 7 - (value before) already.
        float before = (float) wave(30)[29];
        assertEquals(7 + (7 - before), after.get(0).baselineForecast()[0], 1e-5f);
        assertNotNull(after.get(1).skill(), "scored again from the second event");
    }

    static byte[] serialize(EntityState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        EntityStateSerializer.INSTANCE.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void format8RoundTripsTheBaselineAndSkillAndStaysUnder2KiBAtH64AndHorizon12() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 64, 1, 12, 7);
        for (String name : List.of("persistence", "constant-velocity", "seasonal:24", "seasonal:48", "seasonal:1d")) {
            EntityState[] state = new EntityState[1];
            run(
                    new EntityForecaster(b.model(), ForecastPolicy.DEFAULT.withBaseline(Baseline.parse(name))),
                    state,
                    wave(100),
                    0);
            byte[] bytes = serialize(state[0]);
            System.out.println("entity state, H=64, 1 layer, 1 target, horizon 12, 90 % intervals, baseline " + name
                    + ": " + bytes.length + " bytes");
            assertTrue(bytes.length <= 2048, name + ": serialized size " + bytes.length);
            assertEquals(8, bytes[0], "format 8");
            EntityState back = EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
            BaselineHistory h = state[0].baseline();
            assertEquals(h.seen(), back.baseline().seen());
            assertEquals(h.meanGap(), back.baseline().meanGap());
            assertArrayEquals(h.values(), back.baseline().values());
            assertArrayEquals(h.times(), back.baseline().times());
            SkillTracker k = state[0].skill();
            assertEquals(k.forecasts(), back.skill().forecasts());
            assertArrayEquals(state[0].pending().model(), back.pending().model(), "the forecasts the skill waits on");
            assertArrayEquals(state[0].pending().baseline(), back.pending().baseline());
            assertArrayEquals(k.scored(), back.skill().scored());
            assertArrayEquals(k.modelMae(), back.skill().modelMae());
            assertArrayEquals(k.baselineMae(), back.skill().baselineMae());
            assertArrayEquals(serialize(state[0]), serialize(back), "what is read back writes the same bytes");
        }
    }

    @Test
    void aLongLivedEntityStaysUnder2KiBForEveryBaseline() throws Exception {
        // 16 500 events five minutes apart (57 days): every count takes three bytes, seasonal:1d has a full day of
        // history, so no baseline's pending forecasts are the same at every step.
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 64, 1, 12, 7);
        for (String name : List.of("persistence", "constant-velocity", "seasonal:24", "seasonal:48", "seasonal:1d")) {
            EntityForecaster f =
                    new EntityForecaster(b.model(), ForecastPolicy.DEFAULT.withBaseline(Baseline.parse(name)));
            EntityState[] state = new EntityState[1];
            Forecast[] row = new Forecast[1];
            for (int i = 0; i < 16_500; i++) {
                float v = (float) (5 + 3 * Math.sin(i * 2 * Math.PI / 288) + 0.3 * Math.cos(i * 1.7));
                f.advance(state, new Event[] {new Event("a", 300_000L * i, new float[] {v}, null)}, 1, row, a -> {});
            }
            byte[] bytes = serialize(state[0]);
            System.out.println("entity state after 16 500 events, H=64, 1 layer, 1 target, horizon 12, 90 % intervals,"
                    + " baseline " + name + ": " + bytes.length + " bytes");
            assertTrue(bytes.length <= 2048, name + ": serialized size " + bytes.length);
            assertArrayEquals(
                    bytes, serialize(EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes))));
        }
    }

    @Test
    void seasonalSlotTimesTooOldForAnIntAgeAreWrittenAsLongsAndRestoreExactly() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 5);
        ForecastPolicy policy = ForecastPolicy.DEFAULT.withBaseline(Baseline.parse("seasonal:100d"));
        for (long gap : new long[] {60_000L, 86_400_000L}) {
            EntityForecaster f = new EntityForecaster(b.model(), policy);
            EntityState[] state = new EntityState[1];
            Forecast[] row = new Forecast[1];
            for (int i = 0; i < 60; i++) {
                Event e = new Event("a", 1_000_000_000_000L + gap * i, new float[] {(float) Math.sin(i)}, null);
                f.advance(state, new Event[] {e}, 1, row, a -> {});
            }
            // A minute apart the slots' ages fit an int; a day apart the oldest is 59 days old, past 24.8 days.
            long oldest = java.util.Arrays.stream(state[0].baseline().times())
                    .filter(t -> t != BaselineHistory.EMPTY_SLOT)
                    .min()
                    .orElseThrow();
            assertEquals(gap > 60_000L, state[0].lastEventTime() - oldest > Integer.MAX_VALUE, "gap " + gap);
            byte[] bytes = serialize(state[0]);
            EntityState back = EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
            assertArrayEquals(state[0].baseline().times(), back.baseline().times(), "gap " + gap);
            assertArrayEquals(state[0].baseline().values(), back.baseline().values(), "gap " + gap);
            assertArrayEquals(bytes, serialize(back), "what is read back writes the same bytes");
        }
    }

    @Test
    void aFormat4StateRestoresWithAFreshBaselineThatStartsOnTheNextEvent() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 5);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        EntityState[] state = new EntityState[1];
        run(f, state, wave(20), 0);
        // Format 4 is format 5 without the baseline and skill at the end.
        byte[] v5 = LegacyLayout.write(5, state[0]);
        byte[] v4 = LegacyLayout.write(4, state[0]);
        byte[] format4 = v4;
        DataInputDeserializer in = new DataInputDeserializer(format4);
        EntityState restored = EntityStateSerializer.INSTANCE.deserialize(in);
        assertEquals(0, in.available(), "the format 4 record is read to its end, no further");
        assertEquals(state[0].steps(), restored.steps());
        assertArrayEquals(state[0].h(), restored.h());
        assertEquals(state[0].intervals().observed(), restored.intervals().observed());
        assertTrue(restored.skill().isOff() && restored.baseline().values().length == 0);
        EntityState[] again = {restored};
        List<Forecast> fs = run(f, again, new double[] {4, 6}, 100_000);
        assertEquals(21, fs.get(0).step(), "steps carry on");
        assertArrayEquals(
                new float[] {4, 4, 4}, fs.get(0).baselineForecast(), "the baseline starts with the next event");
        assertNull(fs.get(0).skill(), "nothing scored yet: the fresh baseline has no forecast from before");
        assertNotNull(fs.get(1).skill());
        assertTrue(v5.length > v4.length);
    }

    @Test
    void damagedBaselineOrSkillArraysRestartInsteadOfFailingTheTask() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 5);
        Baseline s24 = Baseline.parse("seasonal:24");
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT.withBaseline(s24));
        EntityState[] state = new EntityState[1];
        run(f, state, wave(40), 0);
        EntityState s = state[0];
        // As a checkpoint written by something else might hold them: a ring too short, a tracker with a negative count.
        state[0] = s.with(Stages.BASELINE, new BaselineHistory(40, 1000, new float[3], new long[0]))
                .with(Stages.SKILL, new SkillTracker(-5, new long[2], new float[2], new float[2]));
        List<Forecast> fs = run(f, state, new double[] {4, 6}, 100_000);
        assertEquals(2, state[0].baseline().seen(), "the history restarted: the two events since");
        assertArrayEquals(
                new float[] {4, 4, 4}, fs.get(0).baselineForecast(), "no history a period back: the last value");
        assertNull(fs.get(0).skill(), "the skill restarted");
        assertEquals(24, state[0].baseline().values().length);
    }
}
