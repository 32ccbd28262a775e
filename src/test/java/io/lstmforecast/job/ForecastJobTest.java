package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Combine;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.event.RecordOrigin;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import io.lstmforecast.testing.SharedData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forecast graph on a Flink MiniCluster with an injected source: event-time ordering, state per entity, late and
 * duplicate events, expiry.
 */
class ForecastJobTest {
    /**
     * The model's forecast served alone: these tests hold the job to stepping each entity alone, and the online
     * combination's job-wide prior is shared by the entities of an operator instance (CombinationServedTest covers it).
     */
    static final ForecastPolicy MODEL_SERVED = ForecastPolicy.DEFAULT.withCombine(Combine.MODEL);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final List<String> FEATURES = List.of("x", "y");
    static final Duration LATENESS = Duration.ofSeconds(30);
    static ModelBundle bundle;
    static byte[] bundleZip;

    @BeforeAll
    static void model() throws Exception {
        bundle = RandomBundles.random(CellKind.LSTM, FEATURES, 16, 2, 3, 42);
        bundleZip = bundle.toZip();
    }

    @Test
    void everyEventGivesOneForecastEqualToSteppingItsEntityAlone() throws Exception {
        List<Event> events = events(7, 60, 1);
        Collected out = run(records(events), 2, null);
        assertEquals(events.size(), out.forecasts.size(), "one forecast per event");
        assertEquals(0, out.deadLetters.size());
        assertMatchesReference(events, out.forecasts);
    }

    @Test
    void unbatchedAndSmallBatchesGiveTheSameForecasts() throws Exception {
        List<Event> events = events(9, 30, 5);
        for (int maxBatch : new int[] {1, 4}) {
            Collected out = run(records(events), 2, null, maxBatch);
            assertEquals(events.size(), out.forecasts.size(), "batch " + maxBatch);
            assertMatchesReference(events, out.forecasts);
        }
    }

    @Test
    void shuffledWithinTheLatenessGivesTheSameForecastsAsSorted() throws Exception {
        List<Event> sorted = events(5, 50, 2);
        List<Event> shuffled = new ArrayList<>(sorted);
        // Displace events by up to 8 positions: 8 events x 1 s per entity x 5 entities stays well inside 30 s.
        Random rnd = new Random(3);
        for (int i = 0; i < shuffled.size(); i++) {
            int j = Math.min(shuffled.size() - 1, i + rnd.nextInt(8));
            Collections.swap(shuffled, i, j);
        }
        assertTrue(!shuffled.equals(sorted));
        Collected out = run(records(shuffled), 2, null);
        assertEquals(sorted.size(), out.forecasts.size());
        assertMatchesReference(sorted, out.forecasts);
    }

    @Test
    void duplicatesAndLateEventsBecomeDeadLettersAndNothingIsLost() throws Exception {
        List<Event> events = new ArrayList<>(events(3, 40, 4));
        Event first = events.get(0);
        Event duplicate = new Event(first.entityId(), first.timestamp(), new float[] {99f, 99f}, origin(1000));
        Event late = new Event(first.entityId(), first.timestamp() + 1, new float[] {1f, 2f}, origin(1001));
        List<ParsedRecord> input = new ArrayList<>(records(events));
        input.add(5, ParsedRecord.of(duplicate));
        input.add(ParsedRecord.of(late));
        // Throttled so that periodic watermarks pass the early events before the late one arrives.
        Collected out = run(input, 1, RateLimiterStrategy.perSecond(200));
        assertEquals(events.size(), out.forecasts.size());
        assertEquals(2, out.deadLetters.size());
        Map<DeadLetterReason, Long> reasons =
                out.deadLetters.stream().collect(Collectors.groupingBy(DeadLetter::reason, Collectors.counting()));
        assertEquals(Map.of(DeadLetterReason.DUPLICATE, 1L, DeadLetterReason.LATE, 1L), reasons);
        assertTrue(out.deadLetters.stream().allMatch(d -> d.origin().offset() >= 1000), "original records kept");
        assertMatchesReference(events, out.forecasts);
    }

