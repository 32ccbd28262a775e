package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.config.Topics;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.KafkaTopics.Message;
import io.lstmforecast.testing.RecordSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped JSON Schemas of the output records (src/main/resources/schemas, docs/records.md) hold for what a real job
 * writes: a job on a MiniCluster and an in-process broker, fed good events, a spike that alerts and bad records, and
 * every committed forecast, alert and dead letter checked against its schema. Model-status records are checked where
 * KafkaJobTest swaps models through the control topic.
 */
class RecordSchemasTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(0);
        ForecastJobTest.model();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @Test
    void everyRecordAJobWritesConformsToItsSchema() throws Exception {
        Path file = KafkaJobTest.writeJob(
                dir,
                "schemas",
                kafka.bootstrapServers(),
                "300ms",
                Map.of(),
                List.of("alerts:", "  method: sigma", "  sigmas: 3", "  warmup: 10", "  cooldown: 0"));
        JobConfig job = JobConfigLoader.load(file, List.of());
        Topics t = job.kafka().topics();
        kafka.createTopics(3, t.events(), t.forecasts(), t.deadLetters(), t.alerts(), t.modelStatus());
        kafka.createTopics(1, t.models());

        // Two entities; entity-0's x jumps a hundredfold at its 40th event, far outside 3 rolling deviations.
        List<Event> events = new ArrayList<>(ForecastJobTest.events(2, 60, 31));
        int spike = 2 * 40;
        Event e = events.get(spike);
        events.set(spike, new Event(e.entityId(), e.timestamp(), new float[] {1000f, e.features()[1]}, e.origin()));
        List<Message> messages = new ArrayList<>();
        events.forEach(ev -> messages.add(KafkaJobTest.json(ev)));
        messages.add(new Message("k".getBytes(), "{not json".getBytes(StandardCharsets.UTF_8)));
        messages.add(new Message(null, "{\"id\":\"a\",\"t\":\"yesterday\",\"x\":1,\"y\":2}".getBytes()));
        messages.add(new Message(new byte[] {1, 2}, new byte[] {(byte) 0xff, (byte) 0xfe, 0}));
        KafkaTopics.produce(kafka.bootstrapServers(), t.events(), messages);
        KafkaJobTest.runToEnd(job, new Configuration());

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

    @Test
    void theSchemasRejectWhatTheyShouldAndListEveryDeadLetterReason() throws Exception {
        // A forecast without its horizon, with a string for a number, or with a field no consumer knows, is not one.
        byte[] good = ("{\"entity\":\"a\",\"event_time\":1,\"event_time_iso\":\"1970-01-01T00:00:00.001Z\","
                        + "\"model\":{\"name\":\"m\",\"version\":\"1\"},\"step\":1,\"horizon\":2,\"targets\":[\"x\"],"
                        + "\"actual\":{\"x\":1.5},\"forecast\":{\"x\":[1.0,2.0]},\"previous_error\":null,"
                        + "\"rolling_mae\":{\"x\":0.1},\"rolling_rmse\":{\"x\":0.2},\"lower\":null,\"upper\":null}")
                .getBytes(StandardCharsets.UTF_8);
        RecordSchemas.FORECAST.assertConforms(good);
        ObjectNode tree = (ObjectNode) JSON.readTree(good);
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().without("horizon")))
                .isEmpty());
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().put("step", "one")))
                .isEmpty());
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().put("extra", 1)))
                .isEmpty());
        // A baseline without its figures is not one either.
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().put("baseline", "persistence")))
                .isEmpty());
        // A rejected model with no reason, or an accepted one with a reason, is not a model status.
        assertFalse(RecordSchemas.MODEL_STATUS
                .errors(("{\"name\":\"m\",\"version\":\"2\",\"status\":\"rejected\",\"reason\":null,"
                                + "\"source\":\"inline\",\"time\":5}")
                        .getBytes(StandardCharsets.UTF_8))
                .isEmpty());
        assertFalse(RecordSchemas.MODEL_STATUS
                .errors(("{\"name\":\"m\",\"version\":\"2\",\"status\":\"accepted\",\"reason\":\"x\","
                                + "\"source\":\"inline\",\"time\":5}")
                        .getBytes(StandardCharsets.UTF_8))
                .isEmpty());
        // The dead-letter schema lists exactly the job's reasons: a new reason needs the schema (and records.md) too.
        TreeSet<String> inSchema = new TreeSet<>();
        RecordSchemas.DEAD_LETTER
                .tree()
                .get("properties")
                .get("reason")
                .get("enum")
                .forEach(n -> inSchema.add(n.asText()));
        TreeSet<String> inCode = new TreeSet<>();
        Arrays.stream(DeadLetterReason.values()).forEach(r -> inCode.add(r.id()));
        assertEquals(inCode, inSchema, RecordSchemas.DEAD_LETTER.resource() + " lists the reasons of DeadLetterReason");
    }

    private static byte[] bytes(ObjectNode node) throws Exception {
        return JSON.writeValueAsBytes(node);
    }
}
