package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelUpdate;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.state.PopulationPrior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ForecastOperator} alone, step by step, in Flink's operator test harness with the real ND4J model: when a batch
 * is flushed (before the watermark that released it, before a checkpoint barrier, after max-batch-delay), that expiry
 * leaves nothing behind, that snapshot and restore (broadcast model included) continue exactly, and the dead letters'
 * reasons. The harness gives what a MiniCluster hides: the order of records and watermarks on the output, processing
 * time under the test's control, and the operator's keyed state and timers.
 */
class ForecastOperatorHarnessTest {
    /** Long enough that no entity expires in the tests that are not about expiry. */
    static final Duration TTL = Duration.ofHours(1);
    /** Longer than any test advances processing time: the batch waits for something else to close it. */
    static final Duration NEVER = Duration.ofHours(1);

    static ModelBundle swapped;

    @BeforeAll
    static void models() throws Exception {
        ForecastJobTest.model();
        // Another model of the same shape, declaring the first one's state compatible: a swap keeps entity state.
        swapped = ModelSwapTest.withVersion(
                RandomBundles.random(CellKind.LSTM, ForecastJobTest.FEATURES, 16, 2, 3, 43),
                ForecastJobTest.bundle,
                "2",
                List.of(ForecastJobTest.bundle.spec().version()));
    }

    static ForecastOptions options(Ordering ordering, Duration maxBatchDelay, Duration ttl) {
        return ForecastOptions.of(ForecastJobTest.bundleZip, ForecastJobTest.LATENESS, Duration.ZERO, ttl)
                .withOrdering(ordering, maxBatchDelay)
                .withPolicy(ForecastJobTest.MODEL_SERVED);
    }

