package io.lstmforecast.job;

import io.lstmforecast.io.EventParser;
import io.lstmforecast.io.KafkaConnectors;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Turns a {@link JobConfig} into the Flink job on Kafka: configuration, model, sources and sinks. */
public final class ForecastJobRunner {
    private ForecastJobRunner() {}

    /**
     * The model bundle the job starts with, with the job's horizon applied, after checking that the job feeds it what it
     * expects (see {@link #checkContract}).
     */
    public static ModelBundle model(JobConfig job) {
        ModelBundle bundle = ModelBundle.read(job.model(), modelLimits(job));
        checkContract(job, bundle.spec());
        if (job.horizon() == null || job.horizon() == bundle.spec().horizon()) {
            return bundle;
        }
        if (!bundle.spec().recursive()) {
            throw new ModelFormatException(
                    "job setting horizon " + job.horizon() + " differs from the model's direct horizon "
                            + bundle.spec().horizon()
                            + "; a direct head predicts a fixed number of steps, so remove the setting");
        }
        ModelSpec spec = bundle.spec().withHorizon(job.horizon());
        return new ModelBundle(spec, bundle.weights());
    }

    /**
     * The job's own model against the job ({@link ModelContract}), refused before the job starts with both paths named.
     */
    static void checkContract(JobConfig job, ModelSpec spec) {
        try {
            new PlausibleValues(job.event().plausible(), spec);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(shown(job.file()) + ": " + e.getMessage());
        }
        ModelContract.Mismatch m = ModelContract.of(job, spec).mismatch(spec);
        if (m != null) {
            throw new ModelFormatException(shown(job.file()) + ": " + m.setting() + " " + m.job() + " but model "
                    + shown(job.model()) + " expects " + m.model());
        }
    }

    /** A path as the user probably wrote it: relative to the working directory when it lies under it. */
    private static String shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : p.toString();
    }

    public static ForecastOptions options(JobConfig job, ModelBundle bundle) {
        try {
            return new ForecastOptions(
                    bundle.toZip(),
                    job.eventTime(),
                    job.batching(),
                    job.policy(),
                    ForecastOptions.DEFAULT_MAX_INLINE_MODEL_BYTES,
                    job.modelRoot().toString(),
                    modelLimits(job),
                    false,
                    job.event().plausible());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ReadLimits modelLimits(JobConfig job) {
        return new ReadLimits(job.maxModelBytes(), ReadLimits.DEFAULT_MAX_ENTRIES);
    }

    /**
     * Checkpointing as the job file says (exactly-once mode, its interval and storage, kept on cancel for restarts),
     * then the job file's {@code flink} settings.
     */
    static final int CHECKPOINT_WRITE_BUFFER_BYTES = 256 * 1024;

    public static Configuration flinkConfiguration(JobConfig job) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, "lstm-forecast " + job.name());
        // Chained operators hand records over without a serializer copy. Safe here: records cross the keyBy by the
        // network, whose input always deserializes a new object, so the heap state backend never holds a record that
        // is reused; every chained operator emits new objects and none keeps or changes a record it passed on. A job
        // file's flink.pipeline.object-reuse wins.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, job.checkpoint().interval());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(StateBackendOptions.STATE_BACKEND, job.checkpoint().stateBackend());
        conf.addAll(RocksDbSettings.of(job.checkpoint().stateBackend()));
        if (job.checkpoint().storage() != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY, job.checkpoint().storage());
            // Flink writes checkpoint files through a 4 KiB buffer, one write call each, and entity states are small:
            // the calls would dominate the snapshot thread (docs/PERFORMANCE.md). A file's writes go through a larger
            // buffer instead.
            conf.set(CheckpointingOptions.FS_WRITE_BUFFER_SIZE, CHECKPOINT_WRITE_BUFFER_BYTES);
        }
        // The job file's own Flink settings come last, so they win over the ones derived above.
        conf.addAll(Configuration.fromMap(job.flink()));
        return conf;
    }

    /**
     * Adds the forecast job on Kafka to {@code env}.
     *
     * @param bounded read the events and models topics up to their current end, then finish
     */
    public static void addTo(StreamExecutionEnvironment env, JobConfig job, boolean bounded) {
        addTo(env, job, bounded, false);
    }

    /** As {@link #addTo(StreamExecutionEnvironment, JobConfig, boolean)}; bench measures the pipeline's ceiling with {@code lastValueKernel}. */
    public static void addTo(StreamExecutionEnvironment env, JobConfig job, boolean bounded, boolean lastValueKernel) {
        ModelBundle bundle = model(job);
        env.setParallelism(job.parallelism());
        EventParser parser =
                new EventParser(job.event(), bundle.spec().features().size());
        KafkaConnectors kafka = new KafkaConnectors(job.name(), job.kafka(), job.delivery(), job.limits());
        ForecastJob.build(
                env,
                kafka.events(parser, bounded),
                kafka.models(bounded),
                options(job, bundle).withLastValueKernel(lastValueKernel),
                new ForecastJob.Sinks(kafka.forecasts(), kafka.alerts(), kafka.deadLetters(), kafka.modelStatus()));
    }
}
