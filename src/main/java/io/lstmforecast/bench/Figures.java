package io.lstmforecast.bench;

import io.lstmforecast.bench.CheckpointReporter.Checkpoint;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures the table and the JSON report for a configuration: one run's, or the median of its repeated runs, each
 * figure taken separately (the median p99 is the middle run's p99, not the p99 of the runs pooled).
 *
 * @param p50Ms            p50, p99 and p999 latency in latency mode; -1 in throughput mode
 * @param checkpoints      checkpoints the job completed; the figures below are -1 without any
 * @param checkpointMs     the median duration of the run's checkpoints
 * @param checkpointMaxMs  the longest of them
 * @param checkpointBytes  the full size of the run's last checkpoint (every entity seen)
 * @param incrementalBytes the median of what each checkpoint wrote (its full size, unless incremental)
 */
record Figures(
        double eventsPerSecond,
        double eventsPerSecondWithStartup,
        double p50Ms,
        double p99Ms,
        double p999Ms,
        double checkpoints,
        double checkpointMs,
        double checkpointMaxMs,
        double checkpointBytes,
        double incrementalBytes) {
    static Figures of(Measurement m) {
        List<Checkpoint> c = m.checkpoints();
        boolean none = c.isEmpty();
        return new Figures(
                m.eventsPerSecond(),
                m.eventsPerSecondWithStartup(),
                m.percentile(0.5),
                m.percentile(0.99),
                m.percentile(0.999),
                c.size(),
                none
                        ? -1
                        : median(c.stream().mapToDouble(Checkpoint::durationMs).toArray()),
                none ? -1 : c.stream().mapToLong(Checkpoint::durationMs).max().orElse(-1),
                none ? -1 : c.get(c.size() - 1).fullBytes(),
                none
                        ? -1
                        : median(c.stream()
                                .mapToDouble(Checkpoint::incrementalBytes)
                                .toArray()));
    }

    static Figures median(List<Measurement> runs) {
        List<Figures> each = runs.stream().map(Figures::of).toList();
        return new Figures(
                median(each, Figures::eventsPerSecond),
                median(each, Figures::eventsPerSecondWithStartup),
                median(each, Figures::p50Ms),
                median(each, Figures::p99Ms),
                median(each, Figures::p999Ms),
                median(each, Figures::checkpoints),
                median(each, Figures::checkpointMs),
                median(each, Figures::checkpointMaxMs),
                median(each, Figures::checkpointBytes),
                median(each, Figures::incrementalBytes));
    }

    /**
     * Bytes of the last checkpoint per entity of the {@code entities} the run's events reached (bench sends them round
     * robin): what keeping one entity's state costs in a checkpoint; -1 without one.
     */
    double stateBytesPerEntity(int entities) {
        return checkpointBytes < 0 ? -1 : checkpointBytes / entities;
    }

    private static double median(List<Figures> runs, ToDoubleFunction<Figures> figure) {
        return median(runs.stream().mapToDouble(figure).toArray());
    }

    /** The middle value, or the mean of the two middle ones. */
    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
