package io.lstmforecast.state;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Advances entities by one event each with a model and produces their forecasts: gathers the
 * entities' states into batch rows, runs one model step for all of them, scores each entity's
 * previous one-step forecast against its new actual values and writes the new states back.
 *
 * <p>Independent of Flink, so the job's per-key function and any batching operator share it. One
 * instance per operator instance (it owns the model's scratch buffers).
 */
public final class EntityForecaster {
    private final ForecastModel model;
    private final String modelName;
    private final String modelVersion;
    private final String modelId;
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

    public EntityForecaster(ForecastModel model) {
        ModelSpec spec = model.spec();
        this.model = model;
        this.modelName = spec.name();
        this.modelVersion = spec.version();
        this.modelId = spec.name() + "@" + spec.version();
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

    /** The model identity stored with each state: name@version. */
    public String modelId() {
        return modelId;
    }

    /**
     * Applies {@code events[i]} to {@code states[i]} for i < n (each a different entity) and writes the
     * new states back into {@code states} and the forecasts into {@code out}. A null state, or one
     * written by another model, starts fresh: one model's h and c mean nothing to another.
     */
    public void advance(EntityState[] states, Event[] events, int n, Forecast[] out) {
        ensureCapacity(n);
        for (int b = 0; b < n; b++) {
            EntityState s = states[b];
            if (s == null || !modelId.equals(s.modelVersion()) || s.h().length != layers * hidden) {
                s = EntityState.fresh(modelId, layers, hidden, model.hasCellState(), targets.size());
                states[b] = s;
            }
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
            float[] error = previousError(states[b], events[b]);
            states[b] = next(states[b], events[b], b, error);
            out[b] = toForecast(states[b], events[b], b, error);
        }
    }

    private EntityState next(EntityState s, Event e, int b, float[] error) {
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
        return new EntityState(modelId, nh, nc, s.steps() + 1, e.timestamp(), oneStep, rolling);
    }

    private Forecast toForecast(EntityState s, Event e, int b, float[] error) {
        int span = horizon * targets.size();
        boolean scored = s.error().count() > 0;
        return new Forecast(e.entityId(), e.timestamp(), modelName, modelVersion, s.steps(), targets, horizon,
                actual(e), Arrays.copyOfRange(forecast, b * span, (b + 1) * span), error,
                scored ? s.error().mae() : null, scored ? s.error().rmse() : null);
    }

    /** actual - (the one-step forecast made at the entity's previous event), or null at its first event. */
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
