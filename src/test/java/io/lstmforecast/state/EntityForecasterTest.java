package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Combine;
import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.model.bundle.RandomBundles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EntityForecasterTest {
    static final List<String> FEATURES = List.of("value");

    static Event event(String id, long t, float v) {
        return new Event(id, t, new float[] {v}, null);
    }

    /** Steps one entity through values and returns its forecasts; alerts go to the list. */
    static List<Forecast> run(EntityForecaster f, float[] values, List<Alert> alerts, EntityState[] state) {
        List<Forecast> out = new ArrayList<>();
        Forecast[] row = new Forecast[1];
        for (int i = 0; i < values.length; i++) {
            f.advance(state, new Event[] {event("a", 1000L * i, values[i])}, 1, row, alerts::add);
            out.add(row[0]);
        }
        return out;
    }

    @Test
    void aModelWithTimeFeaturesReadsTheCalendarOfEachEventsTime() {
        ModelBundle b =
                RandomBundles.random(CellKind.LSTM, FEATURES, List.of("hour-of-day", "day-of-week"), 8, 1, 3, 9);
        long[] times = {
            Instant.parse("2026-11-30T06:00:00Z").toEpochMilli(),
            Instant.parse("2026-12-05T18:30:00Z").toEpochMilli()
        };
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT.withCombine(Combine.MODEL));
        EntityState[] state = new EntityState[1];
        Forecast[] row = new Forecast[1];
        // The same model stepped by hand on the rows the job must build: the value, then sin/cos of hour and weekday.
        ForecastModel reference = b.model();
        float[][] h = {new float[8]};
        float[][] c = {new float[8]};
        float[] expected = new float[3];
        for (long t : times) {
            f.advance(state, new Event[] {event("a", t, 2.5f)}, 1, row, a -> {});
            float[] input = new float[5];
            input[0] = 2.5f;
            TimeFeatures.write(List.of(TimeFeatures.HOUR_OF_DAY, TimeFeatures.DAY_OF_WEEK), t, input, 1);
            reference.step(input, h, c, 1, expected);
            assertArrayEquals(expected, row[0].forecast(), 1e-6f);
        }
        // The same first value at another hour gives another forecast: the calendar inputs reach the head.
        Forecast[] other = new Forecast[1];
        new EntityForecaster(b.model(), ForecastPolicy.DEFAULT)
                .advance(
                        new EntityState[1],
                        new Event[] {event("a", times[0] + 6 * 3_600_000L, 2.5f)},
                        1,
                        other,
                        a -> {});
        Forecast[] first = new Forecast[1];
        new EntityForecaster(b.model(), ForecastPolicy.DEFAULT)
                .advance(new EntityState[1], new Event[] {event("a", times[0], 2.5f)}, 1, first, a -> {});
        assertTrue(Math.abs(first[0].forecast()[0] - other[0].forecast()[0]) > 1e-4, "another hour, another forecast");
    }

    @Test
    void aDirectResidualHeadDeclaringConstantVelocityCorrectsTheConstantVelocityForecast() {
        ModelBundle timed = RandomBundles.random(CellKind.LSTM, FEATURES, List.of("hour-of-day"), 8, 1, 4, 11);
        ModelSpec t = timed.spec();
        ModelSpec cv = new ModelSpec(
                1,
                t.name(),
                t.version(),
                t.cell(),
                8,
                1,
                0,
                t.features(),
                t.targets(),
                t.normalisation(),
                4,
                "direct",
                null,
                null,
                true,
                null,
                null,
                "constant-velocity",
                t.timeFeatures());
        ForecastModel model = new ModelBundle(cv, timed.weights()).model();
        EntityForecaster f = new EntityForecaster(model, ForecastPolicy.DEFAULT.withCombine(Combine.MODEL));
        EntityState[] state = new EntityState[1];
        Forecast[] row = new Forecast[1];
        float[][] h = {new float[8]};
        float[][] c = {new float[8]};
        float[] reference = new float[4];
        float[] values = {1.0f, 1.5f, 1.75f};
        for (int i = 0; i < values.length; i++) {
            long time = 3_600_000L * i;
            f.advance(state, new Event[] {event("a", time, values[i])}, 1, row, a -> {});
            float[] input = {values[i], 0, 0};
            TimeFeatures.write(List.of(TimeFeatures.HOUR_OF_DAY), time, input, 1);
            model.step(input, h, c, 1, reference); // the last value plus the head's corrections
            float velocity = i == 0 ? 0 : values[i] - values[i - 1];
            for (int k = 1; k <= 4; k++) {
                assertEquals(
                        reference[k - 1] + k * velocity,
                        row[0].forecast()[k - 1],
                        1e-5f,
                        "step " + k + " at event " + i);
                assertEquals(values[i] + k * velocity, row[0].baselineForecast()[k - 1], 1e-6f);
            }
        }
        assertEquals("constant-velocity", row[0].baseline());
    }

    @Test
    void aSpikeFarOutsideTheRollingErrorRaisesOneAlertWithItsScore() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 1, 3);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.sigma(4.0, 0));
        float[] values = new float[120];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i / 4.0) + (i == 100 ? 50f : 0f);
        }
        List<Alert> alerts = new ArrayList<>();
        run(f, values, alerts, new EntityState[1]);
        assertTrue(alerts.size() >= 1, "the spike alerts");
        Alert spike = alerts.stream()
                .filter(a -> a.eventTime() == 100_000L)
                .findFirst()
                .orElseThrow();
        assertTrue(spike.score() > 4.0f);
        assertEquals(spike.actual() - spike.forecast(), spike.error(), 1e-5f);
        assertEquals(Math.abs(spike.error() - spike.errorMean()) / spike.errorStd(), spike.score(), 1e-3f);
        assertTrue(alerts.stream().noneMatch(a -> a.eventTime() < 50_000L), "no alert before the warm-up");
    }

    @Test
    void aCooldownHoldsBackTheRepeatsOfOneIncidentButNotTheStatistics() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 1, 3);
        float[] values = new float[200];
        for (int i = 0; i < values.length; i++) {
            // Two incidents: every other event far off the signal from 100 to 119, then one spike at 170.
            values[i] = (float) Math.sin(i / 4.0) + ((i >= 100 && i < 120 && i % 2 == 0) || i == 170 ? 60f : 0f);
        }
        List<Alert> every = new ArrayList<>();
        List<Forecast> plain = run(
                new EntityForecaster(b.model(), ForecastPolicy.sigma(4.0, 0).withCombine(Combine.MODEL)),
                values,
                every,
                new EntityState[1]);
        List<Alert> cooled = new ArrayList<>();
        List<Forecast> withCooldown = run(
                new EntityForecaster(b.model(), ForecastPolicy.sigma(4.0, 30).withCombine(Combine.MODEL)),
                values,
                cooled,
                new EntityState[1]);
        assertTrue(
                every.stream()
                                .filter(a -> a.eventTime() >= 100_000L && a.eventTime() < 120_000L)
                                .count()
                        > 1,
                "without a cool-down the incident alerts more than once");
        assertEquals(
                List.of(100_000L, 170_000L),
                cooled.stream().map(Alert::eventTime).distinct().toList(),
                "with a cool-down of 30 events: the incident's first event, and the spike 70 events later");
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i).forecast(), withCooldown.get(i).forecast());
            assertArrayEquals(
                    plain.get(i).rmse(), withCooldown.get(i).rmse(), "the statistics learn during a cool-down");
        }
    }

    @Test
    void rollingErrorsAreTheWeightedMeansOfTheScoredErrors() {
        ModelBundle b = RandomBundles.random(CellKind.GRU, FEATURES, 8, 1, 1, 4);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        float[] values = {1, 2, 3, 2, 1, 0};
        List<Forecast> fs = run(f, values, new ArrayList<>(), new EntityState[1]);
        double sumAbs = 0;
        double sumSq = 0;
        for (int i = 1; i < fs.size(); i++) {
            float e = values[i] - fs.get(i - 1).forecast()[0];
            assertEquals(e, fs.get(i).previousError()[0], 1e-6f);
            sumAbs += Math.abs(e);
            sumSq += e * e;
            assertEquals(sumAbs / i, fs.get(i).mae()[0], 1e-5);
            assertEquals(Math.sqrt(sumSq / i), fs.get(i).rmse()[0], 1e-5);
        }
    }

    @Test
    void afterAnIncompatibleSwapAnEntityIsRewarmedFromItsKeptInputs() {
        ModelBundle v1 = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 1, 5);
        ModelBundle v2 = RandomBundles.random(CellKind.GRU, FEATURES, 6, 1, 1, 6);
        ModelBundle v2named = new ModelBundle(v2.spec().withVersion("2", null), v2.weights());
        float[] values = {0.5f, 1.5f, -0.5f, 2f, 1f};
        EntityState[] state = new EntityState[1];
        run(
                new EntityForecaster(v1.model(), ForecastPolicy.sigma(4, 0).withRewarmEvents(3)),
                values,
                new ArrayList<>(),
                state);
        assertEquals(3, state[0].recentInputs().length, "keeps the last 3 inputs");
        assertArrayEquals(new float[] {-0.5f, 2f, 1f}, state[0].recentInputs());

        EntityState adopted =
                new EntityForecaster(v2named.model(), ForecastPolicy.sigma(4, 0).withRewarmEvents(3)).adopt(state[0]);
        ForecastModel m2 = v2named.model();
        float[][] h = new float[1][6];
        float[] out = new float[1];
        for (float v : new float[] {-0.5f, 2f, 1f}) {
            m2.step(new float[] {v}, h, null, 1, out);
        }
        assertArrayEquals(h[0], adopted.h(), 1e-6f);
        assertEquals(5, adopted.steps(), "the step count belongs to the entity");
        assertEquals(state[0].lastEventTime(), adopted.lastEventTime());
        assertNotNull(adopted.lastForecast());
    }

    @Test
    void theSerializerRoundTripsEveryField() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, FEATURES, 64, 1, 1, 7);
        EntityState[] state = new EntityState[1];
        run(
                new EntityForecaster(b.model(), ForecastPolicy.sigma(4, 0).withRewarmEvents(2)),
                new float[] {1, 2, 3},
                new ArrayList<>(),
                state);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        EntityStateSerializer.INSTANCE.serialize(state[0], out);
        EntityState back = EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(state[0].modelId(), back.modelId());
        assertArrayEquals(state[0].h(), back.h());
        assertArrayEquals(state[0].c(), back.c());
        assertEquals(state[0].steps(), back.steps());
        assertEquals(state[0].lastEventTime(), back.lastEventTime());
        assertArrayEquals(state[0].lastForecast(), back.lastForecast());
        assertArrayEquals(state[0].error().meanSq(), back.error().meanSq());
        assertArrayEquals(state[0].recentInputs(), back.recentInputs());
        assertEquals(state[0].lastAlertStep(), back.lastAlertStep());
        // H=64, one layer, one target, two kept inputs: well under 1 KiB per entity.
        assertTrue(out.length() < 1024, "serialized size " + out.length());
    }

    @Test
    void stateWrittenInFormat1RestoresAsNeverAlerted() throws Exception {
        // Format 1, as the previous release wrote it: no last-alert step between the error statistics and the inputs.
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(1);
        out.writeUTF("m@1");
        out.writeLong(7);
        out.writeLong(7000);
        for (float[] a : new float[][] {{0.5f, -0.5f}, {1f, 2f}, {3f}}) {
            LegacyLayout.floats(out, a);
        }
        out.writeLong(6);
        for (float[] a : new float[][] {{0.1f}, {0.2f}, {0.3f}, {}}) {
            LegacyLayout.floats(out, a);
        }
        EntityState back = EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(EntityState.NEVER_ALERTED, back.lastAlertStep());
        assertEquals(7, back.steps());
        assertArrayEquals(new float[] {3f}, back.lastForecast());
        assertEquals(6, back.error().count());
        assertArrayEquals(new float[] {0.3f}, back.error().meanSq());
        assertEquals(0, back.recentInputs().length);
    }

    @Test
    void corruptStateIsAnErrorThatNamesTheStateNotAnAllocationFailure() throws Exception {
        for (int length : new int[] {-7, Integer.MAX_VALUE}) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeByte(2);
            out.writeUTF("m@1");
            out.writeLong(1);
            out.writeLong(1000);
            out.writeInt(length);
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.io.IOException.class,
                    () -> EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
            assertTrue(
                    e.getMessage().contains("entity state is corrupt")
                            && e.getMessage().contains(String.valueOf(length)),
                    e.getMessage());
        }
    }

    @Test
    void aStateOfTheSameNameAndVersionWithOtherShapesIsResetNotIndexedPastItsEnd() {
        ModelBundle small = RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 1, 7);
        ModelBundle big = RandomBundles.random(CellKind.LSTM, FEATURES, 32, 2, 1, 8);
        assertEquals(
                small.spec().name() + small.spec().version(),
                big.spec().name() + big.spec().version());
        EntityState[] state = new EntityState[1];
        run(
                new EntityForecaster(small.model(), ForecastPolicy.DEFAULT),
                new float[] {1, 2, 3},
                new ArrayList<>(),
                state);
        EntityState adopted = new EntityForecaster(big.model(), ForecastPolicy.DEFAULT).adopt(state[0]);
        assertEquals(2 * 32, adopted.h().length);
        assertEquals(state[0].steps(), adopted.steps(), "the entity's own step count carries over");
    }
}