    @Test
    void anEntityIdleForLongerThanTheStateTtlStartsAfresh() throws Exception {
        long t0 = 1_700_000_000_000L;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(new Event("quiet", t0 + i * 1000L, new float[] {1f, 2f}, origin(events.size())));
        }
        for (int i = 0; i < 200; i++) {
            events.add(new Event("busy", t0 + i * 1000L, new float[] {1f, 2f}, origin(events.size())));
        }
        events.add(new Event("quiet", t0 + 201_000L, new float[] {1f, 2f}, origin(events.size())));
        for (Duration ttl : new Duration[] {Duration.ofSeconds(60), Duration.ZERO}) {
            Collected out = run(
                    records(events),
                    1,
                    null,
                    ForecastOptions.of(bundleZip, Duration.ofSeconds(1), Duration.ZERO, ttl)
                            .withPolicy(MODEL_SERVED));
            assertEquals(events.size(), out.forecasts.size());
            Forecast back = out.forecasts.stream()
                    .filter(f -> f.entityId().equals("quiet"))
                    .max(Comparator.comparingLong(Forecast::eventTime))
                    .orElseThrow();
            assertEquals(ttl.isZero() ? 7 : 1, back.step(), "ttl " + ttl);
        }
    }

    /** Steps every entity alone, in event-time order, through its own model instance and compares. */
    static void assertMatchesReference(List<Event> events, List<Forecast> forecasts) {
        Map<String, List<Event>> byEntity = events.stream()
                .sorted(Comparator.comparingLong(Event::timestamp))
                .collect(Collectors.groupingBy(Event::entityId));
        Map<String, List<Forecast>> got = forecasts.stream().collect(Collectors.groupingBy(Forecast::entityId));
        ForecastModel model = bundle.model();
        int layers = model.numLayers();
        int hidden = model.hiddenSize();
        for (Map.Entry<String, List<Event>> e : byEntity.entrySet()) {
            List<Forecast> fs = got.get(e.getKey());
            assertEquals(e.getValue().size(), fs.size(), e.getKey());
            fs.sort(Comparator.comparingLong(Forecast::step));
            float[][] h = new float[layers][hidden];
            float[][] c = new float[layers][hidden];
            float[] expected = new float[model.horizon() * FEATURES.size()];
            for (int i = 0; i < fs.size(); i++) {
                Event ev = e.getValue().get(i);
                Forecast f = fs.get(i);
                model.step(ev.features(), h, c, 1, expected);
                assertEquals(ev.timestamp(), f.eventTime());
                assertEquals(i + 1, f.step());
                float diff = SharedData.maxAbsDiff(expected, f.forecast());
                assertTrue(diff <= 1e-5f, e.getKey() + " step " + (i + 1) + " differs by " + diff);
                if (i == 0) {
                    assertNull(f.previousError());
                } else {
                    float[] prev = fs.get(i - 1).forecast();
                    assertEquals(ev.features()[0] - prev[0], f.previousError()[0], 1e-5f);
                }
            }
            assertIntervalsMatchReference(e.getValue(), fs);
        }
    }

    /**
     * The prediction intervals of one entity's forecasts are those of stepping it alone and uninterrupted through
     * {@link EntityForecaster} with the default policy: so they survive batching, restores and rescaling.
     */
    static void assertIntervalsMatchReference(List<Event> entityEvents, List<Forecast> fs) {
        EntityForecaster reference = new EntityForecaster(bundle.model(), MODEL_SERVED);
        EntityState[] state = new EntityState[1];
        Forecast[] expected = new Forecast[1];
        int bounded = 0;
        for (int i = 0; i < fs.size(); i++) {
            reference.advance(state, new Event[] {entityEvents.get(i)}, 1, expected, a -> {});
            Forecast f = fs.get(i);
            String where = f.entityId() + " step " + f.step();
            assertEquals(
                    expected[0].lower() == null, f.lower() == null, where + ": interval present as in the reference");
            if (f.lower() != null) {
                bounded++;
                assertTrue(SharedData.maxAbsDiff(expected[0].lower(), f.lower()) <= 1e-4f, where + " lower bound");
                assertTrue(SharedData.maxAbsDiff(expected[0].upper(), f.upper()) <= 1e-4f, where + " upper bound");
            }
        }
        assertTrue(bounded >= fs.size() - bundle.model().horizon() - 1, "intervals from the horizon's first score on");
    }

    static List<Event> events(int entities, int perEntity, long seed) {
        Random rnd = new Random(seed);
        List<Event> events = new ArrayList<>();
        long t0 = 1_700_000_000_000L;
        for (int i = 0; i < perEntity; i++) {
            for (int e = 0; e < entities; e++) {
                float[] f = {
                    (float) (10 + Math.sin(i / 5.0 + e) + rnd.nextGaussian() * 0.1), (float) (20 + rnd.nextGaussian())
                };
                events.add(new Event("entity-" + e, t0 + i * 1000L + e, f, origin(events.size())));
            }
        }
        return events;
    }

    static RecordOrigin origin(long offset) {
        return new RecordOrigin("events", 0, offset, 0L, null, ("record " + offset).getBytes());
    }

    static List<ParsedRecord> records(List<Event> events) {
        return events.stream().map(ParsedRecord::of).toList();
    }

    record Collected(List<Forecast> forecasts, List<DeadLetter> deadLetters) {}

    static Collected run(List<ParsedRecord> input, int parallelism, RateLimiterStrategy<?> rate) throws Exception {
        return run(input, parallelism, rate, Batching.DEFAULT.maxBatchSize());
    }

    /**
     * Event-time ordering: with parallelism 2 the injected source splits one entity's events over two readers, so they
     * reach the operator reordered within the entity, which is what event-time ordering is for (see OrderingTest for
     * arrival ordering).
     */
    static Collected run(List<ParsedRecord> input, int parallelism, RateLimiterStrategy<?> rate, int maxBatch)
            throws Exception {
        return run(
                input,
                parallelism,
                rate,
                ForecastOptions.of(bundleZip, LATENESS, Duration.ZERO, Duration.ofHours(1))
                        .withPolicy(MODEL_SERVED)
                        .withMaxBatchSize(maxBatch)
                        .withOrdering(Ordering.EVENT_TIME, Batching.DEFAULT.maxBatchDelay()));
    }

    static Collected run(
            List<ParsedRecord> input, int parallelism, RateLimiterStrategy<?> rate, ForecastOptions options)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.getConfig().setAutoWatermarkInterval(20);
        ArrayList<ParsedRecord> data = new ArrayList<>(input);
        DataGeneratorSource<ParsedRecord> source = new DataGeneratorSource<>(
                i -> data.get(i.intValue()),
                data.size(),
                rate == null ? RateLimiterStrategy.noOp() : rate,
                TypeInformation.of(ParsedRecord.class));
        ForecastJob.Outputs outputs = ForecastJob.build(env, source, null, options);
        List<Forecast> forecasts = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<Forecast> f = outputs.forecasts().collectAsync();
                CloseableIterator<DeadLetter> d = outputs.deadLetters().collectAsync()) {
            env.execute("forecast-job-test");
            f.forEachRemaining(forecasts::add);
            d.forEachRemaining(deadLetters::add);
        }
        return new Collected(forecasts, deadLetters);
    }
}
