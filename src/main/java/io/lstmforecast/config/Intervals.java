package io.lstmforecast.config;

import java.io.Serializable;

/** Job setting {@code intervals.coverage}: the share of actual values the prediction intervals should contain (0: none). */
public record Intervals(double coverage) implements Serializable {
    public static final Setting<Double> COVERAGE = Setting.number("intervals.coverage", 0.9, 0, 1)
            .doc(
                    "Share of actual values the per-step prediction intervals (`lower`, `upper` in forecast records) should contain; `0` turns them off. See [pipeline.md, prediction intervals](pipeline.md#prediction-intervals).");
    public static final Intervals DEFAULT = new Intervals(COVERAGE.fallback());

    public static Intervals read(SettingsTree t) {
        return new Intervals(t.get(COVERAGE));
    }

    public Intervals {
        COVERAGE.checkFloor(coverage);
        Setting.require(
                coverage < 1,
                COVERAGE.key(),
                "must be a share in [0, 1), e.g. 0.9 for 90 % intervals, or 0 for none; not " + coverage);
    }
}
