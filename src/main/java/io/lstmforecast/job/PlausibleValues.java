package io.lstmforecast.job;

import io.lstmforecast.config.Plausibility;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.List;
import java.util.Locale;

/**
 * The bounds an event's features must lie in for the serving model, from the job's {@link Plausibility} settings:
 * each feature's {@code event.range} if it has one, and its mean +- {@code event.max-abs-z} standard deviations
 * of the model's normalisation. Built again for every model swapped in, since the normalisation is the model's.
 */
final class PlausibleValues {
    private final List<String> features;
    private final double[] low;
    private final double[] high;
    private final double[] mean;
    private final double[] std;
    private final double[] rangeLow;
    private final double[] rangeHigh;
    private final double maxAbsZ;

    PlausibleValues(Plausibility settings, ModelSpec spec) {
        features = spec.features();
        int n = features.size();
        for (String name : settings.ranges().keySet()) {
            if (!features.contains(name)) {
                throw new IllegalArgumentException(Plausibility.RANGE + " names '" + name
                        + "', which is not among the model's features " + features);
            }
        }
        low = new double[n];
        high = new double[n];
        mean = new double[n];
        std = new double[n];
        rangeLow = new double[n];
        rangeHigh = new double[n];
        maxAbsZ = settings.maxAbsZ();
        for (int i = 0; i < n; i++) {
            mean[i] = spec.normalisation().featureMean()[i];
            std[i] = spec.normalisation().featureStd()[i];
            double[] range = settings.ranges().get(features.get(i));
            rangeLow[i] = range == null ? Double.NEGATIVE_INFINITY : range[0];
            rangeHigh[i] = range == null ? Double.POSITIVE_INFINITY : range[1];
            low[i] = Math.max(rangeLow[i], mean[i] - maxAbsZ * std[i]);
            high[i] = Math.min(rangeHigh[i], mean[i] + maxAbsZ * std[i]);
        }
    }

    /** Null when every feature lies within its bounds; else why the first one that does not is implausible. */
    String why(float[] values) {
        for (int i = 0; i < low.length; i++) {
            double v = values[i];
            if (v >= low[i] && v <= high[i]) {
                continue;
            }
            String what = "feature '" + features.get(i) + "' is " + values[i];
            if (v < rangeLow[i] || v > rangeHigh[i]) {
                return what + ", outside its " + Plausibility.RANGE + " [" + rangeLow[i] + ", " + rangeHigh[i] + "]";
            }
            return what
                    + String.format(
                            Locale.ROOT,
                            ", %.3g standard deviations from the model's mean %s (std %s); event.max-abs-z is %s",
                            Math.abs(v - mean[i]) / std[i],
                            (float) mean[i],
                            (float) std[i],
                            maxAbsZ);
        }
        return null;
    }
}
