package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.config.Topics;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.ImportFixtures;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.KafkaTopics.Message;
import io.lstmforecast.testing.RecordSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The whole job on a real Kafka broker and a Flink MiniCluster. */
class KafkaJobTest extends KafkaMiniClusterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A job file in the temp dir with the test model, its own topics and checkpoints under the temp dir. */
    JobConfig job(String name, List<String> overrides) throws Exception {
        Path file = writeJob(dir, name, kafka.bootstrapServers(), "300ms", Map.of(), List.of());
        JobConfig job = JobConfigLoader.load(file, overrides);
        Topics t = job.kafka().topics();
        kafka.createTopics(3, t.events(), t.forecasts(), t.deadLetters(), t.alerts(), t.modelStatus());
        kafka.createTopics(1, t.models());
        return job;
    }

    /**
     * Writes {@code dir/job.yaml} for the test model (written to {@code dir/model}): events {"id", "t", "x", "y"}, reading
     * from the earliest offset, 30 s allowed lateness, parallelism 2, checkpoints under {@code dir}.
     *
     * @param kafkaProperties kafka.properties of the job
     * @param extra more top-level YAML lines
     */
    static Path writeJob(
            Path dir,
            String name,
            String bootstrap,
            String checkpointInterval,
            Map<String, String> kafkaProperties,
            List<String> extra)
            throws Exception {
        ForecastJobTest.bundle.writeTo(dir.resolve("model"));
        List<String> lines = new ArrayList<>(List.of(
                "name: " + name,
                "kafka:",
                "  bootstrap-servers: " + bootstrap,
                "  start: earliest",
                "  properties: {"
                        + kafkaProperties.entrySet().stream()
                                .map(p -> p.getKey() + ": '" + p.getValue() + "'")
                                .collect(Collectors.joining(", "))
                        + "}",
                "event:",
                "  entity-field: id",
                "  timestamp-field: t",
                "  features: [x, y]",
                "model: model",
                // The model's forecast served alone: the tests hold the job's records to the model's sequence.
                "combine: model",
                "allowed-lateness: 30s",
                "checkpoint:",
                "  interval: " + checkpointInterval,
                "  storage: " + dir.resolve("checkpoints").toUri(),
                "parallelism: 2"));
        lines.addAll(extra);
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /**
     * Under event-time ordering, two far-future events per partition of a 3-partition topic moves the watermark past
     * every real event, so all of them are released; the flush events themselves wait for a watermark that never
     * comes. Their entities start with "flush-". Under arrival ordering nothing waits, and nothing is sent: flush
     * events would be forecast themselves and count towards the forecasts a reader waits for.
     */
    static void releaseLastEvents(String bootstrap, JobConfig job, List<Event> events) {
        if (job.batching().ordering() == Ordering.EVENT_TIME) {
            produceFlush(bootstrap, job.kafka().topics().events(), events);
        }
    }

    private static void produceFlush(String bootstrap, String topic, List<Event> events) {
        long end = events.stream().mapToLong(Event::timestamp).max().orElseThrow() + 3_600_000L;
        for (int p = 0; p < 3; p++) {
            // Two: a lone event far ahead of its partition only moves the watermark once a second one confirms it.
            KafkaTopics.produce(
                    bootstrap,
                    topic,
                    p,
                    List.of(
                            json(new Event("flush-" + p + "a", end, new float[] {0f, 0f}, null)),
                            json(new Event("flush-" + p + "b", end + 1, new float[] {0f, 0f}, null))));
        }
    }

    /** Exactly one forecast per event (no entity step twice, none missing), each equal to the sequence computation. */
    static void assertOneExactForecastPerEvent(List<Event> events, List<Forecast> out) {
        Set<String> seen = new HashSet<>();
        for (Forecast f : out) {
            assertTrue(
                    seen.add(f.entityId() + "#" + f.step()),
                    "duplicate forecast " + f.entityId() + " step " + f.step());
        }
        assertEquals(events.size(), out.size(), "exactly one committed forecast per event");
        ForecastJobTest.assertMatchesReference(events, new ArrayList<>(out));
    }

    static Message json(Event e) {
        String v = String.format(
                Locale.ROOT,
                "{\"id\":\"%s\",\"t\":%d,\"x\":%s,\"y\":%s}",
                e.entityId(),
                e.timestamp(),
                Float.toString(e.features()[0]),
                Float.toString(e.features()[1]));
        return new Message(e.entityId().getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8));
    }

    static List<Forecast> forecasts(JobConfig job, int expected) {
        return KafkaTopics.readCommitted(
                        kafka.bootstrapServers(), job.kafka().topics().forecasts(), expected, Duration.ofSeconds(60))
                .stream()
                .peek(r -> RecordSchemas.FORECAST.assertConforms(r.value()))
                .map(r -> OutputJson.parseForecast(r.value()))
                .collect(Collectors.toList());
    }

    static void runToEnd(JobConfig job, Configuration extra) throws Exception {
        Configuration conf = ForecastJobRunner.flinkConfiguration(job);
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ForecastJobRunner.addTo(env, job, true);
        env.execute();
    }

    @Test
    void nEventsOfMEntitiesGiveExactlyNCommittedForecastsEqualToTheSequenceComputation() throws Exception {
        JobConfig job = job("plain", List.of("baseline=constant-velocity"));
        List<Event> events = ForecastJobTest.events(6, 50, 11);
        long start = System.currentTimeMillis();
        KafkaTopics.produce(
                kafka.bootstrapServers(),
                job.kafka().topics().events(),
                events.stream().map(KafkaJobTest::json).toList());
        runToEnd(job, new Configuration());
        List<Forecast> out = forecasts(job, events.size());
        assertEquals(events.size(), out.size());
        ForecastJobTest.assertMatchesReference(events, out);
        // Stamped when written, not with the (2023) event time, which time-based retention would delete at once.
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readCommitted(
                kafka.bootstrapServers(), job.kafka().topics().forecasts(), events.size(), Duration.ofSeconds(60))) {
            assertTrue(r.timestamp() >= start, "forecast record timestamp " + r.timestamp() + " is before the run");
        }
        assertConstantVelocityBaselineOnEveryRecord(out);
    }

    /**
     * The job file's baseline reaches every record: each target's baseline forecast at step k is actual + k (actual -
     * the entity's previous actual), the last value alone at its first event; skill appears from the second event.
     */
    static void assertConstantVelocityBaselineOnEveryRecord(List<Forecast> out) {
        Map<String, List<Forecast>> byEntity = out.stream().collect(Collectors.groupingBy(Forecast::entityId));
        for (List<Forecast> fs : byEntity.values()) {
            fs.sort(Comparator.comparingLong(Forecast::step));
            for (int i = 0; i < fs.size(); i++) {
                Forecast f = fs.get(i);
                assertEquals("constant-velocity", f.baseline());
                int targets = f.targets().size();
                for (int t = 0; t < targets; t++) {
                    float velocity = i == 0 ? 0 : f.actual()[t] - fs.get(i - 1).actual()[t];
                    for (int k = 1; k <= f.horizon(); k++) {
                        assertEquals(
                                f.actual()[t] + k * velocity,
                                f.baselineForecast()[(k - 1) * targets + t],
                                1e-4f * (1 + Math.abs(f.actual()[t])),
                                f.entityId() + " step " + f.step());
                    }
                }
                assertEquals(i == 0, f.skill() == null, "skill from the second event on");
            }
        }
    }

    @Test
    void badRecordsAllLandInTheDeadLetterTopicWithTheirReasonAndOriginalBytes() throws Exception {
        JobConfig job = job("bad", List.of());
        Map<String, String> corpus = new java.util.LinkedHashMap<>();
        corpus.put("{not json", "malformed_json");
        corpus.put("[1,2,3]", "malformed_json");
        corpus.put("{\"t\":1700000000000,\"x\":1,\"y\":2}", "missing_field");
        corpus.put("{\"id\":\"a\",\"t\":1700000000000,\"x\":1}", "missing_field");
        corpus.put("{\"id\":\"a\",\"t\":1700000000000,\"x\":\"one\",\"y\":2}", "non_numeric");
        corpus.put("{\"id\":\"a\",\"t\":1700000000000,\"x\":NaN,\"y\":2}", "non_finite");
        corpus.put("{\"id\":\"a\",\"t\":1700000000000,\"x\":1e60,\"y\":2}", "non_finite");
        corpus.put("{\"id\":\"a\",\"t\":\"yesterday\",\"x\":1,\"y\":2}", "bad_timestamp");
        corpus.put("{\"id\":\"a\",\"t\":42,\"x\":1,\"y\":2}", "bad_timestamp");
        corpus.put("{\"id\":\"\",\"t\":1700000000000,\"x\":1,\"y\":2}", "bad_entity_id");
        corpus.put("{\"id\":\"" + "e".repeat(300) + "\",\"t\":1700000000000,\"x\":1,\"y\":2}", "bad_entity_id");
        corpus.put(
                "{\"id\":\"a\",\"t\":1700000000000,\"x\":1,\"y\":2,\"pad\":\"" + "p".repeat(70_000) + "\"}",
                "oversized");
        List<Message> messages = new ArrayList<>();
        corpus.keySet().forEach(v -> messages.add(new Message("k".getBytes(), v.getBytes(StandardCharsets.UTF_8))));
        messages.add(new Message(new byte[] {1, 2}, new byte[] {(byte) 0xff, (byte) 0xfe, 0}));
        List<Event> good = ForecastJobTest.events(2, 5, 12);
        good.forEach(e -> messages.add(json(e)));
        KafkaTopics.produce(kafka.bootstrapServers(), job.kafka().topics().events(), messages);
        runToEnd(job, new Configuration());

        List<ConsumerRecord<byte[], byte[]>> dead = KafkaTopics.readCommitted(
                kafka.bootstrapServers(),
                job.kafka().topics().deadLetters(),
                corpus.size() + 1,
                Duration.ofSeconds(60));
        assertEquals(corpus.size() + 1, dead.size(), "every bad record is dead-lettered");
        Map<String, String> reasonByValue = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            RecordSchemas.DEAD_LETTER.assertConforms(r.value());
            JsonNode d = JSON.readTree(r.value());
            byte[] original =
                    java.util.Base64.getDecoder().decode(d.get("value_base64").asText());
            reasonByValue.put(
                    new String(original, StandardCharsets.UTF_8),
                    d.get("reason").asText());
            assertTrue(d.get("source").get("offset").asLong() >= 0);
            assertTrue(!d.get("detail").asText().isBlank());
        }
        for (Map.Entry<String, String> c : corpus.entrySet()) {
            assertEquals(
                    c.getValue(),
                    reasonByValue.get(c.getKey()),
                    "reason for "
                            + c.getKey().substring(0, Math.min(60, c.getKey().length())));
        }
        assertEquals(good.size(), forecasts(job, good.size()).size(), "inputs = forecasts + dead letters");
    }

    @Test
    void aJobCancelledMidStreamAndRestoredFromItsCheckpointCommitsExactlyOneForecastPerEvent() throws Exception {
        JobConfig job = job("restore", List.of());
        List<Event> events = ForecastJobTest.events(5, 80, 13);
        List<Message> messages = events.stream().map(KafkaJobTest::json).toList();
        String eventsTopic = job.kafka().topics().events();
        KafkaTopics.produce(kafka.bootstrapServers(), eventsTopic, messages.subList(0, 200));

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, false);
        JobClient first = env.executeAsync();
        // Wait until a checkpoint has committed some forecasts, then cancel mid-stream.
        List<Forecast> before = forecasts(job, 1);
        assertTrue(!before.isEmpty(), "forecasts committed before the cancel");
        first.cancel().get();
        Path checkpoint = latestCheckpoint(
                dir.resolve("checkpoints").resolve(first.getJobID().toString()));

        KafkaTopics.produce(kafka.bootstrapServers(), eventsTopic, messages.subList(200, messages.size()));
        // The restored job runs unbounded (a checkpoint of an unbounded source restores unbounded).
        releaseLastEvents(kafka.bootstrapServers(), job, events);
        Configuration restore = ForecastJobRunner.flinkConfiguration(job);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment(restore);
        ForecastJobRunner.addTo(env2, job, false);
        JobClient second = env2.executeAsync();
        List<Forecast> all = forecasts(job, events.size());
        second.cancel().get();

        assertOneExactForecastPerEvent(
                events,
                all.stream().filter(f -> !f.entityId().startsWith("flush-")).toList());
    }

    @Test
    void aModelSwappedMidStreamThroughTheControlTopicLosesAndDuplicatesNothing() throws Exception {
        var v1 = ForecastJobTest.bundle;
        var v2 = ModelSwapTest.withVersion(
                io.lstmforecast.model.bundle.RandomBundles.random(
                        io.lstmforecast.model.CellKind.LSTM, ForecastJobTest.FEATURES, 8, 1, 3, 99),
                v1,
                "2",
                null);
        var wrong = io.lstmforecast.model.bundle.RandomBundles.random(
                io.lstmforecast.model.CellKind.GRU, List.of("x"), 4, 1, 3, 98);
        swapMidStream(
                "swap",
                14,
                List.of(ModelSwapTest.inline(wrong, "1"), ModelSwapTest.inline(v2, "2")),
                List.of("rejected", "accepted"),
                v2);
    }

    @Test
    void aSwapToAnUploadedOnnxBundleThroughTheControlTopicServesItLikeAnNpzBundle() throws Exception {
        // model.json + weights.onnx, the file torch.onnx.export wrote, zipped as a user uploads it.
        byte[] upload = ImportFixtures.bundleZip(
                "gru_xy_opset17.onnx", ForecastJobTest.bundle.spec().name(), "2", 3, dir.resolve("upload"));
        swapMidStream(
                "swap-onnx",
                15,
                List.of(HostileInputs.message("2", upload)),
                List.of("accepted"),
                io.lstmforecast.model.bundle.ModelBundle.fromZip(upload, "upload"));
    }

    /**
     * The shipped JSON Schemas of the output records (src/main/resources/schemas, docs/records.md) hold for what the job
     * writes: good events, a spike that alerts and bad records, and every committed forecast, alert and dead letter
     * checked against its schema (model statuses: in {@link #swapMidStream}).
     */
    @Test
    void everyRecordTheJobWritesConformsToItsShippedSchema() throws Exception {
        JobConfig job = job(
                "schemas", List.of("alerts.method=sigma", "alerts.sigmas=3", "alerts.warmup=10", "alerts.cooldown=0"));
        Topics t = job.kafka().topics();

        // Two entities; entity-0's x jumps a hundredfold at its 40th event, far outside 3 rolling deviations.
        List<Event> events = new ArrayList<>(ForecastJobTest.events(2, 60, 31));
        int spike = 2 * 40;
        Event e = events.get(spike);
        events.set(spike, new Event(e.entityId(), e.timestamp(), new float[] {1000f, e.features()[1]}, e.origin()));
        List<Message> messages = new ArrayList<>();
        events.forEach(ev -> messages.add(json(ev)));
        messages.add(new Message("k".getBytes(), "{not json".getBytes(StandardCharsets.UTF_8)));
        messages.add(new Message(null, "{\"id\":\"a\",\"t\":\"yesterday\",\"x\":1,\"y\":2}".getBytes()));
        messages.add(new Message(new byte[] {1, 2}, new byte[] {(byte) 0xff, (byte) 0xfe, 0}));
        KafkaTopics.produce(kafka.bootstrapServers(), t.events(), messages);
        runToEnd(job, new Configuration());

        List<ConsumerRecord<byte[], byte[]>> forecasts = KafkaTopics.readCommitted(
                kafka.bootstrapServers(), t.forecasts(), events.size(), Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> dead =
                KafkaTopics.readCommitted(kafka.bootstrapServers(), t.deadLetters(), 3, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> alerts =
                KafkaTopics.readCommitted(kafka.bootstrapServers(), t.alerts(), 1, Duration.ofSeconds(30));
        assertEquals(events.size(), forecasts.size(), "one forecast per event");
        assertEquals(3, dead.size(), "one dead letter per bad record");
        assertFalse(alerts.isEmpty(), "the spike alerts");
        forecasts.forEach(r -> RecordSchemas.FORECAST.assertConforms(r.value()));
        dead.forEach(r -> RecordSchemas.DEAD_LETTER.assertConforms(r.value()));
        alerts.forEach(r -> RecordSchemas.ALERT.assertConforms(r.value()));
        assertTrue(
                alerts.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"entity-0\"")),
                "the spiking entity alerts");
    }

    /**
     * Runs the job on events of 6 entities, sends {@code control} to the models topic once the first model serves,
     * expects {@code statuses}, and checks that every event got exactly one forecast, by the first model and then by
     * {@code v2} from a reset state, each equal to stepping the entity alone.
     */
    void swapMidStream(
            String name,
            long seed,
            List<byte[]> control,
            List<String> statuses,
            io.lstmforecast.model.bundle.ModelBundle v2)
            throws Exception {
        // No idleness: a partition that pauses while the test waits must not let the others race ahead
        // and turn its next events late. Entities are spread over all three partitions.
        JobConfig job = job(name, List.of("idle-timeout=0", "allowed-lateness=2s"));
        List<Event> events = ForecastJobTest.events(6, 40, seed);
        String eventsTopic = job.kafka().topics().events();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, false);
        JobClient client = env.executeAsync();
        try {
            producePartitioned(eventsTopic, events.subList(0, 120));
            assertTrue(!forecasts(job, 1).isEmpty(), "the first model serves");

            String models = job.kafka().topics().models();
            KafkaTopics.produce(
                    kafka.bootstrapServers(),
                    models,
                    control.stream().map(m -> new Message(null, m)).toList());
            List<ConsumerRecord<byte[], byte[]>> status = KafkaTopics.readCommitted(
                    kafka.bootstrapServers(),
                    job.kafka().topics().modelStatus(),
                    statuses.size(),
                    Duration.ofSeconds(60));
            status.forEach(r -> RecordSchemas.MODEL_STATUS.assertConforms(r.value()));
            assertEquals(
                    statuses,
                    status.stream()
                            .map(r -> {
                                try {
                                    return JSON.readTree(r.value())
                                            .get("status")
                                            .asText();
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                            })
                            .toList());

            producePartitioned(eventsTopic, events.subList(120, events.size()));
            releaseLastEvents(kafka.bootstrapServers(), job, events);
            List<Forecast> out = forecasts(job, events.size()).stream()
                    .filter(f -> !f.entityId().startsWith("flush-"))
                    .toList();
            assertEquals(events.size(), out.size(), "one forecast per event across the swap");
            assertTrue(out.stream().anyMatch(f -> f.modelVersion().equals("1")));
            assertTrue(out.stream().anyMatch(f -> f.modelVersion().equals("2")));
            ModelSwapTest.assertMatches(
                    new ModelSwapTest.Run(events, new ArrayList<>(out), List.of()), ForecastJobTest.bundle, v2, false);
        } finally {
            client.cancel().get();
        }
    }

    /** Entity i's events go to partition i % 3, so every partition carries events. */
    static void producePartitioned(String topic, List<Event> events) {
        for (int p = 0; p < 3; p++) {
            int partition = p;
            List<Message> part = events.stream()
                    .filter(e ->
                            Integer.parseInt(e.entityId().substring(e.entityId().indexOf('-') + 1)) % 3 == partition)
                    .map(KafkaJobTest::json)
                    .toList();
            KafkaTopics.produce(kafka.bootstrapServers(), topic, partition, part);
        }
    }

    static Path latestCheckpoint(Path jobDir) throws Exception {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(
                            p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint in " + jobDir));
        }
    }
}
