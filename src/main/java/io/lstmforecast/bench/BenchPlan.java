package io.lstmforecast.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What bench is asked to measure: the list options whose every combination is run, the settings all runs share, and
 * where to write the results besides the console. The command line checks the values; see {@code bench --help}.
 *
 * @param rate               0: throughput on a preloaded topic; R > 0: latency at R events/s
 * @param checkpointInterval a job file's duration, already checked
 * @param maxBatchDelay      the job setting max-batch-delay as written, or null for the job's default
 * @param settings           job settings every run's job gets, as {@code key=value} overrides (bench --set)
 * @param repeat             how many runs each configuration gets (in rounds); the table adds their medians
 * @param warmupSeconds      latency mode: seconds at the measured rate before measuring; throughput mode: most seconds
 *                           each configuration runs unmeasured before the first measured run
 * @param report             a Markdown file the table is appended to, or null
 * @param json               a file for the results as JSON, or null
 * @param trace              latency mode: a CSV file every measured event is appended to, or null
 */
public record BenchPlan(
        List<String> kernels,
        List<String> orderings,
        List<Integer> hidden,
        List<Integer> entities,
        List<String> states,
        List<String> batches,
        List<String> deliveries,
        int events,
        double rate,
        int parallelism,
        String checkpointInterval,
        String maxBatchDelay,
        List<String> settings,
        int repeat,
        int warmupSeconds,
        Path report,
        Path json,
        Path trace) {
    public BenchPlan {
        kernels = List.copyOf(kernels);
        orderings = List.copyOf(orderings);
        hidden = List.copyOf(hidden);
        entities = List.copyOf(entities);
        states = List.copyOf(states);
        batches = List.copyOf(batches);
        deliveries = List.copyOf(deliveries);
        settings = List.copyOf(settings);
    }

    /** Latency percentiles at a paced rate, rather than events per second on a preloaded topic. */
    public boolean latencyMode() {
        return rate > 0;
    }

    /**
     * How many of the combination's entities a run's state holds: the events go round robin over them, and in latency
     * mode a warm-up burst of at least one event each comes first.
     */
    int entitiesReached(Combination c) {
        return latencyMode() ? c.entities() : Math.min(c.entities(), events);
    }
}
