package io.lstmforecast.state;

import io.lstmforecast.model.Baseline;
import java.io.Serializable;

/**
 * How the job treats entity state, residuals and intervals, beside the model itself.
 *
 * @param rewarmEvents        raw inputs kept per entity so that after a swap to a model that cannot
 *                            continue the old state, the entity is re-warmed by replaying them (0: reset instead)
 * @param alertMethod         which rule raises residual alerts
 * @param alertSigmas         sigma rule: an alert fires when |error - mean| exceeds this many rolling standard deviations
 * @param alertLikelihood     likelihood rule: an alert fires when the anomaly likelihood rises to this value or above
 * @param alertWarmup         errors an entity must have before it can alert (its statistics must mean something)
 * @param alertCooldown       events after an alert during which the entity raises no other (0: none); one incident
 *                            then makes one alert, not one per event
 * @param intervalCoverage    the share of actual values the prediction intervals should contain (0: no intervals)
 * @param baseline            the naive forecast the model's skill is measured against; null: the one the model declares,
 *                            else persistence (see {@link Baseline#effective})
 */
public record ForecastPolicy(int rewarmEvents, AlertMethod alertMethod, double alertSigmas, double alertLikelihood,
                             int alertWarmup, int alertCooldown, double intervalCoverage, Baseline baseline)
        implements Serializable {
    /** sigma: the residual leaves N rolling standard deviations; likelihood: see {@link AnomalyLikelihood}. */
    public enum AlertMethod { SIGMA, LIKELIHOOD }

    public static final double DEFAULT_LIKELIHOOD = 0.99999;
    public static final double DEFAULT_COVERAGE = 0.9;
    public static final ForecastPolicy DEFAULT = new ForecastPolicy(0, AlertMethod.LIKELIHOOD, 4.0, DEFAULT_LIKELIHOOD, 50, 0,
            DEFAULT_COVERAGE, null);

    public ForecastPolicy {
        if (rewarmEvents < 0 || alertSigmas <= 0 || alertWarmup < 1 || alertCooldown < 0) {
            throw new IllegalArgumentException("rewarm-events must be >= 0, alert-sigmas > 0, alert-warmup >= 1 and alert-cooldown >= 0");
        }
        if (!(alertLikelihood > 0.5 && alertLikelihood < 1) || !(intervalCoverage >= 0 && intervalCoverage < 1)) {
            throw new IllegalArgumentException("alert likelihood must lie in (0.5, 1) and interval coverage in [0, 1)");
        }
    }

    /** The default policy with the N-sigma alert rule and the given cool-down. */
    public static ForecastPolicy sigma(double sigmas, int cooldown) {
        return new ForecastPolicy(0, AlertMethod.SIGMA, sigmas, DEFAULT_LIKELIHOOD, 50, cooldown, DEFAULT_COVERAGE, null);
    }

    public ForecastPolicy withRewarmEvents(int events) {
        return new ForecastPolicy(events, alertMethod, alertSigmas, alertLikelihood, alertWarmup, alertCooldown, intervalCoverage,
                baseline);
    }

    public ForecastPolicy withAlertLikelihood(double likelihood) {
        return new ForecastPolicy(rewarmEvents, alertMethod, alertSigmas, likelihood, alertWarmup, alertCooldown, intervalCoverage,
                baseline);
    }

    public ForecastPolicy withIntervalCoverage(double coverage) {
        return new ForecastPolicy(rewarmEvents, alertMethod, alertSigmas, alertLikelihood, alertWarmup, alertCooldown, coverage,
                baseline);
    }

    public ForecastPolicy withBaseline(Baseline b) {
        return new ForecastPolicy(rewarmEvents, alertMethod, alertSigmas, alertLikelihood, alertWarmup, alertCooldown,
                intervalCoverage, b);
    }
}
