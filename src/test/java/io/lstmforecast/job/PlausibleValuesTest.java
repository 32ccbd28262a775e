package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Ordering;
import io.lstmforecast.config.Plausibility;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.bundle.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values that parse but cannot be real readings (event.range, event.max-abs-z) are dead letters {@code out_of_range}
 * with their original bytes, and leave the entity's state as if they had never been sent.
 */
class PlausibleValuesTest {
    @BeforeAll
    static void model() throws Exception {
        ForecastJobTest.model();
    }

    /** The test model's normalisation: x mean 0 std 1, y mean 10 std 2. */
    private static ModelSpec spec() {
        return ForecastJobTest.bundle.spec();
    }

    @Test
    void theZGuardComesFromTheModelsNormalisationAndTheRangeFromTheJob() {
        PlausibleValues z = new PlausibleValues(Plausibility.DEFAULT, spec());
        assertNull(z.why(new float[] {999, 10 - 1998}), "999 standard deviations pass");
        assertTrue(
                z.why(new float[] {1001, 10}).contains("1.00e+03 standard deviations"), z.why(new float[] {1001, 10}));
        assertTrue(z.why(new float[] {0, 3.4e38f}).contains("feature 'y' is 3.4"), z.why(new float[] {0, 3.4e38f}));
        PlausibleValues ranged = new PlausibleValues(new Plausibility(Map.of("y", new double[] {0, 30}), 1000), spec());
        assertNull(ranged.why(new float[] {0, 30}), "the range is inclusive");
        assertTrue(ranged.why(new float[] {0, -0.5f}).contains("outside its event.range [0.0, 30.0]"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new PlausibleValues(new Plausibility(Map.of("z", new double[] {0, 1}), 1000), spec()))
                .getMessage()
                .contains("'z', which is not among the model's features [x, y]"));
    }

    @Test
    void anImplausibleEventIsADeadLetterWithItsBytesAndTheEntityGoesOnAsIfItHadNeverCome() throws Exception {
        List<Event> good = ForecastJobTest.events(1, 30, 5);
        long t = good.get(14).timestamp();
        List<Event> withBad = new ArrayList<>(good.subList(0, 15));
        withBad.add(bad(t + 1, new float[] {3.4e38f, 20}, "sentinel"));
        withBad.add(bad(t + 2, new float[] {10, -9999}, "range"));
        withBad.add(bad(t + 3, new float[] {-5000, 20}, "z"));
        withBad.addAll(good.subList(15, good.size()));
        ForecastOptions options = ForecastOperatorHarnessTest.options(
                        Ordering.ARRIVAL, Duration.ZERO, ForecastOperatorHarnessTest.TTL)
                .withPlausible(new Plausibility(Map.of("y", new double[] {-1000, 1000}), 1000));

        List<Forecast> clean = forecasts(options, good, 0);
        List<Forecast> dirty = forecasts(options, withBad, 3);
        assertEquals(good.size(), dirty.size(), "one forecast per good event, none for the bad");
        for (int i = 0; i < good.size(); i++) {
            Forecast a = clean.get(i);
            Forecast b = dirty.get(i);
            assertEquals(a.eventTime(), b.eventTime());
            assertArrayEquals(a.forecast(), b.forecast(), "forecast " + i);
            assertArrayEquals(a.mae(), b.mae(), "rolling MAE " + i);
            assertArrayEquals(a.upper(), b.upper(), "interval " + i);
            assertEquals(a.step(), b.step(), "step count " + i);
        }
    }

    private static Event bad(long t, float[] values, String what) {
        return new Event(
                "entity-0",
                t,
                values,
                new io.lstmforecast.event.RecordOrigin(
                        "events", 0, t, 0L, null, what.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Forecast> forecasts(ForecastOptions options, List<Event> events, int deadLetters)
            throws Exception {
        try (var harness = ForecastOperatorHarnessTest.open(options, null)) {
            ForecastOperatorHarnessTest.send(harness, events);
            List<DeadLetter> dead = ForecastOperatorHarnessTest.rejected(harness);
            assertEquals(deadLetters, dead.size());
            for (DeadLetter d : dead) {
                assertEquals(DeadLetterReason.OUT_OF_RANGE, d.reason(), d.detail());
                String original = new String(d.origin().value(), StandardCharsets.UTF_8);
                assertTrue(
                        d.detail().contains(original.equals("range") ? "event.range" : "event.max-abs-z"),
                        original + ": " + d.detail());
            }
            List<Forecast> out = new ArrayList<>();
            for (Object o : harness.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    out.add((Forecast) r.getValue());
                }
            }
            return out;
        }
    }

    @Test
    void theJobFileRefusesARangeItCannotUse() throws Exception {
        Path job = JobConfigLoader.resolve("sensors");
        JobConfigLoaderTest.assertMessage(
                job, "event.range={humidity: [0, 100]}", "event.range.humidity", "[temperature]");
        JobConfigLoaderTest.assertMessage(job, "event.range={temperature: [150, -50]}", "lowest <= highest");
        JobConfigLoaderTest.assertMessage(job, "event.range={temperature: [-50]}", "two numbers");
        JobConfigLoaderTest.assertMessage(job, "event.max-abs-z=0.5", "event.max-abs-z", "from 1.0");
        JobConfig ok =
                JobConfigLoader.load(job, List.of("event.range={temperature: [-50, 150]}", "event.max-abs-z=50"));
        assertArrayEquals(
                new double[] {-50, 150}, ok.event().plausible().ranges().get("temperature"));
        assertEquals(50, ok.event().plausible().maxAbsZ());
        assertEquals(
                1000, JobConfigLoader.load(job, List.of()).event().plausible().maxAbsZ());
    }
}
