package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Combine;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.state.ForecastPolicy;
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
        JobConfig j = JobConfigLoader.load(
                JobConfigLoader.resolve("sensors"),
                List.of(
                        "kafka.bootstrap-servers=10.0.0.1:9093",
                        "allowed-lateness=1500ms",
                        "parallelism=3",
                        "delivery=at-least-once",
                        "kafka.properties.security.protocol=SSL"));
        assertEquals("10.0.0.1:9093", j.kafka().bootstrapServers());
        assertEquals(Duration.ofMillis(1500), j.eventTime().allowedLateness());
        assertEquals(3, j.parallelism());
        assertFalse(j.delivery().exactlyOnce());
        assertEquals("SSL", j.kafka().properties().get("security.protocol"));
        assertEquals(Duration.ofHours(2), io.lstmforecast.config.Durations.parse("2h"));
        assertEquals(Duration.ofSeconds(5), io.lstmforecast.config.Durations.parse("PT5S"));
    }

    @Test
    void alertAndIntervalSettingsDefaultToTheCombinedLikelihoodRuleAnd90PercentIntervals() {
        JobConfig d = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of());
        assertEquals(
                io.lstmforecast.config.AlertMethod.COMBINED_LIKELIHOOD,
                d.policy().alerts().method());
        assertEquals(200, d.policy().alerts().cooldown());
        assertEquals(0.99999, d.policy().alerts().likelihood());
        assertEquals(0.9, d.policy().intervals().coverage());
        JobConfig j = JobConfigLoader.load(
                JobConfigLoader.resolve("sensors"),
                List.of("alerts.method=sigma", "alerts.likelihood=0.9999", "intervals.coverage=0"));
        assertEquals(
                io.lstmforecast.config.AlertMethod.SIGMA, j.policy().alerts().method());
        assertEquals(0.9999, j.policy().alerts().likelihood());
        assertEquals(
                0.0,
                ForecastJobRunner.options(j, ForecastJobRunner.model(j))
                        .policy()
                        .intervals()
                        .coverage());
    }

    @Test
    void orderingDefaultsToArrivalWithAFewMillisecondsOfBatchDelayAndItsKeysAreChecked() {
        Path job = JobConfigLoader.resolve("sensors");
        JobConfig d = JobConfigLoader.load(job, List.of());
        assertEquals(Ordering.ARRIVAL, d.batching().ordering());
        assertEquals(Duration.ofMillis(5), d.batching().maxBatchDelay());
        assertTrue(d.describe().contains("ordering arrival"), d.describe());
        JobConfig e = JobConfigLoader.load(job, List.of("ordering=event-time", "max-batch-delay=0"));
        assertEquals(Ordering.EVENT_TIME, e.batching().ordering());
        assertEquals(Duration.ZERO, e.batching().maxBatchDelay());
        ForecastOptions options = ForecastJobRunner.options(e, ForecastJobRunner.model(e));
        assertEquals(Ordering.EVENT_TIME, options.batching().ordering());
        assertEquals(Duration.ZERO, options.batching().maxBatchDelay());
        assertFalse(options.lastValueKernel(), "the last-value kernel is for bench only");
        assertMessage(job, "ordering=processing-time", "ordering", "arrival or event-time", "processing-time");
        assertMessage(job, "max-batch-delay=1m", "max-batch-delay", "from 0 to 10s");
        assertMessage(job, "max-batch-delay=soon", "max-batch-delay", "500ms", "not 'soon'");
        assertMessage(job, "orderng=arrival", "unknown key 'orderng'", "did you mean 'ordering'");
        assertMessage(job, "max-batch-dealy=5ms", "unknown key 'max-batch-dealy'", "did you mean 'max-batch-delay'");
    }

    @Test
    void combineDefaultsToOnlineIsReadFromTheFileAndOverridesAndItsValuesAreChecked() throws Exception {
        Path job = JobConfigLoader.resolve("sensors");
        assertEquals(
                Combine.ONLINE, JobConfigLoader.load(job, List.of()).policy().combine());
        assertEquals(Combine.ONLINE, ForecastPolicy.DEFAULT.combine());
        assertTrue(Files.readString(job).contains("\ncombine: online "), "the shipped job says it");
        Path bare = tmp.resolve("job.yaml");
        Files.writeString(
                bare,
                Files.readString(job)
                        .replaceAll("\ncombine: [^\n]*", "")
                        .replace(
                                "model: model", "model: " + job.toAbsolutePath().resolveSibling("model")));
        assertEquals(
                Combine.ONLINE, JobConfigLoader.load(bare, List.of()).policy().combine(), "unset: online");
        JobConfig m = JobConfigLoader.load(job, List.of("combine=model"));
        assertEquals(Combine.MODEL, m.policy().combine());
        assertTrue(m.describe().contains("combine model"), m.describe());
        JobConfig b = JobConfigLoader.load(job, List.of("combine=BASELINE"));
        assertEquals(Combine.BASELINE, b.policy().combine());
        assertEquals(
                Combine.BASELINE,
                ForecastJobRunner.options(b, ForecastJobRunner.model(b))
                        .policy()
                        .combine());
        assertEquals(
                Combine.MODEL, ForecastPolicy.DEFAULT.withCombine(Combine.MODEL).combine());
        assertEquals(
                ForecastPolicy.DEFAULT
                        .withCombine(Combine.MODEL)
                        .withRewarmEvents(3)
                        .combine(),
                Combine.MODEL,
                "the other with... helpers keep it");
        assertMessage(job, "combine=average", "combine", "online, model or baseline", "not 'average'");
        assertMessage(job, "combine=[online]", "combine", "single value");
        assertMessage(job, "combin=online", "unknown key 'combin'", "did you mean 'combine'");
    }

    @Test
    void flinkSettingsOfTheJobFileReachTheFlinkConfigurationAndWinOverDerivedOnes() {
        JobConfig j = JobConfigLoader.load(
                JobConfigLoader.resolve("sensors"),
                List.of(
                        "checkpoint.interval=10s",
                        "flink.execution.buffer-timeout.interval=5ms",
                        "flink.execution.checkpointing.interval=3s"));
        assertEquals(
                Map.of("execution.buffer-timeout.interval", "5ms", "execution.checkpointing.interval", "3s"),
                j.flink());
        var conf = ForecastJobRunner.flinkConfiguration(j);
        assertEquals(Duration.ofMillis(5), conf.get(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT));
        assertEquals(
                Duration.ofSeconds(3),
                conf.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL));
        assertMessage(
                JobConfigLoader.resolve("sensors"),
                "flink.execution={buffer-timeout: 5ms}",
                "flink.execution",
                "single value");
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
        assertMessage(job, "alerts.method=zscore", "alerts.method", "combined-likelihood, likelihood or sigma");
        assertMessage(job, "alerts.likelihood=0.3", "alerts.likelihood", "between 0.5 and 1");
        assertMessage(job, "alerts.likelihood=1.5", "alerts.likelihood", "0.0 to 1.0");
        assertMessage(job, "intervals.coverage=1", "intervals.coverage", "0.9 for 90 %");
        assertMessage(job, "intervals.coverage=90", "intervals.coverage", "0.0 to 1.0");
        JobConfigLoader.InvalidJobException e =
                assertThrows(JobConfigLoader.InvalidJobException.class, () -> JobConfigLoader.resolve("nope"));
        assertTrue(e.getMessage().contains("sensors, tracks"));
    }

    @Test
    void baselineAndTimeFeaturesAreReadAndCheckedAgainstTheSettingsRules() {
        Path job = JobConfigLoader.resolve("sensors");
        JobConfig d = JobConfigLoader.load(job, List.of());
        assertEquals(null, d.policy().baseline(), "unset: the model's declared baseline, else persistence");
        assertEquals(List.of(), d.event().timeFeatures());
        assertEquals(
                io.lstmforecast.model.Baseline.PERSISTENCE,
                ForecastJob.withEffectiveBaseline(
                                ForecastJobRunner.options(d, ForecastJobRunner.model(d)),
                                ForecastJobRunner.model(d).spec())
                        .policy()
                        .baseline());
        JobConfig j = JobConfigLoader.load(
                job, List.of("baseline=seasonal:1d", "event.time-features=[day-of-week, hour-of-day]"));
        assertEquals(86_400_000L, j.policy().baseline().periodMillis());
        assertEquals(List.of("day-of-week", "hour-of-day"), j.event().timeFeatures());
        assertMessage(
                job, "baseline=naive", "job setting baseline must be persistence, constant-velocity, seasonal:PERIOD");
        assertMessage(job, "baseline=seasonal:100", "seasonal:100", "1 to 48", "seasonal:1d");
        assertMessage(
                job,
                "event.time-features=[minute-of-hour]",
                "event.time-features",
                "unknown time feature 'minute-of-hour'");
        assertMessage(job, "event.time-features=[hour-of-day, hour-of-day]", "event.time-features", "twice");
        assertMessage(
                job, "event.time-feature=[hour-of-day]", "unknown key 'event.time-feature'", "event.time-features");
    }

    /** A job directory in the temp dir: the sensors job file with a model that reads these time features and baseline. */
    private Path jobWithModel(List<String> timeFeatures, String baseline) throws Exception {
        Path dir = tmp.resolve("job-" + timeFeatures.size() + "-" + baseline);
        io.lstmforecast.model.bundle.ModelBundle b = io.lstmforecast.model.bundle.RandomBundles.random(
                io.lstmforecast.model.CellKind.LSTM, List.of("temperature"), timeFeatures, 8, 1, 3, 1);
        new io.lstmforecast.model.bundle.ModelBundle(
                        b.spec().withBaselineAndTimeFeatures(baseline, b.spec().timeFeatures()), b.weights())
                .writeTo(dir.resolve("model"));
        Files.writeString(dir.resolve("job.yaml"), Files.readString(JobConfigLoader.resolve("sensors")));
        return dir.resolve("job.yaml");
    }

    @Test
    void aJobWhoseTimeFeaturesOrBaselineDifferFromItsModelsIsRefusedAtStartNamingTheDifference() throws Exception {
        Path job = jobWithModel(List.of("hour-of-day", "day-of-week"), "seasonal:24");
        io.lstmforecast.model.ModelFormatException e = assertThrows(
                io.lstmforecast.model.ModelFormatException.class,
                () -> ForecastJobRunner.model(JobConfigLoader.load(job, List.of("event.time-features=[hour-of-day]"))));
        assertTrue(
                e.getMessage()
                        .endsWith("job.yaml: event.time-features [hour-of-day] but model " + job.resolveSibling("model")
                                + " expects [hour-of-day, day-of-week]"),
                e.getMessage());
        e = assertThrows(
                io.lstmforecast.model.ModelFormatException.class,
                () -> ForecastJobRunner.model(JobConfigLoader.load(
                        job, List.of("event.time-features=[hour-of-day, day-of-week]", "baseline=persistence"))));
        assertTrue(
                e.getMessage().contains("baseline persistence but model")
                        && e.getMessage().endsWith("expects seasonal:24"),
                e.getMessage());
        // The same features and the same baseline written another way; or no baseline setting: the model's is used.
        JobConfig ok = JobConfigLoader.load(job, List.of("event.time-features=[hour-of-day, day-of-week]"));
        var bundle = ForecastJobRunner.model(ok);
        assertEquals(
                24,
                ForecastJob.withEffectiveBaseline(ForecastJobRunner.options(ok, bundle), bundle.spec())
                        .policy()
                        .baseline()
                        .periodEvents());
        ForecastJobRunner.model(JobConfigLoader.load(
                job, List.of("event.time-features=[hour-of-day, day-of-week]", "baseline=seasonal:24")));
        // A model without time features refuses a job that computes some.
        e = assertThrows(
                io.lstmforecast.model.ModelFormatException.class,
                () -> ForecastJobRunner.model(JobConfigLoader.load(
                        JobConfigLoader.resolve("sensors"), List.of("event.time-features=[hour-of-day]"))));
        assertTrue(
                e.getMessage().contains("event.time-features [hour-of-day] but model")
                        && e.getMessage().endsWith("expects []"),
                e.getMessage());
    }

    @Test
    void aModelJsonWithAnUnknownBaselineIsRefused() throws Exception {
        Path job = jobWithModel(List.of(), "persistence");
        Path spec = job.resolveSibling("model").resolve("model.json");
        Files.writeString(spec, Files.readString(spec).replace("\"persistence\"", "\"seasonal:1000\""));
        io.lstmforecast.model.ModelFormatException e = assertThrows(
                io.lstmforecast.model.ModelFormatException.class,
                () -> ForecastJobRunner.model(JobConfigLoader.load(job, List.of())));
        assertTrue(
                e.getMessage().contains("model.json: baseline seasonal:1000: a period in events must be 1 to 48"),
                e.getMessage());
    }

    static void assertMessage(Path job, String override, String... words) {
        JobConfigLoader.InvalidJobException e = assertThrows(
                JobConfigLoader.InvalidJobException.class, () -> JobConfigLoader.load(job, List.of(override)));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void secretsComeFromTheEnvironmentAndAreMaskedInTheDescription() {
        String home = System.getenv("HOME");
        JobConfig j = JobConfigLoader.load(
                JobConfigLoader.resolve("sensors"),
                List.of(
                        "kafka.properties.sasl.jaas.config=login password=\"${HOME}\";",
                        "kafka.properties.ssl.truststore.password=hunter2"));
        assertEquals("login password=\"" + home + "\";", j.kafka().properties().get("sasl.jaas.config"));
        String text = j.describe();
        assertFalse(text.contains("hunter2") || text.contains(home + "\""), text);
        assertTrue(text.contains("******"));
        assertMessage(
                JobConfigLoader.resolve("sensors"),
                "kafka.properties.sasl.jaas.config=${NO_SUCH_VARIABLE_42}",
                "NO_SUCH_VARIABLE_42",
                "not set");
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
        JobConfigLoader.InvalidJobException e =
                assertThrows(JobConfigLoader.InvalidJobException.class, () -> JobConfigLoader.load(dup, List.of()));
        assertTrue(e.getMessage().contains("duplicate key") && e.getMessage().contains("name"), e.getMessage());
    }

    /** A mistyped key is never ignored: the error names it, and the key it probably meant when one is close. */
    @Test
    void anUnknownKeyIsAnErrorThatNamesItAndSuggestsTheNearestKnownKey() throws Exception {
        Path job = tmp.resolve("job.yaml");
        String sensors = Files.readString(JobConfigLoader.resolve("sensors"));
        Files.writeString(
                job,
                sensors.replace(
                                "model: model",
                                "model: "
                                        + JobConfigLoader.resolve("sensors")
                                                .toAbsolutePath()
                                                .resolveSibling("model"))
                        .replace("  sigmas: 4.0", "  sigma: 4.0"));
        JobConfigLoader.InvalidJobException e =
                assertThrows(JobConfigLoader.InvalidJobException.class, () -> JobConfigLoader.load(job, List.of()));
        assertEquals(job + ": unknown key 'alerts.sigma' (did you mean 'alerts.sigmas'?)", e.getMessage());
        // A typo at the top level, and one two mappings down.
        assertMessage(
                JobConfigLoader.resolve("sensors"),
                "paralelism=2",
                "unknown key 'paralelism' (did you mean 'parallelism'?)");
        assertMessage(
                JobConfigLoader.resolve("sensors"),
                "kafka.topics.forecast=f",
                "unknown key 'kafka.topics.forecast' (did you mean 'kafka.topics.forecasts'?)");
        // Nothing close: no guess, but where the keys are listed.
        e = assertThrows(
                JobConfigLoader.InvalidJobException.class,
                () -> JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of("colour-scheme=dark")));
        assertTrue(
                e.getMessage()
                        .endsWith(": unknown key 'colour-scheme'; the keys are listed in the README's job definition"
                                + " section"),
                e.getMessage());
        // Kafka's and Flink's own settings pass through whatever their names.
        JobConfigLoader.load(
                JobConfigLoader.resolve("sensors"),
                List.of("kafka.properties.any.client.setting=1", "flink.any.flink.setting=2"));
    }

    /** The job file of the Kubernetes deployment passes the same checks, unknown keys included. */
    @Test
    void theKubernetesJobDefinitionLoads() throws Exception {
        String yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("k8s/job-config.yaml").toFile())
                .get("data")
                .get("job.yaml")
                .asText();
        Path job = tmp.resolve("k8s-job.yaml");
        // The password comes from the pod's environment; here any set variable stands in for it.
        Files.writeString(job, yaml.replace("${KAFKA_PASSWORD}", "${HOME}"));
        JobConfig j = JobConfigLoader.load(job, List.of());
        assertEquals(4, j.parallelism());
        assertEquals("rocksdb", j.checkpoint().stateBackend());
    }

    @Test
    void everyValueFromTheEnvironmentIsMaskedWhateverItsKeyIsCalled() {
        String home = System.getenv("HOME");
        JobConfig j = JobConfigLoader.load(
                JobConfigLoader.resolve("sensors"),
                List.of(
                        "kafka.properties.basic.auth.user.info=${HOME}",
                        "kafka.properties.odd.name=x${HOME}y",
                        "kafka.properties.sasl.oauthbearer.assertion.private.key.passphrase=plain-but-secret",
                        "flink.some.setting=${HOME}"));
        String text = j.describe();
        assertFalse(text.contains(home) || text.contains("plain-but-secret"), text);
        assertTrue(text.contains("odd.name=******") && text.contains("some.setting=******"), text);
    }
}
