package io.lstmforecast.train;

import java.util.List;

/**
 * Training data: several series (one per entity), each a sequence of input rows and of target
 * rows at the same times, in raw units, and optionally each row's event time (epoch millis, for
 * time features). The model learns to predict the targets one step ahead, or H steps with a direct head.
 *
 * @param inputs  per series, [time][feature]
 * @param targets per series, [time][target]
 * @param times   per series, the event time of each row; null when the series have none
 */
public record Series(List<double[][]> inputs, List<double[][]> targets, List<long[]> times) {
    public Series {
        if (inputs.size() != targets.size() || inputs.isEmpty()) {
            throw new IllegalArgumentException("need at least one series, with inputs and targets for each");
        }
        for (int s = 0; s < inputs.size(); s++) {
            if (inputs.get(s).length != targets.get(s).length) {
                throw new IllegalArgumentException("series " + s + " has " + inputs.get(s).length + " input rows but "
                        + targets.get(s).length + " target rows");
            }
            if (times != null && times.get(s).length != inputs.get(s).length) {
                throw new IllegalArgumentException(
                        "series " + s + " has " + inputs.get(s).length + " rows but " + times.get(s).length + " times");
            }
        }
    }

    public Series(List<double[][]> inputs, List<double[][]> targets) {
        this(inputs, targets, null);
    }

    /** Series whose targets are some of their own input columns (forecasting a stream from itself). */
    public static Series selfForecast(List<double[][]> rows, int[] targetColumns) {
        return selfForecast(rows, null, targetColumns);
    }

    /** Likewise, with each row's event time. */
    public static Series selfForecast(List<double[][]> rows, List<long[]> times, int[] targetColumns) {
        List<double[][]> targets = rows.stream()
                .map(r -> {
                    double[][] t = new double[r.length][targetColumns.length];
                    for (int i = 0; i < r.length; i++) {
                        for (int k = 0; k < targetColumns.length; k++) {
                            t[i][k] = r[i][targetColumns[k]];
                        }
                    }
                    return t;
                })
                .toList();
        return new Series(rows, targets, times);
    }

    public int featureCount() {
        return inputs.get(0)[0].length;
    }

    public int targetCount() {
        return targets.get(0)[0].length;
    }
}