    /** An opened operator; input 2 (the broadcast models) is at the end of time so that input 1's watermarks rule. */
    static KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> open(
            ForecastOptions options, OperatorSubtaskState restoreFrom) throws Exception {
        return open(
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new ForecastOperator(options),
                        Event::entityId,
                        (KeySelector<ModelUpdate, String>) null,
                        Types.STRING),
                restoreFrom);
    }

    /** Instance {@code instance} of {@code parallelism}, of a job whose max parallelism is {@link #MAX_PARALLELISM}. */
    static KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> open(
            ForecastOptions options, OperatorSubtaskState restoreFrom, int parallelism, int instance) throws Exception {
        return open(
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new ForecastOperator(options),
                        Event::entityId,
                        (KeySelector<ModelUpdate, String>) null,
                        Types.STRING,
                        MAX_PARALLELISM,
                        parallelism,
                        instance),
                restoreFrom);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> open(
            KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> harness,
            OperatorSubtaskState restoreFrom)
            throws Exception {
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
        return harness;
    }

    static void send(
            KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> harness, List<Event> events)
            throws Exception {
        for (Event e : events) {
            harness.processElement1(e, e.timestamp());
        }
    }

    static List<DeadLetter> rejected(
            KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> harness) {
        Queue<StreamRecord<DeadLetter>> side = harness.getSideOutput(ForecastOperator.REJECTED);
        return side == null
                ? List.of()
                : side.stream().map(StreamRecord::getValue).toList();
    }

    /** The output as it left the operator: "forecast ENTITY@TIME" and "watermark TIME", in order. */
    static List<String> trace(KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> harness) {
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("watermark " + w.getTimestamp());
            } else {
                Forecast f = (Forecast) ((StreamRecord<?>) o).getValue();
                out.add("forecast " + f.entityId() + "@" + f.eventTime());
            }
        }
        return out;
    }

    static String forecast(Event e) {
        return "forecast " + e.entityId() + "@" + e.timestamp();
    }

    @Test
    void eventTimeABatchIsFlushedBeforeTheWatermarkThatReleasedItIsForwarded() throws Exception {
        List<Event> events = ForecastJobTest.events(3, 3, 11); // entity-e at t0 + i * 1000 + e
        long t0 = events.get(0).timestamp();
        try (var harness = open(options(Ordering.EVENT_TIME, Batching.DEFAULT.maxBatchDelay(), TTL), null)) {
            send(harness, events);
            assertEquals(List.of(), trace(harness), "events wait for the watermark");
            assertEquals(9, harness.numEventTimeTimers(), "one release timer per pending event");

            harness.processWatermark1(new Watermark(t0 + 1002));
            List<String> expected = new ArrayList<>();
            events.subList(0, 6).forEach(e -> expected.add(forecast(e)));
            // Two steps of each entity were released: the second of an entity closed the first batch, the watermark
            // flushed the second batch, and only then was the watermark forwarded.
            expected.add("watermark " + (t0 + 1002));
            assertEquals(expected, trace(harness));

            harness.processWatermark1(new Watermark(t0 + 2001));
            events.subList(6, 8).forEach(e -> expected.add(forecast(e)));
            expected.add("watermark " + (t0 + 2001));
            assertEquals(expected, trace(harness), "entity-2's last event is not released yet");

            harness.endAllInputs();
            ForecastJobTest.assertMatchesReference(events.subList(0, 8), harness.extractOutputValues());
            assertEquals(List.of(), rejected(harness));
        }
    }

    @Test
    void arrivalOrderingABatchIsFlushedBeforeACheckpointBarrier() throws Exception {
        List<Event> events = ForecastJobTest.events(3, 2, 12);
        try (var harness = open(options(Ordering.ARRIVAL, NEVER, TTL), null)) {
            send(harness, events.subList(0, 3));
            assertEquals(List.of(), trace(harness), "the batch is open: three entities, one event each");
            assertEquals(1, harness.getProcessingTimeService().getNumActiveTimers(), "the max-batch-delay timer");

            harness.prepareSnapshotPreBarrier(1);
            assertEquals(
                    events.subList(0, 3).stream()
                            .map(ForecastOperatorHarnessTest::forecast)
                            .toList(),
                    trace(harness));
            harness.snapshot(1, 1);

            // A second event of an entity in the open batch closes that batch first.
            send(harness, events.subList(3, 5));
            assertEquals(3, trace(harness).size());
            send(harness, List.of(events.get(3)));
            assertEquals(
                    5, trace(harness).size(), "the batch of entity-0 and entity-1 was closed by entity-0's next event");
            assertEquals(
                    List.of(DeadLetterReason.DUPLICATE),
                    rejected(harness).stream().map(DeadLetter::reason).toList());

            harness.prepareSnapshotPreBarrier(2);
            assertEquals(5, trace(harness).size(), "nothing was left open");
            send(harness, List.of(events.get(5)));
            harness.prepareSnapshotPreBarrier(3);
            ForecastJobTest.assertMatchesReference(events, harness.extractOutputValues());
        }
    }

    @Test
    void arrivalOrderingABatchIsFlushedWhenMaxBatchDelayOfProcessingTimePasses() throws Exception {
        List<Event> events = ForecastJobTest.events(4, 1, 13);
        try (var harness = open(options(Ordering.ARRIVAL, Duration.ofMillis(5), TTL), null)) {
            harness.setProcessingTime(100);
            send(harness, events.subList(0, 2));
            harness.setProcessingTime(104);
            assertEquals(0, trace(harness).size(), "4 ms after the batch opened");
            harness.setProcessingTime(105);
            assertEquals(
                    events.subList(0, 2).stream()
                            .map(ForecastOperatorHarnessTest::forecast)
                            .toList(),
                    trace(harness));

            // A batch closed early (by a barrier) leaves its timer behind: that timer must not cut the next batch
            // short.
            send(harness, List.of(events.get(2)));
            harness.setProcessingTime(106);
            harness.prepareSnapshotPreBarrier(1);
            send(harness, List.of(events.get(3)));
            assertEquals(3, trace(harness).size());
            harness.setProcessingTime(110);
            assertEquals(
                    3,
                    trace(harness).size(),
                    "the timer of the batch opened at 105 fired; the batch opened at 106 waits");
            harness.setProcessingTime(111);
            assertEquals(4, trace(harness).size(), "5 ms after the batch opened at 106");
            assertEquals(0, harness.getProcessingTimeService().getNumActiveTimers());
        }
    }

    @Test
    void expiryLeavesNoKeyedStateAndNoTimersBehind() throws Exception {
        // Expiry timers are rounded up to an eighth of the TTL (2.5 s): an entity is gone at most 2.5 s after its TTL.
        Duration ttl = Duration.ofSeconds(20);
        long grain = 2500;
        for (Ordering ordering : Ordering.values()) {
            List<Event> events = new ArrayList<>(ForecastJobTest.events(2, 5, 14));
            long t0 = events.get(0).timestamp();
            // Entity 0 goes quiet at t0 + 4000; entity 1 keeps going until t0 + 13001.
            for (int i = 5; i < 14; i++) {
                events.add(new Event(
                        "entity-1", t0 + i * 1000L + 1, new float[] {1f, 2f}, ForecastJobTest.origin(100 + i)));
            }
            try (var harness = open(options(ordering, Duration.ZERO, ttl), null)) {
                send(harness, events);
                harness.processWatermark1(new Watermark(t0 + 13_001));
                assertEquals(events.size(), harness.extractOutputValues().size(), ordering.toString());
                assertEquals(2, harness.numKeyedStateEntries(), ordering + ": two entities, nothing pending");
                assertTrue(harness.numEventTimeTimers() > 0, ordering + ": expiry timers");

                harness.processWatermark1(new Watermark(t0 + 4000 + ttl.toMillis() + grain));
                assertEquals(1, harness.numKeyedStateEntries(), ordering + ": entity-0 expired, entity-1 kept");

                harness.processWatermark1(new Watermark(t0 + 13_001 + ttl.toMillis() + grain));
                assertEquals(0, harness.numKeyedStateEntries(), ordering + ": every entity expired");
                assertEquals(0, harness.numEventTimeTimers(), ordering + ": no timer left");

                // An expired entity starts afresh.
                Event back = new Event("entity-0", t0 + 60_000, new float[] {1f, 2f}, ForecastJobTest.origin(200));
                send(harness, List.of(back));
                harness.processWatermark1(new Watermark(back.timestamp()));
                List<Forecast> out = harness.extractOutputValues();
                assertEquals(events.size() + 1, out.size(), ordering.toString());
                assertEquals(1, out.get(out.size() - 1).step(), ordering + ": a new entity's first step");
                assertEquals(1, harness.numKeyedStateEntries(), ordering.toString());
            }
        }
    }

    @Test
    void snapshotAndRestoreGiveTheSameNextForecastWithTheSameModel() throws Exception {
        for (Ordering ordering : Ordering.values()) {
            assertRestoreContinuesExactly(ordering, false);
        }
    }

    @Test
    void aModelBroadcastBeforeTheSnapshotIsRestoredWithIt() throws Exception {
        for (Ordering ordering : Ordering.values()) {
            assertRestoreContinuesExactly(ordering, true);
        }
    }

    /**
     * Runs 4 steps of 3 entities, takes a snapshot (event-time: with the fourth step still pending), restores it into a
     * fresh operator and sends the next steps to both; their forecasts must be equal in every field. With {@code swap},
     * the job's own model (the first) is replaced through input 2 before the snapshot. An event the entity has already
     * passed is out of order in the restored operator too.
     */
    private void assertRestoreContinuesExactly(Ordering ordering, boolean swap) throws Exception {
        String what = ordering + (swap ? ", after a swap" : "");
        List<Event> events = ForecastJobTest.events(3, 6, 15);
        long t0 = events.get(0).timestamp();
        ForecastOptions options = options(ordering, NEVER, TTL);
        try (var original = open(options, null)) {
            if (swap) {
                send(original, events.subList(0, 3));
                original.processElement2(new ModelUpdate("m", "2", swapped.toZip()), 0);
            }
            send(original, events.subList(swap ? 3 : 0, 12));
            if (ordering == Ordering.EVENT_TIME) {
                original.processWatermark1(new Watermark(t0 + 2999)); // steps 0-2 released, step 3 pending
            }
            original.prepareSnapshotPreBarrier(1); // arrival: closes the open batch of step 3
            OperatorSubtaskState snapshot = original.snapshot(1, 1);
            int before = original.extractOutputValues().size();
            assertEquals(ordering == Ordering.ARRIVAL ? 12 : 9, before, what);

            try (var restored = open(options, snapshot)) {
                // Watermarks start afresh after a restore, but the entity's last applied event came back with it.
                Event replayed = events.get(0);
                send(restored, List.of(replayed));
                assertDeadLetters(restored, List.of(replayed), List.of(DeadLetterReason.OUT_OF_ORDER));
                List<Event> next = events.subList(12, 18);
                for (var h : List.of(original, restored)) {
                    send(h, next);
                    h.processWatermark1(new Watermark(t0 + 6000));
                    h.prepareSnapshotPreBarrier(2);
                }
                List<Forecast> a = original.extractOutputValues();
                List<Forecast> b = restored.extractOutputValues();
                a = a.subList(before, a.size());
                int expected = ordering == Ordering.ARRIVAL ? 6 : 9;
                assertEquals(expected, a.size(), what);
                assertEquals(expected, b.size(), what + ": the restored operator gave a forecast for every event");
                for (int i = 0; i < expected; i++) {
                    assertSameForecast(a.get(i), b.get(i), what);
                    assertEquals(
                            swap ? "2" : ForecastJobTest.bundle.spec().version(),
                            b.get(i).modelVersion(),
                            what);
                    assertEquals(
                            b.get(i).eventTime() < t0 + 4000 ? 4 : b.get(i).eventTime() < t0 + 5000 ? 5 : 6,
                            b.get(i).step(),
                            what + ": the entity's steps carried over");
                }
                if (!swap) {
                    List<Forecast> all = new ArrayList<>(original.extractOutputValues());
                    ForecastJobTest.assertMatchesReference(events, all);
                }
            }
        }
    }

    static void assertSameForecast(Forecast a, Forecast b, String what) {
        String at = what + ": " + a.entityId() + "@" + a.eventTime();
        assertEquals(a.entityId(), b.entityId(), at);
        assertEquals(a.eventTime(), b.eventTime(), at);
        assertEquals(a.modelVersion(), b.modelVersion(), at);
        assertEquals(a.step(), b.step(), at);
        assertArrayEquals(a.forecast(), b.forecast(), at);
        assertArrayEquals(a.previousError(), b.previousError(), at);
        assertArrayEquals(a.mae(), b.mae(), at);
        assertArrayEquals(a.rmse(), b.rmse(), at);
        assertArrayEquals(a.lower(), b.lower(), at);
        assertArrayEquals(a.upper(), b.upper(), at);
        assertArrayEquals(a.baselineForecast(), b.baselineForecast(), at);
        assertArrayEquals(a.baselineMae(), b.baselineMae(), at);
        assertArrayEquals(a.skill(), b.skill(), at);
        assertArrayEquals(a.modelForecast(), b.modelForecast(), at);
        assertArrayEquals(a.weight(), b.weight(), at);
    }

    /** Largest parallelism of the rescaling test's harnesses. */
    static final int MAX_PARALLELISM = 8;

    static ForecastOperator operator(KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> h) {
        return (ForecastOperator) h.getOperator();
    }

    /**
     * Adds {@code times} scored forecasts to {@code prior} as the per-entity stage does: at every step the model's squared
     * error {@code model} and the baseline's {@code baseline}.
     */
    static void evidence(PopulationPrior prior, int times, float model, float baseline) {
        float[] m = new float[prior.horizon()];
        float[] b = new float[prior.horizon()];
        java.util.Arrays.fill(m, model);
        java.util.Arrays.fill(b, baseline);
        for (int i = 0; i < times; i++) {
            prior.observe(m, b);
        }
    }

    /**
     * The population prior is operator state: a snapshot restores it exactly, a swap to a model of the same horizon keeps
     * it, one of another horizon starts a new one.
     */
    @Test
    void thePopulationPriorSurvivesSnapshotAndRestoreAndASwapOfTheSameHorizon() throws Exception {
        ForecastOptions options = options(Ordering.ARRIVAL, NEVER, TTL);
        try (var original = open(options, null)) {
            send(original, ForecastJobTest.events(3, 4, 16));
            PopulationPrior prior = operator(original).prior();
            assertEquals(ForecastJobTest.bundle.spec().horizon(), prior.horizon());
            // Step 1: the model's squared error 1 against the baseline's 3, an advantage (3 - 1) / 2 = 1; step 2 ties;
            // step 3: the baseline's 1 against the model's 3, -1.
            float[] m = {1, 2, 3};
            float[] b = {3, 2, 1};
            for (int i = 0; i < 10; i++) {
                prior.observe(m, b);
            }
            assertArrayEquals(new float[] {1, 0, -1}, prior.advantages(), 1e-6f);
            original.prepareSnapshotPreBarrier(1);
            OperatorSubtaskState snapshot = original.snapshot(1, 1);
            try (var restored = open(options, snapshot)) {
                PopulationPrior back = operator(restored).prior();
                assertArrayEquals(prior.advantages(), back.advantages(), "restored exactly");
                assertArrayEquals(new long[] {10, 10, 10}, back.counts());

                restored.processElement2(new ModelUpdate("m", "2", swapped.toZip()), 0);
                assertSame(back, operator(restored).prior(), "a swap to a model of the same horizon keeps the prior");

                ModelBundle longer = ModelSwapTest.withVersion(
                        RandomBundles.random(CellKind.LSTM, ForecastJobTest.FEATURES, 16, 2, 5, 44),
                        ForecastJobTest.bundle,
                        "3",
                        List.of());
                restored.processElement2(new ModelUpdate("m", "3", longer.toZip()), 0);
                PopulationPrior fresh = operator(restored).prior();
                assertEquals(5, fresh.horizon(), "another horizon: a new prior");
                assertArrayEquals(new long[5], fresh.counts());
                assertArrayEquals(new float[5], fresh.advantages());
            }
        }
        // Without a snapshot an operator starts from an even split.
        try (var fresh = open(options, null)) {
            assertArrayEquals(new long[3], operator(fresh).prior().counts());
        }
    }

    /**
     * Every instance restores every instance's prior (union list state): at the same parallelism each continues from
     * its own; after a rescale each starts from their merge, each instance's prior counted as at most the
     * {@link PopulationPrior#WINDOW} scores its mean spans.
     */
    @Test
    void afterARescaleEveryInstanceStartsFromTheMergeOfAllInstancesPriors() throws Exception {
        ForecastOptions options = options(Ordering.ARRIVAL, NEVER, TTL);
        OperatorSubtaskState[] parts = new OperatorSubtaskState[2];
        for (int i = 0; i < 2; i++) {
            try (var h = open(options, null, 2, i)) {
                // Instance 0: 1500 scores where the model wins (advantage 1); instance 1: 500 where it loses (-1).
                evidence(operator(h).prior(), i == 0 ? 1500 : 500, i == 0 ? 1 : 3, i == 0 ? 3 : 1);
                parts[i] = h.snapshot(1, 1);
            }
        }
        OperatorSubtaskState all = AbstractStreamOperatorTestHarness.repackageState(parts);
        for (int i = 0; i < 2; i++) {
            try (var h = open(options, repartition(all, 2, 2, i), 2, i)) {
                PopulationPrior own = operator(h).prior();
                assertArrayEquals(new float[] {i == 0 ? 1 : -1, i == 0 ? 1 : -1, i == 0 ? 1 : -1}, own.advantages());
                assertEquals(i == 0 ? 1500 : 500, own.counts()[0], "the same parallelism: its own, exactly");
            }
        }
        // Instance 0's mean spans its last 1000 scores: (1000 * 1 + 500 * -1) / 1500.
        float merged = (1000f - 500f) / 1500f;
        for (int parallelism : new int[] {1, 3}) {
            for (int i = 0; i < parallelism; i++) {
                try (var h = open(options, repartition(all, 2, parallelism, i), parallelism, i)) {
                    PopulationPrior p = operator(h).prior();
                    assertArrayEquals(
                            new float[] {merged, merged, merged},
                            p.advantages(),
                            1e-6f,
                            "parallelism " + parallelism + ", instance " + i);
                    assertArrayEquals(new long[] {1500, 1500, 1500}, p.counts());
                }
            }
        }
    }

    static OperatorSubtaskState repartition(OperatorSubtaskState all, int from, int to, int instance) {
        return AbstractStreamOperatorTestHarness.repartitionOperatorState(all, MAX_PARALLELISM, from, to, instance);
    }

    @Test
    void arrivalOrderingDeadLettersAnOlderEventAsOutOfOrderAndAnEqualOneAsDuplicate() throws Exception {
        try (var harness = open(options(Ordering.ARRIVAL, Batching.DEFAULT.maxBatchDelay(), TTL), null)) {
            Event applied = event("a", 10_000, 1);
            Event older = event("a", 9_000, 2);
            Event same = event("a", 10_000, 3);
            send(harness, List.of(applied, older, same));
            harness.endAllInputs();
            assertEquals(1, harness.extractOutputValues().size());
            assertDeadLetters(
                    harness, List.of(older, same), List.of(DeadLetterReason.OUT_OF_ORDER, DeadLetterReason.DUPLICATE));
        }
    }

    @Test
    void eventTimeOrderingDeadLettersALateEventAndDuplicatesPendingOrApplied() throws Exception {
        try (var harness = open(options(Ordering.EVENT_TIME, Batching.DEFAULT.maxBatchDelay(), TTL), null)) {
            Event first = event("a", 10_000, 1);
            Event pendingTwin = event("a", 10_000, 2);
            send(harness, List.of(first, pendingTwin));
            harness.processWatermark1(new Watermark(10_500));
            Event appliedTwin = event("a", 10_000, 3);
            Event late = event("a", 10_400, 4);
            Event onTime = event("a", 10_600, 5);
            send(harness, List.of(appliedTwin, late, onTime));
            harness.processWatermark1(new Watermark(11_000));
            assertEquals(
                    List.of(10_000L, 10_600L),
                    harness.extractOutputValues().stream()
                            .map(Forecast::eventTime)
                            .toList());
            assertDeadLetters(
                    harness,
                    List.of(pendingTwin, appliedTwin, late),
                    List.of(DeadLetterReason.DUPLICATE, DeadLetterReason.DUPLICATE, DeadLetterReason.LATE));
        }
    }

    static Event event(String entity, long time, long offset) {
        return new Event(entity, time, new float[] {1f + offset, 2f}, ForecastJobTest.origin(offset));
    }

    /** Each rejected event went to the dead letters with its reason, its original record and its own event time. */
    static void assertDeadLetters(
            KeyedTwoInputStreamOperatorTestHarness<String, Event, ModelUpdate, Forecast> harness,
            List<Event> events,
            List<DeadLetterReason> reasons) {
        Queue<StreamRecord<DeadLetter>> side = harness.getSideOutput(ForecastOperator.REJECTED);
        assertEquals(reasons, rejected(harness).stream().map(DeadLetter::reason).toList());
        int i = 0;
        for (StreamRecord<DeadLetter> r : side) {
            Event e = events.get(i++);
            assertEquals(e.timestamp(), r.getTimestamp());
            assertEquals(e.origin().offset(), r.getValue().origin().offset());
            assertArrayEquals(e.origin().value(), r.getValue().origin().value(), "the original bytes");
            assertFalse(r.getValue().detail().isBlank());
        }
    }
}
