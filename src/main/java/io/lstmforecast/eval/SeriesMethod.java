package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.ForecastPolicy;
import io.lstmforecast.train.BundleExport;
import io.lstmforecast.train.Series;
import io.lstmforecast.train.TrainConfig;
import io.lstmforecast.train.Trainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The one forecasting method for a univariate series, used unchanged on every series (NYC taxi, ETT, any other):
 * an LSTM reads the value and the calendar features of its time, and a direct head outputs the correction to
 * persistence at every step of the horizon (the change from the last value). Predicting no change is persistence,
 * so the model starts from the baseline and learns what it can add. Its settings were compared on the validation
 * splits of NYC taxi and ETTh1 (docs/EVALUATION.md shows the figures, and why the augmentation was a close call).
 */
public final class SeriesMethod {
    private SeriesMethod() {}

    /**
     * @param window   steps per training window (the first quarter only warms the state)
     * @param stride   steps between training windows
     * @param direct   a direct head (all steps at once); else a one-step head fed back by the job
     * @param residual the head predicts the change from the last value (a correction to persistence)
     * @param augment  also train on copies of the training rows at other levels and scales (see {@link #AUGMENTATIONS}),
     *                 so the corrections depend on the series' recent movements rather than on its level
     * @param epochWindows training windows drawn per epoch (0: all)
     * @param carry    train on the whole training rows in consecutive windows, the state carried from one to the next
     *                 (truncated back-propagation through time, {@link TrainConfig.Carry}, warm-up one window), as
     *                 the job carries an entity's state over its whole life; else every window starts from zeros
     * @param stateNoise with {@code carry}, the standard deviation of the noise added to the state handed from one
     *                 window to the next ({@link TrainConfig.Carry#noise}; 0: none)
     * @param stateReset with {@code carry}, the chance per window that the state is not handed on ({@link
     *                 TrainConfig.Carry#reset}; 0: never)
     * @param streamedChoice choose the epoch (and stop) by the validation rows streamed through the job's code path
     *                 from row 0 ({@link StreamedSeries}, the state carried as the job carries it): the model's mean
     *                 squared error over every step there, as a fraction of persistence's; else by the trainer's
     *                 validation loss
     */
    public record Settings(
            int hidden,
            int window,
            int stride,
            double learningRate,
            int epochs,
            int patience,
            List<String> timeFeatures,
            boolean direct,
            boolean residual,
            boolean augment,
            int epochWindows,
            boolean carry,
            double stateNoise,
            double stateReset,
            boolean streamedChoice,
            long seed) {}

    public static final Settings DEFAULT = new Settings(
            32,
            96,
            4,
            0.003,
            40,
            9,
            List.of("hour-of-day", "day-of-week"),
            true,
            true,
            true,
            4000,
            true,
            0,
            0,
            true,
            1);

    /**
     * The copies of the training rows when augmenting, as (scale, offset in training standard deviations) about the
     * training mean: v' = mean + scale (v - mean) + offset std. A series met later may sit at another level, or move
     * less (ETTh1's test months move about half as much per hour as its training year).
     */
    static final double[][] AUGMENTATIONS = {{1, 0}, {1, -1}, {1, 1}, {0.5, 0}, {0.5, -1}, {0.5, 1}};

    /**
     * Trains on rows [0, trainEnd), stopping early on rows [trainEnd, validationEnd), and returns the bundle the
     * job runs: forecasts of {@code horizon} steps, baseline persistence.
     */
    public static ModelBundle train(
            Settings s,
            String name,
            String feature,
            double[] values,
            long[] times,
            int trainEnd,
            int validationEnd,
            int horizon,
            String description,
            PrintStream progress) {
        TrainConfig c = new TrainConfig(
                s.hidden(),
                1,
                s.window(),
                s.epochs(),
                32,
                s.learningRate(),
                s.seed(),
                0,
                s.patience(),
                1.0,
                s.residual(),
                0,
                s.direct() ? horizon : 0,
                s.direct() ? s.timeFeatures() : List.of(),
                s.stride(),
                true,
                s.epochWindows(),
                false,
                s.carry() ? new TrainConfig.Carry(s.window(), s.stateNoise(), s.stateReset()) : null);
        // The validation part starts a quarter window early: that quarter only warms the state of its first window.
        int validationStart = Math.max(0, trainEnd - s.window() / 4);
        double[][] copies = s.augment() ? AUGMENTATIONS : new double[][] {{1, 0}};
        Function<Trainer.Result, ModelBundle> export = r -> BundleExport.toBundle(
                r, name, "1", List.of(feature), List.of(feature), horizon, s.residual(), description, "persistence");
        Trainer trainer = new Trainer(c, progress);
        if (s.streamedChoice()) {
            trainer = trainer.choosingBy(
                    streamedValidation(export, Arrays.copyOf(values, validationEnd), times, trainEnd, horizon));
        }
        Trainer.Result r = trainer.train(
                part(values, times, 0, trainEnd, copies),
                part(values, times, validationStart, validationEnd, new double[][] {{1, 0}}),
                new int[] {0});
        return export.apply(r);
    }

    /**
     * A candidate's score: {@code values} (the rows up to the end of validation) streamed from row 0 as the job streams
     * them, and the model's own mean squared error over every step of the forecasts whose targets lie in rows
     * [validationFrom, end), as a fraction of persistence's there (below 1: better than persistence).
     */
    static Trainer.EpochScore streamedValidation(
            Function<Trainer.Result, ModelBundle> export,
            double[] values,
            long[] times,
            int validationFrom,
            int horizon) {
        double[][] persistence = new double[values.length][horizon];
        for (int t = 0; t < values.length; t++) {
            Arrays.fill(persistence[t], values[t]);
        }
        long[] rowTimes = Arrays.copyOf(times, values.length);
        // Intervals change no forecast: a candidate streams without their bookkeeping.
        ForecastPolicy policy = ForecastPolicy.DEFAULT.withIntervalCoverage(0);
        return candidate -> {
            StreamedSeries s = StreamedSeries.stream(export.apply(candidate).model(), values, rowTimes, policy);
            return s.meanSquaredError(s.model(), validationFrom, values.length)
                    / s.meanSquaredError(persistence, validationFrom, values.length);
        };
    }

    /** Rows [from, to) as one series per (scale, offset) copy, scaled about the mean of those rows. */
    private static Series part(double[] values, long[] times, int from, int to, double[][] copies) {
        double mean = Arrays.stream(values, from, to).average().orElse(0);
        double std = Math.sqrt(Arrays.stream(values, from, to)
                .map(v -> (v - mean) * (v - mean))
                .average()
                .orElse(0));
        List<double[][]> series = new ArrayList<>();
        List<long[]> seriesTimes = new ArrayList<>();
        for (double[] copy : copies) {
            double[][] rows = new double[to - from][];
            for (int i = from; i < to; i++) {
                rows[i - from] = new double[] {mean + copy[0] * (values[i] - mean) + copy[1] * std};
            }
            series.add(rows);
            seriesTimes.add(Arrays.copyOfRange(times, from, to));
        }
        return Series.selfForecast(series, seriesTimes, new int[] {0});
    }
}
