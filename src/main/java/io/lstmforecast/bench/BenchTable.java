package io.lstmforecast.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Markdown table bench prints (and appends to --report): a row per run; with --repeat, then the median of each
 * configuration's runs; then the LSTM/no-op ratios.
 */
final class BenchTable {
    private BenchTable() {}

    /** The columns of the job's checkpoints, after the throughput or latency figures. */
    private static final String CHECKPOINT_COLUMNS =
            " checkpoints | checkpoint ms (median, max) | last checkpoint MB | state bytes/entity |";

    static String header(BenchPlan plan) {
        return plan.latencyMode()
                ? String.format(
                        Locale.ROOT,
                        "| kernel | ordering | H | entities | state | batching | delivery | rate (events/s) | p50 ms | p99 ms | p99.9 ms |%s%n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n",
                        CHECKPOINT_COLUMNS)
                : String.format(
                        Locale.ROOT,
                        "| kernel | ordering | H | entities | state | batching | delivery | events/s (steady) | events/s (incl. start-up) |%s%n|---|---|---|---|---|---|---|---|---|---|---|---|---|%n",
                        CHECKPOINT_COLUMNS);
    }

    static String row(BenchPlan plan, Combination c, Figures f) {
        String label = String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d | %s | %s | %s |",
                c.kernel(),
                c.ordering(),
                c.hidden(),
                c.entities(),
                c.state(),
                c.batch(),
                c.delivery());
        return label
                + (plan.latencyMode()
                        ? String.format(
                                Locale.ROOT,
                                " %.0f | %.0f | %.0f | %.0f |",
                                plan.rate(),
                                f.p50Ms(),
                                f.p99Ms(),
                                f.p999Ms())
                        : String.format(
                                Locale.ROOT, " %.0f | %.0f |", f.eventsPerSecond(), f.eventsPerSecondWithStartup()))
                + checkpoints(f, plan.entitiesReached(c));
    }

    /** The checkpoint columns; a dash for what the run did not have (no checkpoint completed). */
    private static String checkpoints(Figures f, int entities) {
        if (f.checkpointBytes() < 0) {
            return String.format(Locale.ROOT, " %.0f | - | - | - |%n", f.checkpoints());
        }
        return String.format(
                Locale.ROOT,
                " %.0f | %.0f, %.0f | %.1f | %.0f |%n",
                f.checkpoints(),
                f.checkpointMs(),
                f.checkpointMaxMs(),
                f.checkpointBytes() / 1e6,
                f.stateBytesPerEntity(entities));
    }

    /** With more than one run of each configuration: a table of their medians, after a blank line. */
    static String medians(BenchResults results) {
        BenchPlan plan = results.plan();
        if (plan.repeat() < 2) {
            return "";
        }
        StringBuilder out = new StringBuilder(
                String.format(Locale.ROOT, "%nMedian of %d runs of each configuration:%n%n", plan.repeat()));
        out.append(header(plan));
        for (Combination c : results.measured().keySet()) {
            out.append(row(plan, c, results.figures(c)));
        }
        return out.toString();
    }

    /** A line per configuration that ran with both kernels, after a blank line; empty when there is none. */
    static String ratios(BenchResults results) {
        StringBuilder out = new StringBuilder();
        for (Combination c : results.measured().keySet()) {
            Double r = results.ratio(c);
            if (r != null) {
                double[] rounds = results.roundRatios(c);
                out.append(String.format(
                        Locale.ROOT,
                        "lstm/noop %s: %.2f (%s, H %d, %d entities, %s, batching %s, %s)%s%n",
                        results.ratioName(),
                        r,
                        c.ordering(),
                        c.hidden(),
                        c.entities(),
                        c.state(),
                        c.batch(),
                        c.delivery(),
                        rounds.length < 2
                                ? ""
                                : "; of the medians. Each round's pair: "
                                        + Arrays.stream(rounds)
                                                .mapToObj(x -> String.format(Locale.ROOT, "%.2f", x))
                                                .collect(Collectors.joining(", "))));
            }
        }
        return out.length() == 0 ? "" : "\n" + out;
    }
}
