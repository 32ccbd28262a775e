package io.lstmforecast.job;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Checkpoints;
import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.EventFormat;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.InvalidSettingException;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.Limits;
import io.lstmforecast.config.Secrets;
import io.lstmforecast.config.Setting;
import io.lstmforecast.config.SettingsTree;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A job definition (jobs/NAME/job.yaml) after defaults, overrides and validation: the root of a tree of records, each
 * holding its keys' defaults and checks beside its fields ({@link Kafka} with its topics, {@link EventFormat},
 * {@link EventTime}, {@link Batching}, the alerts and intervals in {@code policy}, {@link Checkpoints}, {@link Delivery}
 * and {@link Limits}); the packages below {@code job} take the records they need. The keys are documented in the
 * README's "Job definition" section; each record reads its own from the {@link SettingsTree} ({@link #read}) that
 * {@link JobConfigLoader} builds from a job file and its overrides. The root's own settings are the ones checked against a model: the model
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

    /**
     * The job defined by {@code t}, read from {@code file}: relative paths resolve against the file's directory. The
     * event's time features must be ones the job can compute ({@link TimeFeatures}).
     */
    public static JobConfig read(SettingsTree t, Path file) {
        Path baseDir = file.toAbsolutePath().getParent();
        String name = t.get(NAME);
        Kafka kafka = Kafka.read(t, name);
        EventFormat event = EventFormat.read(t);
        try {
            TimeFeatures.parseAll(event.timeFeatures());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(EventFormat.TIME_FEATURES, "names an " + e.getMessage());
        }
        Path model = baseDir.resolve(t.get(MODEL)).normalize();
        String root = t.get(MODEL_ROOT);
        EventTime eventTime = EventTime.read(t);
        Batching batching = Batching.read(t);
        ForecastPolicy policy = ForecastPolicy.read(t);
        Checkpoints checkpoints = Checkpoints.read(t);
        Delivery delivery = Delivery.read(t);
        return new JobConfig(
                file,
                name,
                kafka,
                event,
                model,
                t.get(HORIZON),
                root != null ? baseDir.resolve(root).normalize() : model.getParent(),
                t.get(MAX_MODEL_BYTES),
                eventTime,
                batching,
                policy,
                checkpoints,
                delivery,
                t.get(PARALLELISM),
                Limits.read(t),
                t.stringMap(FLINK),
                Set.copyOf(t.secrets()));
    }

    /**
     * The job description for logs and the web UI: a property whose key looks secret, or whose value holds a
     * value that came from the environment, is masked.
     */
    public String describe() {
        return "job " + name + ": kafka " + kafka.bootstrapServers() + " topics " + kafka.topics() + " properties "
                + Secrets.masked(kafka.properties(), secretValues) + ", flink " + Secrets.masked(flink, secretValues)
                + ", model " + model + (event.timeFeatures().isEmpty() ? "" : ", time features " + event.timeFeatures())
                + ", baseline "
                + (policy.baseline() == null
                        ? "the model's (else persistence)"
                        : policy.baseline().id()) + ", combine "
                + Setting.nameOf(policy.combine()) + ", delivery "
                + (delivery.exactlyOnce() ? "exactly-once" : "at-least-once")
                + ", parallelism " + parallelism + ", ordering "
                + batching.ordering().key() + ", max batch delay "
                + batching.maxBatchDelay()
                + ", allowed lateness " + eventTime.allowedLateness() + ", state ttl " + eventTime.stateTtl()
                + ", checkpoints " + checkpoint.interval() + " to " + checkpoint.storage() + ", state "
                + checkpoint.stateBackend();
    }

    @Override
    public String toString() {
        return describe();
    }
}
