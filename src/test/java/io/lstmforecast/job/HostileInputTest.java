package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.config.Topics;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.testing.HostileBundles;
import io.lstmforecast.testing.HostileBundles.BadBundle;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.HostileInputs.BadControl;
import io.lstmforecast.testing.HostileInputs.BadRecord;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.KafkaTopics.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The job on a real broker, fed every kind of hostile record and control message in {@link HostileInputs}
 * (and every hostile bundle layout of {@link HostileBundles}, by path)
 * interleaved with good events. It runs with Flink's restart strategy {@code none}: one exception anywhere
 * would fail the job instead of restarting it, so a job still RUNNING at the end has had no restart.
 */
class HostileInputTest extends KafkaMiniClusterTest {
    @Test
    void everyHostileRecordAndControlMessageGetsItsReasonWhileTheGoodEventsAreForecastWithoutARestart()
            throws Exception {
        JobConfig job = JobConfigLoader.load(
                KafkaJobTest.writeJob(
                        dir,
                        "hostile",
                        kafka.bootstrapServers(),
                        "300ms",
                        Map.of(),
                        List.of("idle-timeout: 2s", "max-model-bytes: 4194304")),
                List.of(
                        "allowed-lateness=10m",
                        // The watermark guards are what this test attacks; arrival ordering's hostile cases are in
                        // OrderingTest.
                        "ordering=event-time",
                        // The range HostileInputs' records assume; the good events lie well inside it.
                        "event.range={y: [-1000, 1000]}"));
        Topics t = job.kafka().topics();
        kafka.createTopics(3, t.events(), t.forecasts(), t.deadLetters(), t.alerts());
        // One partition for the statuses too, so they are read in the order the control messages were sent.
        kafka.createTopics(1, t.models(), t.modelStatus());
        Path bigFile = dir.resolve("big.zip");
        Files.write(bigFile, new byte[5 << 20]);

        // Good events on partitions 0 and 1 only; partition 2 carries nothing but bad records, so it must go idle.
        List<Event> first = ForecastJobTest.events(6, 30, 21);
        List<Event> second = ForecastJobTest.events(6, 60, 21).subList(first.size(), 6 * 60);
        long t0 = first.get(0).timestamp();
        List<BadRecord> bad = new ArrayList<>(HostileInputs.records(t0));
        List<List<Message>> partitions = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<String, String> expectedReason = new HashMap<>();
        for (int i = 0; i < first.size(); i++) {
            partitions.get(entity(first.get(i)) % 2).add(KafkaJobTest.json(first.get(i)));
            if (i % 5 == 0 && i / 5 < bad.size()) {
                BadRecord b = bad.get(i / 5);
                String key = "bad-" + i / 5;
                expectedReason.put(key, b.reason() + " (" + b.what() + ")");
                partitions.get((i / 5) % 3).add(new Message(key.getBytes(StandardCharsets.UTF_8), b.value()));
            }
        }
        assertTrue(expectedReason.size() == bad.size(), "every bad record is sent");
        // A duplicate of an event just sent, and a bad record whose Kafka key alone is over half a megabyte.
        Event dup = first.get(first.size() - 1);
        partitions
                .get(entity(dup) % 2)
                .add(new Message(
                        "dup".getBytes(StandardCharsets.UTF_8),
                        KafkaJobTest.json(dup).value()));
        expectedReason.put("dup", "duplicate (the same entity and time twice)");
        byte[] hugeKey = ("huge-key-" + "k".repeat(600_000)).getBytes(StandardCharsets.UTF_8);
        partitions.get(2).add(new Message(hugeKey, "{not json".getBytes(StandardCharsets.UTF_8)));
        expectedReason.put("huge-key-", "malformed_json (a 600 KB key)");
        for (int p = 0; p < 3; p++) {
            KafkaTopics.produce(kafka.bootstrapServers(), t.events(), p, partitions.get(p));
        }

        ModelBundle serving = ForecastJobTest.bundle;
        ModelBundle sameIdOtherWeights = ModelSwapTest.withVersion(
                RandomBundles.random(CellKind.LSTM, ForecastJobTest.FEATURES, 16, 2, 3, 7), serving, "1", null);
        List<BadControl> controls =
                new ArrayList<>(HostileInputs.controls(serving, sameIdOtherWeights, bigFile.toString()));
        // Model-side: bundles in the model root (dir) whose files lead out of it, sent by path.
        for (BadBundle b : HostileBundles.layOut(dir, Files.createTempDirectory("outside-model-root"), serving)) {
            controls.add(new BadControl(
                    b.what(),
                    ("{\"version\":\"7\",\"uri\":\"" + b.location() + "\"}").getBytes(StandardCharsets.UTF_8),
                    b.because()));
        }
        List<Message> control = new ArrayList<>();
        controls.forEach(c -> control.add(new Message(null, c.message())));
        ModelBundle v2 = ModelSwapTest.withVersion(
                RandomBundles.random(CellKind.LSTM, ForecastJobTest.FEATURES, 8, 1, 3, 99), serving, "2", null);
        control.add(new Message(null, HostileInputs.message("2", HostileInputs.zip(v2))));
        KafkaTopics.produce(kafka.bootstrapServers(), t.models(), control);

        Configuration conf = ForecastJobRunner.flinkConfiguration(job);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ForecastJobRunner.addTo(env, job, false);
        JobClient client = env.executeAsync();
        try {
            // Allowed lateness is 10 minutes, so a good partition that idles while the test waits cannot make the
            // other's
            // events late. Once the job reads (dead letters come out at once), send an event six
            // hours ahead of every other (it must not make the events after it late), the rest, and two flush events
            // per good partition (none to partition 2: it is released by idleness alone).
            KafkaTopics.readCommitted(
                    kafka.bootstrapServers(), t.deadLetters(), bad.size() / 2, Duration.ofSeconds(60));
            KafkaTopics.produce(
                    kafka.bootstrapServers(),
                    t.events(),
                    0,
                    List.of(KafkaJobTest.json(new Event(
                            "future",
                            second.get(second.size() - 1).timestamp() + 6 * 3_600_000L,
                            new float[] {1, 2},
                            null))));
            for (int p = 0; p < 2; p++) {
                int partition = p;
                KafkaTopics.produce(
                        kafka.bootstrapServers(),
                        t.events(),
                        p,
                        second.stream()
                                .filter(e -> entity(e) % 2 == partition)
                                .map(KafkaJobTest::json)
                                .toList());
            }
            for (int p = 0; p < 2; p++) {
                long end = second.get(second.size() - 1).timestamp() + 3_600_000L;
                KafkaTopics.produce(
                        kafka.bootstrapServers(),
                        t.events(),
                        p,
                        List.of(
                                KafkaJobTest.json(new Event("flush-" + p + "a", end, new float[] {0, 0}, null)),
                                KafkaJobTest.json(new Event("flush-" + p + "b", end + 1, new float[] {0, 0}, null))));
            }

            List<Event> good = new ArrayList<>(first);
            good.addAll(second);
            List<Forecast> out = KafkaJobTest.forecasts(job, good.size() + 2).stream()
                    .filter(f -> !f.entityId().startsWith("flush-"))
                    .toList();
            assertNoDuplicates(out);
            assertEquals(
                    good.size(), out.size(), "every good event is forecast once; the one six hours ahead still waits");
            assertTrue(
                    out.stream().noneMatch(f -> f.entityId().equals("future")),
                    "the far-ahead event did not move the watermark");

            // Now the watermark is an hour past every event: one of entity-0 from between its first two is late.
            KafkaTopics.produce(
                    kafka.bootstrapServers(),
                    t.events(),
                    0,
                    List.of(new Message(
                            "late".getBytes(StandardCharsets.UTF_8),
                            KafkaJobTest.json(new Event("entity-0", t0 + 500, new float[] {1, 2}, null))
                                    .value())));
            expectedReason.put("late", "late (behind the watermark)");
            List<ConsumerRecord<byte[], byte[]>> dead = KafkaTopics.readCommitted(
                    kafka.bootstrapServers(), t.deadLetters(), expectedReason.size(), Duration.ofSeconds(60));
            assertEquals(expectedReason.size(), dead.size(), "one dead letter per bad record, and no others");
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                assertTrue(
                        r.serializedKeySize() + r.serializedValueSize()
                                <= job.limits().maxOutputRecordBytes(),
                        "dead letter fits");
                JsonNode d = KafkaJobTest.JSON.readTree(r.value());
                String key = new String(
                        Base64.getDecoder().decode(d.get("key_base64").asText()), StandardCharsets.UTF_8);
                String id = key.startsWith("huge-key-") ? "huge-key-" : key;
                String expected = expectedReason.get(id);
                assertTrue(expected != null, "unexpected dead letter " + d);
                assertTrue(seen.add(id), "dead-lettered twice: " + id);
                assertEquals(
                        expected.substring(0, expected.indexOf(' ')),
                        d.get("reason").asText(),
                        expected + ": " + d.get("detail"));
                assertTrue(!d.get("detail").asText().isBlank());
                if (id.equals("bad-" + (bad.size() - 1)) || id.equals("huge-key-")) {
                    assertTrue(d.get("truncated").asBoolean(), "an oversized original is cut and marked: " + id);
                }
            }

            List<ConsumerRecord<byte[], byte[]>> status = KafkaTopics.readCommitted(
                    kafka.bootstrapServers(), t.modelStatus(), controls.size() + 1, Duration.ofSeconds(60));
            assertEquals(controls.size() + 1, status.size());
            for (int i = 0; i < controls.size(); i++) {
                JsonNode s = KafkaJobTest.JSON.readTree(status.get(i).value());
                assertEquals(
                        "rejected", s.get("status").asText(), controls.get(i).what());
                assertTrue(
                        s.get("reason").asText().contains(controls.get(i).because()),
                        controls.get(i).what() + ": '" + controls.get(i).because() + "' in " + s.get("reason"));
                assertTrue(
                        status.get(i).serializedValueSize() < 16_384,
                        controls.get(i).what() + ": status record is bounded");
            }
            assertEquals(
                    "accepted",
                    KafkaJobTest.JSON
                            .readTree(status.get(controls.size()).value())
                            .get("status")
                            .asText(),
                    "after every hostile message a good model is still accepted");
            assertEquals(
                    JobStatus.RUNNING, client.getJobStatus().get(), "the job never failed (restart strategy none)");
        } finally {
            client.cancel().get();
        }
    }

    private static int entity(Event e) {
        return Integer.parseInt(e.entityId().substring(e.entityId().indexOf('-') + 1));
    }

    private static void assertNoDuplicates(List<Forecast> out) {
        Set<String> seen = new HashSet<>();
        for (Forecast f : out) {
            assertTrue(
                    seen.add(f.entityId() + "#" + f.step()),
                    "duplicate forecast " + f.entityId() + " step " + f.step());
        }
    }
}
