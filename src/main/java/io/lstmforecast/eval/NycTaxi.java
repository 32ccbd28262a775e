package io.lstmforecast.eval;

import io.lstmforecast.model.ForecastModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The NYC taxi demand stream (30-minute passenger counts) and the protocol of Cui, Ahmad and
 * Hawkins (2016): predict 5 steps (2.5 h) ahead while streaming; MAPE = mean |error| / mean |truth|
 * over the points from index 10000 on.
 */
public final class NycTaxi {
    public static final int AHEAD = 5;
    public static final int SCORED_FROM = 10_000;

    private NycTaxi() {
    }

    /** The passenger counts; the file has two extra header lines after the first. */
    public static double[] counts(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return lines.stream().skip(3).filter(l -> !l.isBlank()).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    }

    /** forecast[t] is the prediction for point t made AHEAD steps earlier (NaN where none exists). */
    public static double mape(double[] truth, double[] forecast) {
        double err = 0;
        double sum = 0;
        for (int t = SCORED_FROM; t < truth.length; t++) {
            err += Math.abs(forecast[t] - truth[t]);
            sum += Math.abs(truth[t]);
        }
        return err / sum;
    }

    public static double[] persistence(double[] truth) {
        double[] f = new double[truth.length];
        for (int t = AHEAD; t < truth.length; t++) {
            f[t] = truth[t - AHEAD];
        }
        return f;
    }

    /** Streams the series one event at a time through one entity's state; keeps each step-5 forecast. */
    public static double[] lstm(ForecastModel model, double[] truth) {
        float[][] h = new float[model.numLayers()][model.hiddenSize()];
        float[][] c = new float[model.numLayers()][model.hiddenSize()];
        float[] f = new float[model.horizon()];
        double[] out = new double[truth.length];
        for (int t = 0; t + AHEAD < truth.length; t++) {
            model.step(new float[] {(float) truth[t]}, h, c, 1, f);
            out[t + AHEAD] = f[AHEAD - 1];
        }
        return out;
    }
}
