package io.lstmforecast.bench;

import java.util.List;
import java.util.Map;

/**
 * Every configuration's runs, configurations in the order they first ran and runs in round order (round r of every
 * configuration ran before round r + 1 of any, so a drift of the machine over time falls on all of them alike), and
 * the ratio of LSTM to no-op that bench reports.
 */
record BenchResults(BenchPlan plan, Map<Combination, List<Measurement>> measured) {
    /** The configuration's figures: its one run's, or the median of its runs. */
    Figures figures(Combination c) {
        return Figures.median(measured.get(c));
    }

    /**
     * LSTM over no-op of the same configuration (their medians), or null without both: throughput mode compares
     * events/s (the share of the pipeline's ceiling the model leaves), latency mode the p50 latency (both run at the
     * offered rate).
     */
    Double ratio(Combination c) {
        if (!pairs(c)) {
            return null;
        }
        double of = compared(figures(c.withKernel(Combination.NOOP)));
        return of <= 0 ? null : compared(figures(c)) / of;
    }

    /** The ratio of the LSTM and no-op runs of each round, which ran one after the other; empty without both. */
    double[] roundRatios(Combination c) {
        if (!pairs(c)) {
            return new double[0];
        }
        List<Measurement> lstm = measured.get(c);
        List<Measurement> noop = measured.get(c.withKernel(Combination.NOOP));
        int rounds = Math.min(lstm.size(), noop.size());
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            r[i] = compared(Figures.of(lstm.get(i))) / compared(Figures.of(noop.get(i)));
        }
        return r;
    }

    /** What {@link #ratio} compares, for the report. */
    String ratioName() {
        return plan.latencyMode() ? "p50 latency" : "events/s";
    }

    private boolean pairs(Combination c) {
        return c.kernel().equals(Combination.LSTM)
                && measured.containsKey(c)
                && measured.containsKey(c.withKernel(Combination.NOOP));
    }

    private double compared(Figures f) {
        return plan.latencyMode() ? f.p50Ms() : f.eventsPerSecond();
    }
}
