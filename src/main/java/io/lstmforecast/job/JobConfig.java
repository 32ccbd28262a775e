package io.lstmforecast.job;

import io.lstmforecast.config.AlertMethod;
import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Checkpoints;
import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.EventFormat;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.Limits;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.config.Setting;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job definition (jobs/NAME/job.yaml) after defaults, overrides and validation: the root of a tree of records, each
 * holding its keys' defaults and checks beside its fields ({@link Kafka} with its topics, {@link EventFormat},
 * {@link EventTime}, {@link Batching}, the alerts and intervals in {@code policy}, {@link Checkpoints}, {@link Delivery}
 * and {@link Limits}); the packages below {@code job} take the records they need. The keys are documented in the README's "Job definition" section;
 * {@link JobConfigLoader} reads them. The root's own settings are the ones checked against a model: the model
 * directory, its horizon (null: the model's), the model root that control messages may name bundles in (default:
 * the model's directory) and max-model-bytes; the baseline is part of {@code policy}.
 * {@code flink} holds Flink configuration for this job (e.g. execution.buffer-timeout.interval), applied last.
 * {@code secretValues} are the values that came from {@code ${ENV}} references: masked wherever the job is described.
 * {@code file} is the job file it was read from, for messages.
 */
public record JobConfig(
        Path file,
        String name,
        Kafka kafka,
        EventFormat event,
        Path model,
        Integer horizon,
        Path modelRoot,
        int maxModelBytes,
        EventTime eventTime,
        Batching batching,
        ForecastPolicy policy,
        Checkpoints checkpoint,
        Delivery delivery,
        int parallelism,
        Limits limits,
        Map<String, String> flink,
        Set<String> secretValues)
        implements Serializable {
    public static final Setting<String> NAME = Setting.required("name")
            .doc("Job name; the default topic names, consumer group and transactional ids derive from it.");
    /** The model bundle's directory, relative to the job file's. */
    public static final Setting<String> MODEL =
            Setting.required("model").doc("Model bundle (directory or .zip), relative to the job file.");

    public static final Setting<Integer> HORIZON = Setting.whole("horizon", null, 1, 10_000)
            .doc("Steps to forecast per event (recursive heads only); default: the model's.");
    /** Relative to the job file's directory. */
    public static final Setting<String> MODEL_ROOT = Setting.text("model-root", null)
            .doc(
                    "The only directory a control message's `uri` may name a bundle in (links resolved first); default: the directory holding `model`. See [operations.md, Limits](operations.md#limits-what-a-producer-cannot-do-to-the-job).");
    /** Most bytes read from a bundle file and decompressed from its archives. */
    public static final Setting<Integer> MAX_MODEL_BYTES = Setting.whole(
                    "max-model-bytes", (int) ReadLimits.DEFAULT_MAX_BYTES, 1024, Integer.MAX_VALUE - 16)
            .doc("Most bytes read from a bundle file and decompressed from its archives (default 256 MiB).");
    /** See {@link Baseline#parse}; null: the model's declared baseline, else persistence. */
    public static final Setting<String> BASELINE = Setting.text("baseline", null)
            .doc(
                    "The naive forecast every forecast is compared with (default: the model's `baseline`, else `persistence`): `persistence` (the last value), `constant-velocity` (the last change continued, y + k·(y − y_prev) at step k), `seasonal:N` (the value N events before each step, N 1 to 48), `seasonal:DURATION` (the value one period before each step's time, e.g. `seasonal:1d`) or `none` (no baseline fields, no skill). A model whose `model.json` declares another baseline refuses to start with the job and is rejected as a swap. See [pipeline.md, baseline and skill](pipeline.md#baseline-and-skill).");

    public static final Setting<Integer> PARALLELISM = Setting.whole("parallelism", 1, 1, 4096)
            .doc(
                    "Parallelism of the job (set it here or with `--parallelism`, not with the REST API's `parallelism` field: the job sets its own).");
    /** Settings that pass through to Flink, unchecked. */
    public static final String FLINK = "flink";

    public JobConfig {
        HORIZON.checkFloor(horizon);
        MAX_MODEL_BYTES.checkFloor(maxModelBytes);
        PARALLELISM.checkFloor(parallelism);
    }

    public Duration allowedLateness() {
        return eventTime.allowedLateness();
    }

    public boolean exactlyOnce() {
        return delivery.exactlyOnce();
    }

    public Ordering ordering() {
        return batching.ordering();
    }

    public Duration maxBatchDelay() {
        return batching.maxBatchDelay();
    }

    public AlertMethod alertMethod() {
        return policy.alerts().method();
    }

    public double alertLikelihood() {
        return policy.alerts().likelihood();
    }

    public double intervalCoverage() {
        return policy.intervalCoverage();
    }

    /** The job's baseline setting; null when the job file names none (the model's declared one, else persistence, is used). */
    public Baseline baseline() {
        return policy.baseline();
    }

    /**
     * The job description for logs and the web UI: a property whose key looks secret, or whose value holds a
     * value that came from the environment, is masked.
     */
    public String describe() {
        return "job " + name + ": kafka " + kafka.bootstrapServers() + " topics " + kafka.topics() + " properties "
                + masked(kafka.properties()) + ", flink " + masked(flink)
                + ", model " + model + (event.timeFeatures().isEmpty() ? "" : ", time features " + event.timeFeatures())
                + ", baseline "
                + (baseline() == null
                        ? "the model's (else persistence)"
                        : baseline().id()) + ", delivery "
                + (exactlyOnce() ? "exactly-once" : "at-least-once")
                + ", parallelism " + parallelism + ", ordering " + ordering().key() + ", max batch delay "
                + maxBatchDelay()
                + ", allowed lateness " + allowedLateness() + ", state ttl " + eventTime.stateTtl()
                + ", checkpoints " + checkpoint.interval() + " to " + checkpoint.storage() + ", state "
                + checkpoint.stateBackend();
    }

    private String masked(Map<String, String> settings) {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "="
                        + (isSecret(e.getKey()) || secretValues.stream().anyMatch(e.getValue()::contains)
                                ? "******"
                                : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password")
                || k.contains("passphrase")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.contains("credential")
                || k.contains("private")
                || k.contains("assertion")
                || k.contains("user.info")
                || k.contains("auth.info")
                || k.endsWith(".key")
                || k.endsWith("key.pem");
    }

    @Override
    public String toString() {
        return describe();
    }
}
