package io.lstmforecast.bench;

import java.util.Map;

/** Every run's figures, in the order they ran, and the ratio of LSTM to no-op that bench reports. */
record BenchResults(BenchPlan plan, Map<Combination, Measurement> measured) {
    /**
     * LSTM over no-op of the same configuration, or null without both: throughput mode compares events/s (the share of
     * the pipeline's ceiling the model leaves), latency mode the p50 latency (both run at the offered rate).
     */
    Double ratio(Combination c) {
        Measurement noop = measured.get(c.withKernel(Combination.NOOP));
        Measurement lstm = measured.get(c.withKernel(Combination.LSTM));
        if (!c.kernel().equals(Combination.LSTM) || noop == null || lstm == null) {
            return null;
        }
        double of = compared(noop);
        return of <= 0 ? null : compared(lstm) / of;
    }

    /** What {@link #ratio} compares, for the report. */
    String ratioName() {
        return plan.latencyMode() ? "p50 latency" : "events/s";
    }

    private double compared(Measurement m) {
        return plan.latencyMode() ? m.percentile(0.5) : m.eventsPerSecond();
    }
}
