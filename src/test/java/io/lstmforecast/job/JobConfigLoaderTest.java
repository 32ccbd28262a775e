package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedJobsLoadWithTheirModels() {
        JobConfig sensors = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of());
        assertEquals(List.of("temperature"), sensors.event().features());
        assertEquals("iso-8601", sensors.event().timestampFormat());
        assertTrue(Files.isDirectory(sensors.model()));
        JobConfig tracks = JobConfigLoader.load(JobConfigLoader.resolve("jobs/tracks"), List.of());
        assertEquals("values", tracks.event().valuesField());
        assertEquals(3, ForecastJobRunner.model(tracks).spec().features().size());
    }

    @Test
    void overridesWinAndDurationsParse() {
        JobConfig j = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of("kafka.bootstrap-servers=10.0.0.1:9093",
                "allowed-lateness=1500ms", "parallelism=3", "delivery=at-least-once", "kafka.properties.security.protocol=SSL"));
        assertEquals("10.0.0.1:9093", j.kafka().bootstrapServers());
        assertEquals(Duration.ofMillis(1500), j.allowedLateness());
        assertEquals(3, j.parallelism());
        assertFalse(j.exactlyOnce());
        assertEquals("SSL", j.kafka().properties().get("security.protocol"));
        assertEquals(Duration.ofHours(2), JobConfigLoader.parseDuration("2h"));
        assertEquals(Duration.ofSeconds(5), JobConfigLoader.parseDuration("PT5S"));
    }

    @Test
    void flinkSettingsOfTheJobFileReachTheFlinkConfigurationAndWinOverDerivedOnes() {
        JobConfig j = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of("checkpoint.interval=10s",
                "flink.execution.buffer-timeout.interval=5ms", "flink.execution.checkpointing.interval=3s"));
        assertEquals(Map.of("execution.buffer-timeout.interval", "5ms", "execution.checkpointing.interval", "3s"), j.flink());
        var conf = ForecastJobRunner.flinkConfiguration(j);
        assertEquals(Duration.ofMillis(5), conf.get(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT));
        assertEquals(Duration.ofSeconds(3), conf.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL));
        assertMessage(JobConfigLoader.resolve("sensors"), "flink.execution={buffer-timeout: 5ms}", "flink.execution", "single value");
    }

    @Test
    void eachInvalidSettingIsNamedWithTheFix() {
        Path job = JobConfigLoader.resolve("sensors");
        assertMessage(job, "delivery=twice", "delivery", "exactly-once or at-least-once");
        assertMessage(job, "allowed-lateness=soon", "allowed-lateness", "5s");
        assertMessage(job, "parallelism=0", "parallelism", "at least 1");
        assertMessage(job, "event.values-field=values", "event", "exactly one");
        assertMessage(job, "kafka.start=yesterday", "kafka.start", "earliest");
        assertMessage(job, "state-backend=memory", "state-backend", "rocksdb");
        assertMessage(job, "nonsense", "key=value");
        JobConfigLoader.InvalidJobException e = assertThrows(JobConfigLoader.InvalidJobException.class,
                () -> JobConfigLoader.resolve("nope"));
        assertTrue(e.getMessage().contains("sensors, tracks"));
    }

    static void assertMessage(Path job, String override, String... words) {
        JobConfigLoader.InvalidJobException e = assertThrows(JobConfigLoader.InvalidJobException.class,
                () -> JobConfigLoader.load(job, List.of(override)));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void secretsComeFromTheEnvironmentAndAreMaskedInTheDescription() {
        String home = System.getenv("HOME");
        JobConfig j = JobConfigLoader.load(JobConfigLoader.resolve("sensors"),
                List.of("kafka.properties.sasl.jaas.config=login password=\"${HOME}\";", "kafka.properties.ssl.truststore.password=hunter2"));
        assertEquals("login password=\"" + home + "\";", j.kafka().properties().get("sasl.jaas.config"));
        String text = j.describe();
        assertFalse(text.contains("hunter2") || text.contains(home + "\""), text);
        assertTrue(text.contains("******"));
        assertMessage(JobConfigLoader.resolve("sensors"), "kafka.properties.sasl.jaas.config=${NO_SUCH_VARIABLE_42}",
                "NO_SUCH_VARIABLE_42", "not set");
    }
}
