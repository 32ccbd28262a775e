package io.lstmforecast.train;

import java.util.List;

/**
 * Training data: several series (one per entity), each a sequence of input rows and of target
 * rows at the same times, in raw units. The model learns to predict the targets one step ahead.
 *
 * @param inputs  per series, [time][feature]
 * @param targets per series, [time][target]
 */
public record Series(List<double[][]> inputs, List<double[][]> targets) {
    public Series {
        if (inputs.size() != targets.size() || inputs.isEmpty()) {
            throw new IllegalArgumentException("need at least one series, with inputs and targets for each");
        }
        for (int s = 0; s < inputs.size(); s++) {
            if (inputs.get(s).length != targets.get(s).length) {
                throw new IllegalArgumentException("series " + s + " has " + inputs.get(s).length + " input rows but "
                        + targets.get(s).length + " target rows");
            }
        }
    }

    /** Series whose targets are some of their own input columns (forecasting a stream from itself). */
    public static Series selfForecast(List<double[][]> rows, int[] targetColumns) {
        List<double[][]> targets = rows.stream().map(r -> {
            double[][] t = new double[r.length][targetColumns.length];
            for (int i = 0; i < r.length; i++) {
                for (int k = 0; k < targetColumns.length; k++) {
                    t[i][k] = r[i][targetColumns[k]];
                }
            }
            return t;
        }).toList();
        return new Series(rows, targets);
    }

    public int featureCount() {
        return inputs.get(0)[0].length;
    }

    public int targetCount() {
        return targets.get(0)[0].length;
    }
}
