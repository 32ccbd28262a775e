package io.lstmforecast.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures the table and the JSON report for a configuration: one run's, or the median of its repeated runs, each
 * figure taken separately (the median p99 is the middle run's p99, not the p99 of the runs pooled).
 *
 * @param p50Ms p50, p99 and p99.9 latency in latency mode; -1 in throughput mode
 */
record Figures(double eventsPerSecond, double eventsPerSecondWithStartup, double p50Ms, double p99Ms, double p999Ms) {
    static Figures of(Measurement m) {
        return new Figures(
                m.eventsPerSecond(),
                m.eventsPerSecondWithStartup(),
                m.percentile(0.5),
                m.percentile(0.99),
                m.percentile(0.999));
    }

    static Figures median(List<Measurement> runs) {
        List<Figures> each = runs.stream().map(Figures::of).toList();
        return new Figures(
                median(each, Figures::eventsPerSecond),
                median(each, Figures::eventsPerSecondWithStartup),
                median(each, Figures::p50Ms),
                median(each, Figures::p99Ms),
                median(each, Figures::p999Ms));
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
