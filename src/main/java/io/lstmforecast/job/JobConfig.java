package io.lstmforecast.job;

import io.lstmforecast.model.Baseline;
import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job definition (jobs/NAME/job.yaml) after defaults, overrides and validation. The keys are
 * documented in the README's "Job definition" section; {@link JobConfigLoader} reads them.
 * {@code flink} holds Flink configuration for this job (e.g. execution.buffer-timeout.interval), applied last.
 * {@code secretValues} are the values that came from {@code ${ENV}} references: masked wherever the job is described.
 * {@code alertMethod}, {@code alertLikelihood} and {@code intervalCoverage} are alerts.method, alerts.likelihood and
 * intervals.coverage. {@code baseline} is null when the job file names none (the model's declared one, else persistence, is
 * used). {@code file} is the job file it was read from, for messages.
 * {@code ordering} and {@code maxBatchDelay} say when events are applied and how long one waits for its batch (see
 * {@link Ordering}).
 */
public record JobConfig(Path file, String name, Kafka kafka, EventFormat event, Path model, Integer horizon,
                        Duration allowedLateness, Duration idleTimeout, Duration stateTtl, Checkpoints checkpoint,
                        boolean exactlyOnce, int parallelism, Duration transactionTimeout, int maxBatchSize,
                        int rewarmEvents, double alertSigmas, int alertWarmup, int alertCooldown,
                        Map<String, String> flink, ForecastPolicy.AlertMethod alertMethod, double alertLikelihood,
                        double intervalCoverage, Baseline baseline, Limits limits, Set<String> secretValues,
                        Ordering ordering, Duration maxBatchDelay)
        implements Serializable {

    /**
     * What the job accepts from producers beyond the event format.
     *
     * @param maxOutputRecordBytes largest dead-letter or model-status record written; bigger ones are cut and marked
     * @param maxEventTimeJump     largest step one event may move its partition's watermark by
     * @param modelRoot            the directory control messages may name bundles in (default: the job's model's directory)
     * @param maxModelBytes        most bytes read from a bundle file and decompressed from its archives
     */
    public record Limits(int maxOutputRecordBytes, Duration maxEventTimeJump, Path modelRoot, int maxModelBytes)
            implements Serializable {
        /** Below the producer's default max.request.size (1 MiB), with room for the record's framing. */
        public static final int DEFAULT_MAX_OUTPUT_RECORD_BYTES = 512 * 1024;
    }

    /** Where events come from and forecasts go. {@code properties} pass through to every Kafka client. */
    public record Kafka(String bootstrapServers, String groupId, String start, Topics topics,
                        Map<String, String> properties) implements Serializable {
    }

    public record Topics(String events, String forecasts, String deadLetters, String alerts, String models,
                         String modelStatus) implements Serializable {
    }

    /**
     * How an event's JSON maps to an entity id, a time and the model's features: either named
     * {@code features} fields or one numeric array field ({@code valuesField}). {@code timeFeatures} are the calendar
     * inputs computed from the event's time (event.time-features); the model must expect exactly these.
     */
    public record EventFormat(String entityField, String timestampField, String timestampFormat, List<String> features,
                              String valuesField, int maxRecordBytes, int maxEntityIdLength, Instant minTimestamp,
                              Duration maxFutureSkew, List<String> timeFeatures) implements Serializable {
    }

    /**
     * @param storage      a URI such as file:///tmp/lstm-forecast/checkpoints; null keeps Flink's default
     * @param stateBackend hashmap (state on the JVM heap) or rocksdb (state on local disk, for many entities)
     */
    public record Checkpoints(Duration interval, String storage, String stateBackend) implements Serializable {
    }

    /**
     * The job description for logs and the web UI: a property whose key looks secret, or whose value holds a
     * value that came from the environment, is masked.
     */
    public String describe() {
        return "job " + name + ": kafka " + kafka.bootstrapServers() + " topics " + kafka.topics() + " properties "
                + masked(kafka.properties()) + ", flink " + masked(flink)
                + ", model " + model + (event.timeFeatures().isEmpty() ? "" : ", time features " + event.timeFeatures())
                + ", baseline " + (baseline == null ? "the model's (else persistence)" : baseline.id()) + ", delivery " + (exactlyOnce ? "exactly-once" : "at-least-once")
                + ", parallelism " + parallelism + ", ordering " + ordering.key() + ", max batch delay " + maxBatchDelay
                + ", allowed lateness " + allowedLateness + ", state ttl " + stateTtl
                + ", checkpoints " + checkpoint.interval() + " to " + checkpoint.storage() + ", state " + checkpoint.stateBackend();
    }

    private String masked(Map<String, String> settings) {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) || secretValues.stream().anyMatch(e.getValue()::contains)
                        ? "******" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("passphrase") || k.contains("secret") || k.contains("jaas")
                || k.contains("token") || k.contains("credential") || k.contains("private") || k.contains("assertion")
                || k.contains("user.info") || k.contains("auth.info") || k.endsWith(".key") || k.endsWith("key.pem");
    }

    @Override
    public String toString() {
        return describe();
    }
}
