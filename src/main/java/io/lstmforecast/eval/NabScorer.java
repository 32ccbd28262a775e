package io.lstmforecast.eval;

import java.util.List;

/**
 * Scores binary anomaly detections the way the Numenta Anomaly Benchmark does (nab/sweeper.py):
 * inside a labelled window the earliest detection earns up to the TP weight, scaled by a sigmoid of
 * its position in the window; a window without detection costs the FN weight; a detection outside
 * every window costs up to the FP weight, less the closer it follows the previous window; the first
 * 15 % of each file (at most 750 rows) is a probationary period that is not scored. The normalised
 * score is 100 * (raw - null) / (perfect - null), where the null detector misses every window and
 * the perfect one detects each at its left edge.
 */
public final class NabScorer {
    private NabScorer() {}

    /** A NAB profile's weights (config/profiles.json). */
    public record CostMatrix(String name, double tpWeight, double fpWeight, double fnWeight) {
        public static final CostMatrix STANDARD = new CostMatrix("standard", 1.0, 0.11, 1.0);
        public static final CostMatrix LOW_FP = new CostMatrix("reward_low_FP_rate", 1.0, 0.22, 1.0);
        public static final CostMatrix LOW_FN = new CostMatrix("reward_low_FN_rate", 1.0, 0.11, 2.0);
    }

    /** One file's raw score and counts; {@code windows} counts the scored windows. */
    public record FileScore(double raw, int windows, int truePositives, int falsePositives, int falseNegatives) {}

    /** NAB's scaled sigmoid of a relative position: -1 at a window's left edge gives 0.98661, 0 gives 0. */
    static double scaledSigmoid(double position) {
        return position >= 3.0 ? -1.0 : 2.0 / (1.0 + Math.exp(5.0 * position)) - 1.0;
    }

    static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
    }

    /**
     * @param windows    labelled windows as inclusive row ranges {start, end}, in order, not overlapping
     * @param detections one flag per row: the detector raised an alert at that row
     */
    public static FileScore score(List<int[]> windows, boolean[] detections, CostMatrix cost) {
        int rows = detections.length;
        int probation = probationaryLength(rows);
        double maxTp = scaledSigmoid(-1.0);
        double[] best = new double[windows.size()];
        boolean[] scored = new boolean[windows.size()];
        boolean[] detected = new boolean[windows.size()];
        double falsePositiveScore = 0;
        int falsePositives = 0;
        int next = 0;
        int current = -1;
        int previousRight = -1;
        double previousWidth = 0;
        for (int i = 0; i < rows; i++) {
            if (current < 0 && next < windows.size() && windows.get(next)[0] == i) {
                current = next++;
                best[current] = -cost.fnWeight();
            }
            boolean scorable = i >= probation;
            if (current >= 0) {
                int[] w = windows.get(current);
                double width = w[1] - w[0] + 1;
                scored[current] |= scorable;
                if (scorable && detections[i]) {
                    double position = -(w[1] - i + 1) / width;
                    best[current] = Math.max(best[current], scaledSigmoid(position) * cost.tpWeight() / maxTp);
                    detected[current] = true;
                }
                if (i == w[1]) {
                    previousRight = i;
                    previousWidth = width;
                    current = -1;
                }
            } else if (scorable && detections[i]) {
                double past = previousRight < 0 ? 3.0 : Math.abs(previousRight - i) / (previousWidth - 1);
                falsePositiveScore += scaledSigmoid(past) * cost.fpWeight();
                falsePositives++;
            }
        }
        double raw = falsePositiveScore;
        int counted = 0;
        int truePositives = 0;
        for (int w = 0; w < windows.size(); w++) {
            if (scored[w]) {
                raw += best[w];
                counted++;
                truePositives += detected[w] ? 1 : 0;
            }
        }
        return new FileScore(raw, counted, truePositives, falsePositives, counted - truePositives);
    }

    /** The corpus score normalised between the null detector (0) and the perfect detector (100). */
    public static double normalised(List<FileScore> files, CostMatrix cost) {
        double raw = files.stream().mapToDouble(FileScore::raw).sum();
        int windows = files.stream().mapToInt(FileScore::windows).sum();
        double nullScore = -cost.fnWeight() * windows;
        double perfect = cost.tpWeight() * windows;
        return 100.0 * (raw - nullScore) / (perfect - nullScore);
    }
}
