package io.lstmforecast.state;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Advances entities by one event each with a model and produces their forecasts: gathers the
 * entities' states into batch rows, runs one model step for all of them, scores each entity's
 * previous one-step forecast against its new actual values and writes the new states back.
 *
 * <p>Independent of Flink, so it can be tested and benchmarked alone. One instance per operator
 * instance (it owns the model's scratch buffers).
 */
public final class EntityForecaster {
    private final ForecastModel model;
    private final ForecastPolicy policy;
    private final String modelName;
    private final String modelVersion;
    private final String modelId;
    private final List<String> compatibleWith;
    private final List<String> targets;
    private final int[] targetFeature;
    private final int layers;
    private final int hidden;
    private final int features;
    private final int horizon;

    private int capacity;
    private float[][] h;
    private float[][] c;
    private float[] raw;
    private float[] forecast;

    public EntityForecaster(ForecastModel model, ForecastPolicy policy) {
        ModelSpec spec = model.spec();
        this.model = model;
        this.policy = policy;
        this.modelName = spec.name();
        this.modelVersion = spec.version();
        this.modelId = spec.name() + "@" + spec.version();
        this.compatibleWith = spec.stateCompatibleWith() == null ? List.of() : spec.stateCompatibleWith();
        this.targets = List.copyOf(spec.targets());
        this.targetFeature = new int[targets.size()];
        for (int t = 0; t < targetFeature.length; t++) {
            targetFeature[t] = spec.features().indexOf(targets.get(t));
            if (targetFeature[t] < 0) {
                throw new IllegalArgumentException("target '" + targets.get(t) + "' of model " + modelId
                        + " is not among its features " + spec.features() + ", so events carry no actual value to score");
            }
        }
        this.layers = model.numLayers();
        this.hidden = model.hiddenSize();
        this.features = model.featureCount();
        this.horizon = model.horizon();
    }

    /** name@version, stored with each state it writes. */
    public String modelId() {
        return modelId;
    }

    public int featureCount() {
        return features;
    }

    /**
     * Applies {@code events[i]} to {@code states[i]} for i < n (each a different entity), writes the
     * new states back into {@code states} and the forecasts into {@code out}, and passes any
     * residual alerts to {@code alerts}.
     */
    public void advance(EntityState[] states, Event[] events, int n, Forecast[] out, Consumer<Alert> alerts) {
        ensureCapacity(n);
        for (int b = 0; b < n; b++) {
            EntityState s = adopt(states[b]);
            states[b] = s;
            for (int l = 0; l < layers; l++) {
                System.arraycopy(s.h(), l * hidden, h[l], b * hidden, hidden);
                if (c != null) {
                    System.arraycopy(s.c(), l * hidden, c[l], b * hidden, hidden);
                }
            }
            System.arraycopy(events[b].features(), 0, raw, b * features, features);
        }
        model.step(raw, h, c, n, forecast);
        for (int b = 0; b < n; b++) {
            EntityState before = states[b];
            float[] error = previousError(before, events[b]);
            boolean alerted = error != null && checkResiduals(before, events[b], error, alerts);
            states[b] = next(before, events[b], b, error, alerted);
            out[b] = toForecast(states[b], events[b], b, error);
        }
    }

    /**
     * Makes a stored state usable by this model. A state this model wrote is used as it is. A state
     * of another model is kept only if this model declares that model's state compatible
     * ({@code state_compatible_with}) and the shapes agree; otherwise one model's h and c mean
     * nothing to the other, so the entity is re-warmed from its kept inputs or starts from zeros.
     * The step count and last event time always carry over: they belong to the entity, not the model.
     */
    EntityState adopt(EntityState s) {
        if (s == null) {
            return EntityState.fresh(modelId, layers, hidden, model.hasCellState(), targets.size());
        }
        // Shapes are checked even for this model's own id: a retrained model sent under the same name@version, or a
        // damaged checkpoint, must not index past the end of a state it did not write.
        boolean sameShapes = s.h().length == layers * hidden && s.c().length == (model.hasCellState() ? layers * hidden : 0)
                && s.lastForecast().length == targets.size() && s.error().mean().length == targets.size()
                && s.error().meanAbs().length == targets.size() && s.error().meanSq().length == targets.size();
        if (sameShapes && modelId.equals(s.modelId())) {
            return s;
        }
        if (sameShapes && declaredCompatible(s.modelId())) {
            return new EntityState(modelId, s.h(), s.c(), s.steps(), s.lastEventTime(), s.lastForecast(), s.error(),
                    s.lastAlertStep(), s.recentInputs());
        }
        EntityState reset = EntityState.fresh(modelId, layers, hidden, model.hasCellState(), targets.size());
        reset = new EntityState(modelId, reset.h(), reset.c(), s.steps(), s.lastEventTime(), reset.lastForecast(),
                reset.error(), s.lastAlertStep(), s.recentInputs().length % features == 0 ? s.recentInputs() : new float[0]);
        return rewarm(reset);
    }

    private boolean declaredCompatible(String oldModelId) {
        String oldVersion = oldModelId.substring(oldModelId.indexOf('@') + 1);
        return compatibleWith.contains(oldModelId) || compatibleWith.contains(oldVersion);
    }

    /** Replays the entity's kept inputs through this model from zero state, one step each. */
    private EntityState rewarm(EntityState s) {
        int kept = s.recentInputs().length / features;
        if (kept == 0) {
            return s;
        }
        float[][] rh = new float[layers][hidden];
        float[][] rc = c == null ? null : new float[layers][hidden];
        float[] input = new float[features];
        float[] f = new float[horizon * targets.size()];
        for (int k = 0; k < kept; k++) {
            System.arraycopy(s.recentInputs(), k * features, input, 0, features);
            model.step(input, rh, rc, 1, f);
        }
        float[] nh = new float[layers * hidden];
        float[] nc = new float[s.c().length];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(rh[l], 0, nh, l * hidden, hidden);
            if (rc != null) {
                System.arraycopy(rc[l], 0, nc, l * hidden, hidden);
            }
        }
        return new EntityState(modelId, nh, nc, s.steps(), s.lastEventTime(), Arrays.copyOf(f, targets.size()),
                s.error(), s.lastAlertStep(), s.recentInputs());
    }

    /**
     * Raises an alert for each target whose error leaves alertSigmas rolling standard deviations, unless the entity is
     * still cooling down from its last alert (the statistics keep learning either way). Returns whether it alerted.
     */
    private boolean checkResiduals(EntityState s, Event e, float[] error, Consumer<Alert> alerts) {
        RollingError stats = s.error();
        long step = s.steps() + 1;
        boolean coolingDown = s.lastAlertStep() != EntityState.NEVER_ALERTED && step - s.lastAlertStep() <= policy.alertCooldown();
        if (stats.count() < policy.alertWarmup() || coolingDown) {
            return false;
        }
        boolean alerted = false;
        for (int t = 0; t < error.length; t++) {
            double std = stats.std(t);
            double score = std > 0 ? Math.abs(error[t] - stats.mean()[t]) / std : 0;
            if (score > policy.alertSigmas()) {
                float actual = e.features()[targetFeature[t]];
                alerts.accept(new Alert(e.entityId(), e.timestamp(), modelName, modelVersion, targets.get(t), actual,
                        s.lastForecast()[t], error[t], stats.mean()[t], (float) std, (float) score));
                alerted = true;
            }
        }
        return alerted;
    }

    private EntityState next(EntityState s, Event e, int b, float[] error, boolean alerted) {
        float[] nh = new float[layers * hidden];
        float[] nc = new float[c == null ? 0 : layers * hidden];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(h[l], b * hidden, nh, l * hidden, hidden);
            if (c != null) {
                System.arraycopy(c[l], b * hidden, nc, l * hidden, hidden);
            }
        }
        RollingError rolling = error == null ? s.error() : s.error().add(error);
        float[] oneStep = Arrays.copyOfRange(forecast, b * horizon * targets.size(), (b * horizon + 1) * targets.size());
        return new EntityState(modelId, nh, nc, s.steps() + 1, e.timestamp(), oneStep, rolling,
                alerted ? s.steps() + 1 : s.lastAlertStep(), keepRecent(s.recentInputs(), e.features()));
    }

    /** The last rewarm-events inputs, oldest first; empty when re-warming is off. */
    private float[] keepRecent(float[] recent, float[] input) {
        int limit = policy.rewarmEvents() * features;
        if (limit == 0) {
            return recent.length == 0 ? recent : new float[0];
        }
        int keep = Math.min(recent.length, limit - features);
        float[] next = new float[keep + features];
        System.arraycopy(recent, recent.length - keep, next, 0, keep);
        System.arraycopy(input, 0, next, keep, features);
        return next;
    }

    private Forecast toForecast(EntityState s, Event e, int b, float[] error) {
        int span = horizon * targets.size();
        boolean scored = s.error().count() > 0;
        return new Forecast(e.entityId(), e.timestamp(), modelName, modelVersion, s.steps(), targets, horizon,
                actual(e), Arrays.copyOfRange(forecast, b * span, (b + 1) * span), error,
                scored ? s.error().mae() : null, scored ? s.error().rmse() : null);
    }

    /** actual - (the one-step forecast made at the entity's previous event), or null when there is none. */
    private float[] previousError(EntityState s, Event e) {
        if (s.steps() == 0 || s.lastForecast().length != targets.size()) {
            return null;
        }
        float[] actual = actual(e);
        float[] error = new float[actual.length];
        for (int t = 0; t < actual.length; t++) {
            error[t] = actual[t] - s.lastForecast()[t];
        }
        return error;
    }

    private float[] actual(Event e) {
        float[] a = new float[targets.size()];
        for (int t = 0; t < a.length; t++) {
            a[t] = e.features()[targetFeature[t]];
        }
        return a;
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = Math.max(n, capacity * 2);
        h = new float[layers][capacity * hidden];
        c = model.hasCellState() ? new float[layers][capacity * hidden] : null;
        raw = new float[capacity * features];
        forecast = new float[capacity * horizon * targets.size()];
    }
}
