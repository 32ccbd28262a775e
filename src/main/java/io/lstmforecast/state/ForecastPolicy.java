package io.lstmforecast.state;

import io.lstmforecast.config.AlertMethod;
import io.lstmforecast.config.Alerts;
import io.lstmforecast.config.Intervals;
import io.lstmforecast.config.Setting;
import io.lstmforecast.model.Baseline;
import java.io.Serializable;

/**
 * How the job treats entity state, residuals and intervals, beside the model itself: the job's {@link Alerts} and
 * {@link Intervals} settings as they are, with re-warming and the baseline.
 *
 * @param rewarmEvents raw inputs kept per entity so that after a swap to a model that cannot continue the old state,
 *                     the entity is re-warmed by replaying them (0: reset instead); job setting rewarm-events
 * @param alerts       which rule raises residual alerts, and when
 * @param intervals    the share of actual values the prediction intervals should contain (0: no intervals)
 * @param baseline     the naive forecast the model's skill is measured against; null: the one the model declares,
 *                     else persistence (see {@link Baseline#effective})
 */
public record ForecastPolicy(int rewarmEvents, Alerts alerts, Intervals intervals, Baseline baseline)
        implements Serializable {
    public static final Setting<Integer> REWARM_EVENTS = Setting.whole("rewarm-events", 0, 0, 10_000)
            .doc("Inputs kept per entity to re-warm it after a swap to an incompatible model (`0`: reset instead).");
    public static final ForecastPolicy DEFAULT =
            new ForecastPolicy(REWARM_EVENTS.fallback(), Alerts.DEFAULT, Intervals.DEFAULT, null);
    /** The default alerts.likelihood and intervals.coverage, for callers that print them. */
    public static final double DEFAULT_LIKELIHOOD = Alerts.DEFAULT.likelihood();

    public static final double DEFAULT_COVERAGE = Intervals.DEFAULT.coverage();

    public ForecastPolicy {
        REWARM_EVENTS.checkFloor(rewarmEvents);
        java.util.Objects.requireNonNull(alerts, "alerts");
        java.util.Objects.requireNonNull(intervals, "intervals");
    }

    /** The default policy with the N-sigma alert rule and the given cool-down. */
    public static ForecastPolicy sigma(double sigmas, int cooldown) {
        Alerts d = Alerts.DEFAULT;
        return DEFAULT.withAlerts(new Alerts(AlertMethod.SIGMA, sigmas, d.likelihood(), d.warmup(), cooldown));
    }

    public double intervalCoverage() {
        return intervals.coverage();
    }

    public ForecastPolicy withRewarmEvents(int events) {
        return new ForecastPolicy(events, alerts, intervals, baseline);
    }

    public ForecastPolicy withAlerts(Alerts a) {
        return new ForecastPolicy(rewarmEvents, a, intervals, baseline);
    }

    public ForecastPolicy withAlertLikelihood(double likelihood) {
        return withAlerts(new Alerts(alerts.method(), alerts.sigmas(), likelihood, alerts.warmup(), alerts.cooldown()));
    }

    public ForecastPolicy withIntervalCoverage(double coverage) {
        return new ForecastPolicy(rewarmEvents, alerts, new Intervals(coverage), baseline);
    }

    public ForecastPolicy withBaseline(Baseline b) {
        return new ForecastPolicy(rewarmEvents, alerts, intervals, b);
    }
}
