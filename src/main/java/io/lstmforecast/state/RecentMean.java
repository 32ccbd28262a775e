package io.lstmforecast.state;

/**
 * An exponentially weighted mean of the last about 1000 values: what the operator's gauges report (the share of actual
 * values inside their interval, the one-step skill of recent forecasts). NaN values are skipped.
 */
final class RecentMean {
    private static final int WINDOW = 1000;
    private long count;
    private double mean = Double.NaN;

    void add(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        count++;
        mean = count == 1 ? value : mean + (value - mean) / Math.min(count, WINDOW);
    }

    double value() {
        return mean;
    }
}
