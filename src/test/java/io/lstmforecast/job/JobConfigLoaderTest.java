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
    void alertAndIntervalSettingsDefaultToTheLikelihoodRuleAnd90PercentIntervals() {
        JobConfig d = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of());
        assertEquals(io.lstmforecast.state.ForecastPolicy.AlertMethod.LIKELIHOOD, d.alertMethod());
        assertEquals(0.99999, d.alertLikelihood());
        assertEquals(0.9, d.intervalCoverage());
        JobConfig j = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of("alerts.method=sigma",
                "alerts.likelihood=0.9999", "intervals.coverage=0"));
        assertEquals(io.lstmforecast.state.ForecastPolicy.AlertMethod.SIGMA, j.alertMethod());
        assertEquals(0.9999, j.alertLikelihood());
        assertEquals(0.0, ForecastJobRunner.options(j, ForecastJobRunner.model(j)).policy().intervalCoverage());
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
        assertMessage(job, "parallelism=0", "parallelism", "from 1 to 4096");
        assertMessage(job, "event.values-field=values", "event", "exactly one");
        assertMessage(job, "kafka.start=yesterday", "kafka.start", "earliest");
        assertMessage(job, "state-backend=memory", "state-backend", "rocksdb");
        assertMessage(job, "nonsense", "key=value");
        assertMessage(job, "alerts.method=zscore", "alerts.method", "likelihood or sigma");
        assertMessage(job, "alerts.likelihood=0.3", "alerts.likelihood", "between 0.5 and 1");
        assertMessage(job, "alerts.likelihood=1.5", "alerts.likelihood", "0.0 to 1.0");
        assertMessage(job, "intervals.coverage=1", "intervals.coverage", "0.9 for 90 %");
        assertMessage(job, "intervals.coverage=90", "intervals.coverage", "0.0 to 1.0");
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

    /** Hostile or mistyped job files: each is an error naming the key and what is allowed, one line per kind. */
    @Test
    void hostileJobFilesAreRefusedNamingTheKeyAndTheAllowedRange() throws Exception {
        Path job = JobConfigLoader.resolve("sensors");
        assertMessage(job, "alerts.sigma=3", "unknown key 'alerts.sigma'", "did you mean 'alerts.sigmas'");
        assertMessage(job, "allowed-latenes=5s", "unknown key 'allowed-latenes'", "allowed-lateness");
        assertMessage(job, "kafka.topic.events=x", "unknown key 'kafka.topic'");
        assertMessage(job, "allowed-lateness=PT-5S", "allowed-lateness", "from 0 to 7d");
        assertMessage(job, "state-ttl=99999999999999999999d", "state-ttl", "duration");
        assertMessage(job, "state-ttl=PT9999999999999999H", "state-ttl", "duration");
        assertMessage(job, "idle-timeout=999999999999d", "idle-timeout", "from 0 to 1d");
        assertMessage(job, "checkpoint.interval=0", "checkpoint.interval", "from 10ms to 1d");
        assertMessage(job, "max-batch-size=100000000", "max-batch-size", "from 1 to 65536");
        assertMessage(job, "rewarm-events=5000000", "rewarm-events", "from 0 to 10000");
        assertMessage(job, "parallelism=3000000000", "parallelism", "from 1 to 4096");
        assertMessage(job, "alerts.sigmas=1e308", "alerts.sigmas", "from 0.0 to 1000.0");
        assertMessage(job, "event.max-record-bytes=2000000000", "event.max-record-bytes", "from 1 to 16777216");
        assertMessage(job, "max-output-record-bytes=5000000", "max-output-record-bytes", "from 4096 to 1000000");
        Path dup = tmp.resolve("dup.yaml");
        Files.writeString(dup, Files.readString(job).replace("name: sensors", "name: sensors\nname: other"));
        JobConfigLoader.InvalidJobException e = assertThrows(JobConfigLoader.InvalidJobException.class,
                () -> JobConfigLoader.load(dup, List.of()));
        assertTrue(e.getMessage().contains("duplicate key") && e.getMessage().contains("name"), e.getMessage());
    }

    @Test
    void everyValueFromTheEnvironmentIsMaskedWhateverItsKeyIsCalled() {
        String home = System.getenv("HOME");
        JobConfig j = JobConfigLoader.load(JobConfigLoader.resolve("sensors"),
                List.of("kafka.properties.basic.auth.user.info=${HOME}", "kafka.properties.odd.name=x${HOME}y",
                        "kafka.properties.sasl.oauthbearer.assertion.private.key.passphrase=plain-but-secret",
                        "flink.some.setting=${HOME}"));
        String text = j.describe();
        assertFalse(text.contains(home) || text.contains("plain-but-secret"), text);
        assertTrue(text.contains("odd.name=******") && text.contains("some.setting=******"), text);
    }
}
