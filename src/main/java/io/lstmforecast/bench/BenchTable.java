package io.lstmforecast.bench;

import java.util.Locale;

/** The Markdown table bench prints (and appends to --report): a row per run, then the LSTM/no-op ratios. */
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

    static String row(BenchPlan plan, Combination c, Measurement m) {
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
                                " %.0f | %d | %d | %d |%n",
                                plan.rate(),
                                m.percentile(0.5),
                                m.percentile(0.99),
                                m.percentile(0.999))
                        : String.format(
                                Locale.ROOT, " %.0f | %.0f |%n", m.eventsPerSecond(), m.eventsPerSecondWithStartup()));
    }

    /** A line per configuration that ran with both kernels, after a blank line; empty when there is none. */
    static String ratios(BenchResults results) {
        StringBuilder out = new StringBuilder();
        for (Combination c : results.measured().keySet()) {
            Double r = results.ratio(c);
            if (r != null) {
                out.append(String.format(
                        Locale.ROOT,
                        "lstm/noop %s: %.2f (%s, H %d, %d entities, %s, batching %s, %s)%n",
                        results.ratioName(),
                        r,
                        c.ordering(),
                        c.hidden(),
                        c.entities(),
                        c.state(),
                        c.batch(),
                        c.delivery()));
            }
        }
        return out.length() == 0 ? "" : "\n" + out;
    }
}
