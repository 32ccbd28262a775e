package io.lstmforecast.state;

/** The share of recent actual values that fell inside their interval: an exponentially weighted mean over about 1000. */
final class CoverageMeter {
    private static final int WINDOW = 1000;
    private long count;
    private double share = Double.NaN;

    void add(boolean covered) {
        count++;
        double hit = covered ? 1 : 0;
        share = count == 1 ? hit : share + (hit - share) / Math.min(count, WINDOW);
    }

    double value() {
        return share;
    }
}
