package io.lstmforecast.bench;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Checkpoints;
import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.EventFormat;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.Topics;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.job.JobConfigLoader;
import io.lstmforecast.local.Directories;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.RandomBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;

/**
 * The job one run measures: a random LSTM of the combination's size in a temporary directory, the job defined in code
 * by the settings' own keys (everything else takes its default, as in a job file), and its topics on the broker.
 */
final class BenchJob {
    /** The events' JSON fields: entity id, epoch-millisecond time, and the one feature. */
    static final String ENTITY_FIELD = "id";

    static final String TIME_FIELD = "t";
    static final String FEATURE = "v";
    /** Forecasts and events are stamped by the broker: latency runs from one append to the other. */
    private static final Map<String, String> APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");

    private BenchJob() {}

    /**
     * Removes the run's directory: its model and its retained last checkpoint (about 90 MB at 100k entities), which
     * would otherwise pile up in the temporary directory run after run.
     */
    static void delete(JobConfig job) throws IOException {
        Directories.deleteTree(job.file().getParent());
    }

    static JobConfig create(EmbeddedKafka kafka, BenchPlan plan, Combination c, String name) throws Exception {
        Path dir = Files.createTempDirectory("lstm-forecast-bench-");
        RandomBundles.random(CellKind.LSTM, List.of(FEATURE), c.hidden(), 1, 1, 7)
                .writeTo(dir.resolve("model"));
        boolean latency = plan.latencyMode();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(JobConfig.NAME.key(), name);
        settings.put(Kafka.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        settings.put(Kafka.START.key(), "earliest");
        settings.put(EventFormat.ENTITY_FIELD.key(), ENTITY_FIELD);
        settings.put(EventFormat.TIMESTAMP_FIELD.key(), TIME_FIELD);
        settings.put(EventFormat.TIMESTAMP_FORMAT.key(), "epoch-millis");
        settings.put(EventFormat.FEATURES, List.of(FEATURE));
        settings.put(JobConfig.MODEL.key(), "model");
        settings.put(Checkpoints.INTERVAL.key(), plan.checkpointInterval());
        settings.put(
                Checkpoints.STORAGE.key(), dir.resolve("checkpoints").toUri().toString());
        settings.put(Checkpoints.STATE_BACKEND.key(), c.state());
        settings.put(Batching.MAX_BATCH_SIZE.key(), c.maxBatchSize());
        settings.put(Delivery.GUARANTEE.key(), c.delivery());
        settings.put(JobConfig.PARALLELISM.key(), plan.parallelism());
        settings.put(Batching.ORDERING.key(), c.ordering());
        settings.put(EventTime.ALLOWED_LATENESS.key(), latency ? "0" : "1s");
        settings.put(EventTime.STATE_TTL.key(), "0");
        // Latency mode: watermarks every 10 ms and network buffers flushed after at most 5 ms (Flink: 200, 100).
        settings.put(JobConfig.FLINK + "." + PipelineOptions.AUTO_WATERMARK_INTERVAL.key(), latency ? "10ms" : "200ms");
        settings.put(JobConfig.FLINK + "." + ExecutionOptions.BUFFER_TIMEOUT.key(), latency ? "5ms" : "100ms");
        CheckpointReporter.settings().forEach((k, v) -> settings.put(JobConfig.FLINK + "." + k, v));
        // The flag's text is read as a --set override is, so it is checked, and fails, as one would; bench's own --set
        // come last and win.
        List<String> overrides = new ArrayList<>();
        if (plan.maxBatchDelay() != null) {
            overrides.add(Batching.MAX_BATCH_DELAY.key() + "=" + plan.maxBatchDelay());
        }
        overrides.addAll(plan.settings());
        JobConfig job = JobConfigLoader.define(dir.resolve("job.yaml"), settings, overrides);
        Topics t = job.kafka().topics();
        kafka.createTopics(2, APPEND_TIME, t.events(), t.forecasts());
        kafka.createTopics(2, t.deadLetters(), t.alerts(), t.modelStatus());
        kafka.createTopics(1, t.models());
        return job;
    }
}
