package io.lstmforecast.state;

import java.io.Serializable;

/**
 * How the job treats entity state and residuals, beside the model itself.
 *
 * @param rewarmEvents raw inputs kept per entity so that after a swap to a model that cannot
 *                     continue the old state, the entity is re-warmed by replaying them (0: reset instead)
 * @param alertSigmas  an alert fires when |error - mean| exceeds this many rolling standard deviations
 * @param alertWarmup  errors an entity must have before it can alert (its statistics must mean something)
 * @param alertCooldown events after an alert during which the entity raises no other (0: every anomalous event
 *                      alerts); one incident then makes one alert, not one per event
 */
public record ForecastPolicy(int rewarmEvents, double alertSigmas, int alertWarmup, int alertCooldown) implements Serializable {
    public static final ForecastPolicy DEFAULT = new ForecastPolicy(0, 4.0, 50, 0);

    public ForecastPolicy {
        if (rewarmEvents < 0 || alertSigmas <= 0 || alertWarmup < 1 || alertCooldown < 0) {
            throw new IllegalArgumentException("rewarm-events must be >= 0, alert-sigmas > 0, alert-warmup >= 1 and alert-cooldown >= 0");
        }
    }
}
