package io.lstmforecast.state;

import io.lstmforecast.event.Event;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.Arrays;
import java.util.List;

/**
 * The batch a forecaster steps: one row per entity of the entities' h and c (layer-major, as the model reads them),
 * their input rows and the model's forecasts. Grown, never shrunk; owned by one forecaster.
 */
final class Rows {
    private final ForecastModel model;
    private final int layers;
    private final int hidden;
    private final int features;
    private final int eventFeatures;
    private final List<TimeFeatures> timeFeatures;
    private final int span;

    private int capacity;
    private float[][] h;
    private float[][] c;
    private float[] raw;
    private float[] forecast;

    Rows(ForecastModel model) {
        ModelSpec spec = model.spec();
        this.model = model;
        this.layers = model.numLayers();
        this.hidden = model.hiddenSize();
        this.features = model.featureCount();
        this.eventFeatures = spec.features().size();
        this.timeFeatures = spec.timeFeatureList();
        this.span = model.horizon() * spec.targets().size();
    }

    void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = Math.max(n, capacity * 2);
        h = new float[layers][capacity * hidden];
        c = model.hasCellState() ? new float[layers][capacity * hidden] : null;
        raw = new float[capacity * features];
        forecast = new float[capacity * span];
    }

    /** Puts the entity's h and c into row b, and the input row: the event's features, then the calendar of its time. */
    void gather(int b, Memory memory, Event event) {
        for (int l = 0; l < layers; l++) {
            System.arraycopy(memory.h(), l * hidden, h[l], b * hidden, hidden);
            if (c != null) {
                System.arraycopy(memory.c(), l * hidden, c[l], b * hidden, hidden);
            }
        }
        System.arraycopy(event.features(), 0, raw, b * features, eventFeatures);
        TimeFeatures.write(timeFeatures, event.timestamp(), raw, b * features + eventFeatures);
    }

    /** One model step for rows 0..n-1: new h and c in place, forecasts into the forecast rows. */
    void step(int n) {
        model.step(raw, h, c, n, forecast);
    }

    /** Row b's model forecast, horizon x targets (a copy). */
    float[] forecast(int b) {
        return Arrays.copyOfRange(forecast, b * span, (b + 1) * span);
    }

    /** Row b's new h, flat (a copy). */
    float[] hidden(int b) {
        return flat(h, b);
    }

    private static final float[] NONE = new float[0];

    /** Row b's new c, flat (a copy); empty for a model without a cell state. */
    float[] cell(int b) {
        return c == null ? NONE : flat(c, b);
    }

    private float[] flat(float[][] state, int b) {
        float[] out = new float[layers * hidden];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(state[l], b * hidden, out, l * hidden, hidden);
        }
        return out;
    }

    /** The first {@code units} units of row b's new h, layer by layer. */
    float[] firstUnits(int b, int units) {
        float[] out = new float[units];
        for (int j = 0; j < units; j++) {
            out[j] = h[j / hidden][b * hidden + j % hidden];
        }
        return out;
    }

    /** Copies row b's input row into {@code to} at {@code at}. */
    void copyInput(int b, float[] to, int at) {
        System.arraycopy(raw, b * features, to, at, features);
    }
}
