package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.config.Topics;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.KafkaTopics.Message;
import io.lstmforecast.testing.SharedData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Arrival ordering: events are applied as they arrive when newer than their entity's last one, batches close after
 * max-batch-delay without waiting for a watermark, and a topic keyed by entity gives the same forecasts on every
 * replay, batched or not, straight through or across a restore.
 */
class OrderingTest extends KafkaMiniClusterTest {
    static ForecastOptions arrival(int maxBatch, Duration delay) {
        return ForecastOptions.of(
                        ForecastJobTest.bundleZip, ForecastJobTest.LATENESS, Duration.ZERO, Duration.ofHours(1))
                .withMaxBatchSize(maxBatch)
                .withOrdering(Ordering.ARRIVAL, delay)
                .withPolicy(ForecastJobTest.MODEL_SERVED);
    }

    @Test
    void anOlderEventIsOutOfOrderAnEqualOneADuplicateAndOneBehindTheWatermarkIsStillApplied() throws Exception {
        List<Event> events = ForecastJobTest.events(4, 30, 31);
        Event first = events.get(0);
        Event second = events.get(4);
        assertEquals(first.entityId(), second.entityId());
        List<ParsedRecord> input = new ArrayList<>(ForecastJobTest.records(events));
        // Sent while the entity's second event may still sit in the open batch: the batch is flushed first, so both
        // are judged against the applied state.
        input.add(
                5,
                ParsedRecord.of(new Event(
                        second.entityId(), second.timestamp(), new float[] {99f, 99f}, ForecastJobTest.origin(1000))));
        input.add(
                6,
                ParsedRecord.of(new Event(
                        first.entityId(),
                        first.timestamp() + 500,
                        new float[] {1f, 2f},
                        ForecastJobTest.origin(1001))));
        // An entity an hour behind every other, sent last: the watermark has passed all its events (event-time
        // ordering would call them late), yet each is newer than the entity's last one, so each is applied.
        List<Event> behind = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            behind.add(new Event(
                    "behind",
                    first.timestamp() - 3_600_000L + i * 1000L,
                    new float[] {3f, 4f},
                    ForecastJobTest.origin(2000 + i)));
        }
        input.addAll(ForecastJobTest.records(behind));
        // Throttled so that periodic watermarks pass the early events before "behind" arrives.
        ForecastJobTest.Collected out = ForecastJobTest.run(
                input,
                1,
                RateLimiterStrategy.perSecond(200),
                arrival(Batching.DEFAULT.maxBatchSize(), Batching.DEFAULT.maxBatchDelay()));
        Map<DeadLetterReason, Long> reasons =
                out.deadLetters().stream().collect(Collectors.groupingBy(DeadLetter::reason, Collectors.counting()));
        assertEquals(Map.of(DeadLetterReason.DUPLICATE, 1L, DeadLetterReason.OUT_OF_ORDER, 1L), reasons);
        assertTrue(
                out.deadLetters().stream()
                        .allMatch(d -> d.origin().offset() >= 1000 && d.origin().offset() < 2000),
                "the two bad events, with their original records");
        List<Event> good = new ArrayList<>(events);
        good.addAll(behind);
        assertEquals(good.size(), out.forecasts().size(), "inputs = forecasts + dead letters");
        ForecastJobTest.assertMatchesReference(good, out.forecasts());
    }

    @Test
    void stepEachEventAloneBatchedOrWithoutDelayGiveTheSameForecasts() throws Exception {
        List<Event> events = ForecastJobTest.events(9, 40, 32);
        Map<String, Forecast> unbatched = null;
        for (ForecastOptions options : List.of(
                arrival(1, Batching.DEFAULT.maxBatchDelay()),
                arrival(256, Batching.DEFAULT.maxBatchDelay()),
                arrival(256, Duration.ZERO),
                arrival(256, Duration.ofSeconds(10)))) {
            String what = "max-batch-size " + options.batching().maxBatchSize() + ", max-batch-delay "
                    + options.batching().maxBatchDelay();
            ForecastJobTest.Collected out = ForecastJobTest.run(ForecastJobTest.records(events), 1, null, options);
            assertEquals(0, out.deadLetters().size(), what);
            ForecastJobTest.assertMatchesReference(events, out.forecasts());
            Map<String, Forecast> byStep = byEntityStep(out.forecasts());
            if (unbatched == null) {
                unbatched = byStep;
            } else {
                assertSameForecasts(unbatched, byStep, what);
            }
        }
    }

    /** Set by the generator below when it hands out the event that follows its pause. */
    private static final AtomicLong RESUMED_AT = new AtomicLong();

    @Test
    void aBatchClosesAfterMaxBatchDelayWithoutWaitingForAWatermarkOrMoreEvents() throws Exception {
        List<Event> events = ForecastJobTest.events(3, 2, 33);
        ArrayList<ParsedRecord> data = new ArrayList<>(ForecastJobTest.records(events));
        int pauseBefore = 3;
        RESUMED_AT.set(0);
        DataGeneratorSource<ParsedRecord> source = new DataGeneratorSource<>(
                i -> {
                    if (i == pauseBefore) {
                        Thread.sleep(6000);
                        RESUMED_AT.set(System.currentTimeMillis());
                    }
                    return data.get(i.intValue());
                },
                data.size(),
                RateLimiterStrategy.noOp(),
                TypeInformation.of(ParsedRecord.class));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ForecastJob.Outputs outputs =
                ForecastJob.build(env, source, null, arrival(Batching.DEFAULT.maxBatchSize(), Duration.ofMillis(50)));
        List<Forecast> early = new ArrayList<>();
        try (CloseableIterator<Forecast> f = outputs.forecasts().collectAsync()) {
            env.executeAsync("max-batch-delay");
            while (early.size() < pauseBefore && f.hasNext()) {
                early.add(f.next());
            }
            // The first events are the whole open batch and 30 s of allowed lateness hold the watermark back, so only
            // max-batch-delay can have released them.
            assertEquals(0, RESUMED_AT.get(), "the first forecasts came out while the source was still paused");
            f.forEachRemaining(x -> {});
        }
        assertEquals(pauseBefore, early.size());
        ForecastJobTest.assertMatchesReference(events.subList(0, pauseBefore), early);
    }

    /**
     * One keyed topic read twice: straight through stepping each event alone, and batched by a job that is cancelled
     * mid-stream and restored from its checkpoint. Both give the same committed forecast for every event.
     */
    @Test
    void aReplayedTopicGivesTheSameForecastsUnbatchedStraightThroughAndBatchedAcrossARestore() throws Exception {
        List<Event> events = ForecastJobTest.events(5, 80, 34);
        List<Message> messages = events.stream().map(KafkaJobTest::json).toList();
        JobConfig restored = job("replay-restored", List.of("max-batch-size=256"), null);
        String topic = restored.kafka().topics().events();
        KafkaTopics.produce(kafka.bootstrapServers(), topic, messages.subList(0, 200));

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(restored));
        ForecastJobRunner.addTo(env, restored, false);
        JobClient first = env.executeAsync();
        assertTrue(!KafkaJobTest.forecasts(restored, 1).isEmpty(), "forecasts committed before the cancel");
        first.cancel().get();
        Path checkpoint = KafkaJobTest.latestCheckpoint(
                dir.resolve("checkpoints").resolve(first.getJobID().toString()));
        KafkaTopics.produce(kafka.bootstrapServers(), topic, messages.subList(200, messages.size()));
        Configuration restore = ForecastJobRunner.flinkConfiguration(restored);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment(restore);
        // Unbounded (a checkpoint of an unbounded source restores unbounded), and no flush events: nothing waits.
        ForecastJobRunner.addTo(env2, restored, false);
        JobClient second = env2.executeAsync();
        List<Forecast> acrossRestore = KafkaJobTest.forecasts(restored, events.size());
        second.cancel().get();
        KafkaJobTest.assertOneExactForecastPerEvent(events, acrossRestore);

        JobConfig straight = job("replay-straight", List.of("max-batch-size=1"), topic);
        KafkaJobTest.runToEnd(straight, new Configuration());
        List<Forecast> straightThrough = KafkaJobTest.forecasts(straight, events.size());
        KafkaJobTest.assertOneExactForecastPerEvent(events, straightThrough);
        assertSameForecasts(byEntityStep(straightThrough), byEntityStep(acrossRestore), "replay across a restore");
    }

    /**
     * A hostile producer under arrival ordering. An event stamped further ahead than event.max-future-skew is
     * dead-lettered by the parser and does nothing to its entity. One inside the skew is applied, and the entity's
     * real events after it are out_of_order until time passes it: max-future-skew bounds that damage.
     */
    @Test
    void aFarFutureEventBeyondTheSkewIsRejectedAndOneWithinItMakesTheEntitysNextEventsOutOfOrder() throws Exception {
        JobConfig job = job("future", List.of("event.max-future-skew=10m"), null);
        long now = System.currentTimeMillis();
        List<Event> victim = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            victim.add(new Event("victim", now - 60_000 + i * 1000L, new float[] {1f + i, 2f}, null));
        }
        List<Message> messages = new ArrayList<>(
                victim.subList(0, 3).stream().map(KafkaJobTest::json).toList());
        messages.add(keyed("beyond-skew", new Event("victim", now + 3_600_000L, new float[] {5f, 5f}, null)));
        messages.addAll(victim.subList(3, 6).stream().map(KafkaJobTest::json).toList());
        Event withinSkew = new Event("victim", now + 300_000L, new float[] {6f, 6f}, null);
        messages.add(KafkaJobTest.json(withinSkew));
        messages.add(keyed("after-ahead", new Event("victim", now - 30_000, new float[] {7f, 7f}, null)));
        // One partition, as a keyed producer would send the entity's records, whatever key the bad ones carry.
        KafkaTopics.produce(kafka.bootstrapServers(), job.kafka().topics().events(), 0, messages);
        KafkaJobTest.runToEnd(job, new Configuration());

        List<Event> applied = new ArrayList<>(victim);
        applied.add(withinSkew);
        KafkaJobTest.assertOneExactForecastPerEvent(applied, KafkaJobTest.forecasts(job, applied.size()));
        Map<String, String> reasonByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readCommitted(
                kafka.bootstrapServers(), job.kafka().topics().deadLetters(), 2, Duration.ofSeconds(60))) {
            JsonNode d = KafkaJobTest.JSON.readTree(r.value());
            reasonByKey.put(new String(r.key()), d.get("reason").asText());
        }
        assertEquals(Map.of("beyond-skew", "bad_timestamp", "after-ahead", "out_of_order"), reasonByKey);
    }

    /** An event's record under its own Kafka key, so that its dead letter can be told apart. */
    private static Message keyed(String key, Event e) {
        return new Message(key.getBytes(), KafkaJobTest.json(e).value());
    }

    /**
     * A job on the test broker with arrival ordering (the default) and parallelism 2; {@code eventsTopic} reads another
     * job's events topic instead of its own.
     */
    private JobConfig job(String name, List<String> overrides, String eventsTopic) throws Exception {
        List<String> all = new ArrayList<>(overrides);
        if (eventsTopic != null) {
            all.add("kafka.topics.events=" + eventsTopic);
        }
        JobConfig job = JobConfigLoader.load(
                KafkaJobTest.writeJob(dir, name, kafka.bootstrapServers(), "300ms", Map.of(), List.of()), all);
        assertEquals(Ordering.ARRIVAL, job.batching().ordering());
        Topics t = job.kafka().topics();
        if (eventsTopic == null) {
            kafka.createTopics(3, t.events());
        }
        kafka.createTopics(3, t.forecasts(), t.deadLetters(), t.alerts(), t.modelStatus());
        kafka.createTopics(1, t.models());
        return job;
    }

    private static Map<String, Forecast> byEntityStep(List<Forecast> forecasts) {
        return forecasts.stream().collect(Collectors.toMap(f -> f.entityId() + "#" + f.step(), Function.identity()));
    }

    /** The same events forecast with the same values (up to the float rounding of a batched GEMM, 1e-5). */
    private static void assertSameForecasts(Map<String, Forecast> expected, Map<String, Forecast> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (Map.Entry<String, Forecast> e : expected.entrySet()) {
            Forecast a = actual.get(e.getKey());
            assertEquals(e.getValue().eventTime(), a.eventTime(), what + " " + e.getKey());
            float diff = SharedData.maxAbsDiff(e.getValue().forecast(), a.forecast());
            assertTrue(diff <= 1e-5f, what + " " + e.getKey() + " differs by " + diff);
        }
    }
}
