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

    static String header(BenchPlan plan) {
        return plan.latencyMode()
                ? String.format(
                        Locale.ROOT,
                        "| kernel | ordering | H | entities | state | batching | delivery | rate (events/s) | p50 ms | p99 ms | p99.9 ms |%n|---|---|---|---|---|---|---|---|---|---|---|%n")
                : String.format(
                        Locale.ROOT,
                        "| kernel | ordering | H | entities | state | batching | delivery | events/s (steady) | events/s (incl. start-up) |%n|---|---|---|---|---|---|---|---|---|%n");
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
                                " %.0f | %.0f | %.0f | %.0f |%n",
                                plan.rate(),
                                f.p50Ms(),
                                f.p99Ms(),
                                f.p999Ms())
                        : String.format(
                                Locale.ROOT, " %.0f | %.0f |%n", f.eventsPerSecond(), f.eventsPerSecondWithStartup()));
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
