package io.lstmforecast.state;

import io.lstmforecast.config.Alerts;
import io.lstmforecast.event.Alert;
import io.lstmforecast.model.bundle.ModelSpec;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The residual alert rules. Raises an alert for each target whose one-step error is anomalous by the policy's method,
 * unless the entity is still warming up or cooling down from its last alert (the statistics keep learning either way).
 * Sigma: the error leaves alertSigmas rolling standard deviations. Likelihood and combined likelihood: the anomaly
 * likelihood ({@link AnomalyLikelihood}, from the likelihood stage before this one) rises to alertLikelihood from
 * below, so one excursion gives one alert. The value kept is the step at which the entity last alerted ({@link
 * EntityState#NEVER_ALERTED}: never), so a cool-down can hold back the repeats of one incident.
 */
final class AlertStage implements Stage<Long> {
    private final Alerts rules;
    private final String modelName;
    private final String modelVersion;
    private final List<String> targets;

    AlertStage(Setup setup) {
        ModelSpec spec = setup.model().spec();
        this.rules = setup.policy().alerts();
        this.modelName = spec.name();
        this.modelVersion = spec.version();
        this.targets = List.copyOf(spec.targets());
    }

    @Override
    public StageKind<Long> kind() {
        return Stages.ALERTS;
    }

    @Override
    public Long fresh() {
        return EntityState.NEVER_ALERTED;
    }

    @Override
    public Long fit(Long stored, Restarts restarted) {
        return stored;
    }

    /** The cool-down belongs to the entity: a swap does not end it. */
    @Override
    public Long swapped(Long lastAlertStep) {
        return lastAlertStep;
    }

    @Override
    public Long advance(Long lastAlertStep, Step step) {
        float[] error = step.oneStepError;
        if (error == null) {
            return lastAlertStep;
        }
        Memory m = step.before.memory();
        RollingError stats = m.error();
        long now = m.steps() + 1;
        boolean coolingDown = lastAlertStep != EntityState.NEVER_ALERTED && now - lastAlertStep <= rules.cooldown();
        if (stats.count() < rules.warmup() || coolingDown) {
            return lastAlertStep;
        }
        AnomalyLikelihood before = step.before.likelihood();
        double[] likelihood = step.likelihood;
        boolean alerted = false;
        for (int t = 0; t < error.length; t++) {
            double std = stats.std(t);
            double score = std > 0 ? Math.abs(error[t] - stats.mean()[t]) / std : 0;
            boolean anomalous = switch (rules.method()) {
                case SIGMA -> score > rules.sigmas();
                case LIKELIHOOD, COMBINED_LIKELIHOOD ->
                    likelihood != null
                            && before.estimated()
                            && likelihood[t] >= rules.likelihood()
                            && before.lastLikelihood()[t] < rules.likelihood();
            };
            if (anomalous) {
                step.alerts.accept(new Alert(
                        step.event.entityId(),
                        step.event.timestamp(),
                        modelName,
                        modelVersion,
                        targets.get(t),
                        step.actual[t],
                        m.lastForecast()[t],
                        error[t],
                        stats.mean()[t],
                        (float) std,
                        (float) score,
                        likelihood == null ? Double.NaN : likelihood[t]));
                alerted = true;
            }
        }
        return alerted ? now : lastAlertStep;
    }

    /** Version 1: the last alert step + 1 as a count (0: never). */
    static final class Codec implements StageCodec<Long> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(Long lastAlertStep, long lastEventTime, DataOutputView out) throws IOException {
            StateIO.writeCount(lastAlertStep + 1, out);
        }

        @Override
        public Long read(int version, long lastEventTime, DataInputView in) throws IOException {
            return StateIO.readCount(in) - 1;
        }

        @Override
        public Long copy(Long lastAlertStep) {
            return lastAlertStep;
        }
    }
}
