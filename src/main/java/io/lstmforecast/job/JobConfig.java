package io.lstmforecast.job;

import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A job definition (jobs/NAME/job.yaml) after defaults, overrides and validation. The keys are
 * documented in the README's "Job definition" section; {@link JobConfigLoader} reads them.
 * {@code flink} holds Flink configuration for this job (e.g. execution.buffer-timeout.interval), applied last.
 * {@code alertMethod}, {@code alertLikelihood} and {@code intervalCoverage} are alerts.method, alerts.likelihood and
 * intervals.coverage.
 */
public record JobConfig(String name, Kafka kafka, EventFormat event, Path model, Integer horizon,
                        Duration allowedLateness, Duration idleTimeout, Duration stateTtl, Checkpoints checkpoint,
                        boolean exactlyOnce, int parallelism, Duration transactionTimeout, int maxBatchSize,
                        int rewarmEvents, double alertSigmas, int alertWarmup, int alertCooldown,
                        Map<String, String> flink, ForecastPolicy.AlertMethod alertMethod, double alertLikelihood,
                        double intervalCoverage)
        implements Serializable {

    /** Where events come from and forecasts go. {@code properties} pass through to every Kafka client. */
    public record Kafka(String bootstrapServers, String groupId, String start, Topics topics,
                        Map<String, String> properties) implements Serializable {
    }

    public record Topics(String events, String forecasts, String deadLetters, String alerts, String models,
                         String modelStatus) implements Serializable {
    }

    /**
     * How an event's JSON maps to an entity id, a time and the model's features: either named
     * {@code features} fields or one numeric array field ({@code valuesField}).
     */
    public record EventFormat(String entityField, String timestampField, String timestampFormat, List<String> features,
                              String valuesField, int maxRecordBytes, int maxEntityIdLength, Instant minTimestamp,
                              Duration maxFutureSkew) implements Serializable {
    }

    /**
     * @param storage      a URI such as file:///tmp/lstm-forecast/checkpoints; null keeps Flink's default
     * @param stateBackend hashmap (state on the JVM heap) or rocksdb (state on local disk, for many entities)
     */
    public record Checkpoints(Duration interval, String storage, String stateBackend) implements Serializable {
    }

    /** The job description for logs and the web UI: Kafka properties that look secret are masked. */
    public String describe() {
        String props = kafka.properties().entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "******" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        return "job " + name + ": kafka " + kafka.bootstrapServers() + " topics " + kafka.topics() + " properties " + props
                + ", model " + model + ", delivery " + (exactlyOnce ? "exactly-once" : "at-least-once")
                + ", parallelism " + parallelism + ", allowed lateness " + allowedLateness + ", state ttl " + stateTtl
                + ", checkpoints " + checkpoint.interval() + " to " + checkpoint.storage() + ", state " + checkpoint.stateBackend();
    }

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.contains("credential") || k.endsWith(".key");
    }

    @Override
    public String toString() {
        return describe();
    }
}
