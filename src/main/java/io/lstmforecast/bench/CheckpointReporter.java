package io.lstmforecast.bench;

import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.metrics.reporter.Scheduled;

/**
 * A Flink metric reporter that keeps every completed checkpoint of the bench's jobs, read from the job manager's
 * checkpoint gauges: the job runs in this JVM (a local MiniCluster), so its figures are taken from a static map, by
 * the job's name, once the job has ended. A checkpoint is recorded when the gauges show a new checkpoint id, at each
 * report and when the job's gauges are removed (the final checkpoint of a bounded job can complete and the job end
 * between two reports).
 */
public final class CheckpointReporter implements MetricReporter, Scheduled {
    /** The metric names of Flink's checkpoint statistics (DefaultCheckpointStatsTracker). */
    static final String ID = "lastCompletedCheckpointId";

    static final String DURATION = "lastCheckpointDuration";
    static final String FULL_SIZE = "lastCheckpointFullSize";
    static final String SIZE = "lastCheckpointSize";
    private static final List<String> TRACKED = List.of(ID, DURATION, FULL_SIZE, SIZE);
    private static final String JOB_NAME = "<job_name>";

    private static final Map<String, Job> JOBS = new ConcurrentHashMap<>();

    /** The job settings that make a local job report to it (keys without the job file's {@code flink.} prefix). */
    static Map<String, String> settings() {
        String prefix = "metrics.reporter.bench-checkpoints.";
        return Map.of(prefix + "factory.class", Factory.class.getName(), prefix + "interval", "200 ms");
    }

    /** The checkpoints {@code job}'s Flink job (named by its pipeline.name) completed so far, in order. */
    static List<Checkpoint> completed(JobConfig job) {
        Job j = JOBS.get(ForecastJobRunner.flinkConfiguration(job).get(PipelineOptions.NAME));
        return j == null ? List.of() : j.snapshot();
    }

    /** One completed checkpoint: how long it took, its full size and what it added (the same unless incremental). */
    record Checkpoint(long id, long durationMs, long fullBytes, long incrementalBytes) {}

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {
        JOBS.values().forEach(Job::sample);
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String job = group.getAllVariables().get(JOB_NAME);
        if (job != null && TRACKED.contains(name) && metric instanceof Gauge<?> g) {
            JOBS.computeIfAbsent(job, k -> new Job()).gauges.put(name, g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String job = group.getAllVariables().get(JOB_NAME);
        Job j = job == null ? null : JOBS.get(job);
        if (j != null && TRACKED.contains(name)) {
            j.sample();
        }
    }

    @Override
    public void report() {
        JOBS.values().forEach(Job::sample);
    }

    /** One job's checkpoint gauges and the checkpoints seen so far. */
    private static final class Job {
        final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
        private final List<Checkpoint> seen = new ArrayList<>();

        synchronized void sample() {
            if (!gauges.keySet().containsAll(TRACKED)) {
                return;
            }
            long id = read(ID);
            if (id <= 0 || (!seen.isEmpty() && seen.get(seen.size() - 1).id() >= id)) {
                return;
            }
            seen.add(new Checkpoint(id, read(DURATION), read(FULL_SIZE), read(SIZE)));
        }

        synchronized List<Checkpoint> snapshot() {
            return List.copyOf(seen);
        }

        private long read(String name) {
            Object v = gauges.get(name).getValue();
            return v instanceof Number n ? n.longValue() : -1;
        }
    }

    /** Flink creates the reporter from {@code metrics.reporter.NAME.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CheckpointReporter();
        }
    }
}
