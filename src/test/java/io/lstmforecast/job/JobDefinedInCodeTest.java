package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.EventFormat;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.Kafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JobConfigLoader.define (bench's jobs): settings given in code are read and checked exactly as a job file's. */
class JobDefinedInCodeTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(JobConfig.NAME.key(), "coded");
        s.put(Kafka.BOOTSTRAP_SERVERS.key(), "127.0.0.1:19092");
        s.put(EventFormat.ENTITY_FIELD.key(), "id");
        s.put(EventFormat.TIMESTAMP_FIELD.key(), "t");
        s.put(EventFormat.FEATURES, List.of("v"));
        s.put(JobConfig.MODEL.key(), "model");
        s.put(Batching.MAX_BATCH_SIZE.key(), 7);
        s.put(EventTime.STATE_TTL.key(), "0");
        s.put(JobConfig.FLINK + ".execution.buffer-timeout.interval", "5ms");
        return s;
    }

    @Test
    void theSameSettingsInCodeAndInAFileGiveTheSameJob() throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "name: coded",
                        "kafka:",
                        "  bootstrap-servers: 127.0.0.1:19092",
                        "event:",
                        "  entity-field: id",
                        "  timestamp-field: t",
                        "  features: [v]",
                        "model: model",
                        "max-batch-size: 7",
                        "state-ttl: 0",
                        "flink:",
                        "  execution.buffer-timeout.interval: 5ms",
                        ""));
        List<String> overrides = List.of("max-batch-delay=20ms");
        JobConfig read = JobConfigLoader.load(file, overrides);
        JobConfig coded = JobConfigLoader.define(file, settings(), overrides);
        assertEquals(read.describe(), coded.describe());
        assertEquals(read.kafka(), coded.kafka());
        assertEquals(read.event(), coded.event());
        assertEquals(read.eventTime(), coded.eventTime());
        assertEquals(read.batching(), coded.batching());
        assertEquals(new Batching(Batching.ORDERING.fallback(), 7, Duration.ofMillis(20)), coded.batching());
        assertEquals(Duration.ZERO, coded.eventTime().stateTtl());
        assertEquals(read.model(), coded.model());
        assertEquals(Map.of("execution.buffer-timeout.interval", "5ms"), coded.flink());
    }

    @Test
    void aMistakenKeyOrValueInCodeIsRefusedAsInAFile() {
        Path file = tmp.resolve("job.yaml");
        Map<String, Object> typo = settings();
        typo.put("max-batch-sise", 3);
        String m = assertThrows(
                        JobConfigLoader.InvalidJobException.class, () -> JobConfigLoader.define(file, typo, List.of()))
                .getMessage();
        assertTrue(m.contains("unknown key 'max-batch-sise'") && m.contains("max-batch-size"), m);
        String bad = assertThrows(
                        JobConfigLoader.InvalidJobException.class,
                        () -> JobConfigLoader.define(file, settings(), List.of("max-batch-delay=10")))
                .getMessage();
        assertTrue(bad.contains("max-batch-delay") && bad.contains("'10'"), bad);
    }
}
