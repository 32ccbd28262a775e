package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.CombinationRule;
import io.lstmforecast.state.ForecastPolicy;
import io.lstmforecast.state.RollingError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a series model combined with persistence could serve at best (ETTh1, NYC taxi), beside what the job serves: the
 * diagnostics behind docs/EVALUATION.md's account of where the served forecast misses a target. Streams the rows
 * through the job's code path once ({@link StreamedSeries}, default policy) and prints, for the validation and the test
 * rows, the error (ETTh1: MSE, z-scored; NYC taxi: MAPE) of
 *
 * <ul>
 *   <li>persistence, the model alone, and what the job serves (the online combination);
 *   <li>the model with, per step k, the one weight w_k that minimises the validation rows' squared error, held fixed;
 *   <li>the same weights fitted on the test rows: a bound no rule reaches, as it knows the test's errors in advance;
 *   <li>the model's forecast less its own mean k-step error so far (an exponentially weighted mean over about W scored
 *       forecasts, each known only k events after it was made): an online bias correction;
 *   <li>exponential weights over two experts (the model, persistence) and over three (the model, the model less its
 *       bias, persistence), with the job's rate and window but no population prior (a series is one entity, whose own
 *       evidence soon outweighs it): the two-expert row shows how close this sketch comes to what the job serves, the
 *       three-expert row what a bias-corrected expert would add. Neither is what the job runs.
 * </ul>
 *
 * <pre>
 *   java -cp target/lstm-forecast.jar io.lstmforecast.eval.CombinationBounds BUNDLE [ETTh1.csv]
 * </pre>
 *
 * BUNDLE is a folder {@code evaluate --task ett --bundle-out} wrote.
 */
public final class CombinationBounds {
    static final int[] BIAS_WINDOWS = {500, 2000};
    /** The bias window of the three-expert sketch. */
    static final int HEDGED_BIAS_WINDOW = 2000;

    private CombinationBounds() {}

    /** The rows to score: validation [validationFrom, testFrom), test [testFrom, end), by the data set's metric. */
    private record Series(String title, double[] values, int validationFrom, int testFrom, int end, Metric metric) {}

    interface Metric {
        /** The error of the forecasts {@code byOrigin} whose targets lie in rows [from, to). */
        double of(double[][] byOrigin, int from, int to);
    }

    public static void main(String[] args) throws Exception {
        boolean taxi = args.length > 0 && args[0].equals("--taxi");
        String[] rest = taxi ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (rest.length < 1 || rest.length > 2 || !Files.isRegularFile(Path.of(rest[0], ModelBundle.SPEC_FILE))) {
            System.err.println("error: give BUNDLE (a folder evaluate --task ett --bundle-out wrote) and optionally"
                    + " the ETTh1 csv (default data/ett/ETTh1.csv); or --taxi BUNDLE [nyc_taxi.csv]");
            System.exit(2);
        }
        ModelBundle bundle = ModelBundle.read(Path.of(rest[0]));
        int h = bundle.model().horizon();
        Series series;
        StreamedSeries s;
        if (taxi) {
            Path csv = Path.of(rest.length == 2 ? rest[1] : "data/nyc_taxi/nyc_taxi.csv");
            double[] counts = NycTaxi.counts(csv);
            s = StreamedSeries.stream(bundle.model(), counts, NycTaxi.times(csv), ForecastPolicy.DEFAULT);
            Metric mape = (f, from, to) -> NycTaxi.mape(counts, StreamedSeries.shifted(f, NycTaxi.AHEAD), from, to);
            series = new Series(
                    "NYC taxi, MAPE " + NycTaxi.AHEAD + " steps ahead",
                    counts,
                    NycTaxi.SCORED_FROM * 4 / 5,
                    NycTaxi.SCORED_FROM,
                    counts.length,
                    mape);
        } else {
            Ett ett = Ett.load(Path.of(rest.length == 2 ? rest[1] : "data/ett/ETTh1.csv"));
            s = StreamedSeries.stream(bundle.model(), ett.values(), ett.times(), ForecastPolicy.DEFAULT);
            Metric mse = (f, from, to) -> ett.errors(f, h, from, to).mse();
            series = new Series(
                    "ETTh1 H=" + h + ", MSE (z-scored)",
                    ett.values(),
                    Ett.TRAIN_END,
                    Ett.VALIDATION_END,
                    Ett.TEST_END,
                    mse);
        }
        print(series, s.model(), s.forecast());
    }

    private static void print(Series series, double[][] model, double[][] served) {
        double[] values = series.values();
        double[][] persistence = StreamedSeries.persistence(values, model[0].length);
        double[] fitOnValidation = bestWeights(values, model, persistence, series.validationFrom(), series.testFrom());
        double[] fitOnTest = bestWeights(values, model, persistence, series.testFrom(), series.end());
        System.out.printf(Locale.ROOT, "| %s | validation | test |%n|---|---|---|%n", series.title());
        row(series, "persistence", persistence);
        row(series, "the model alone", model);
        row(series, "served (combine: online, the default rule)", served);
        row(series, "weights per step fitted on validation, fixed", mix(model, persistence, fitOnValidation));
        row(series, "weights per step fitted on the test rows (a bound)", mix(model, persistence, fitOnTest));
        for (int w : BIAS_WINDOWS) {
            row(series, "the model less its mean k-step error, W=" + w, lessBias(model, values, w));
        }
        CombinationRule rule = CombinationRule.DEFAULT;
        row(series, "exponential weights, model and persistence", hedge(values, rule, model, persistence));
        double[][] corrected = lessBias(model, values, HEDGED_BIAS_WINDOW);
        row(
                series,
                "exponential weights, model, model less its bias (W=" + HEDGED_BIAS_WINDOW + ") and persistence",
                hedge(values, rule, model, corrected, persistence));
        int h = model[0].length;
        int first = Math.min(h, 24);
        int lastThird = h - h / 3 + 1;
        System.out.printf(
                Locale.ROOT,
                "%n| mean error (forecast - actual) on the test rows, in the series' units | steps 1-%d | steps %d-%d |%n"
                        + "|---|---|---|%n",
                first,
                lastThird,
                h);
        row(values, "persistence", persistence, first, lastThird, series);
        row(values, "the model alone", model, first, lastThird, series);
    }

    private static void row(Series series, String label, double[][] byOrigin) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.4f | %.4f |%n",
                label,
                series.metric().of(byOrigin, series.validationFrom(), series.testFrom()),
                series.metric().of(byOrigin, series.testFrom(), series.end()));
    }

    private static void row(double[] values, String label, double[][] f, int first, int lastThird, Series series) {
        int h = f[0].length;
        System.out.printf(
                Locale.ROOT,
                "| %s | %.4f | %.4f |%n",
                label,
                meanError(values, f, 1, first, series.testFrom(), series.end()),
                meanError(values, f, lastThird, h, series.testFrom(), series.end()));
    }

    /** Mean of forecast - actual over steps [k1, k2] of the forecasts whose targets lie in rows [from, to). */
    static double meanError(double[] values, double[][] byOrigin, int k1, int k2, int from, int to) {
        int h = byOrigin[0].length;
        double sum = 0;
        long n = 0;
        for (int t = from - 1; t + h < to; t++) {
            for (int k = k1; k <= k2; k++) {
                sum += byOrigin[t][k - 1] - values[t + k];
                n++;
            }
        }
        return sum / n;
    }

    /**
     * Per step k, the weight w in [0, 1] of the model that minimises the squared error of w * model + (1 - w) *
     * baseline over the forecasts whose targets lie in rows [from, to) (least squares on the error difference).
     */
    static double[] bestWeights(double[] values, double[][] model, double[][] baseline, int from, int to) {
        int h = model[0].length;
        double[] w = new double[h];
        for (int k = 1; k <= h; k++) {
            double num = 0;
            double den = 0;
            for (int t = from - 1; t + h < to; t++) {
                double em = model[t][k - 1] - values[t + k];
                double eb = baseline[t][k - 1] - values[t + k];
                num += eb * (eb - em);
                den += (eb - em) * (eb - em);
            }
            w[k - 1] = den > 0 ? Math.max(0, Math.min(1, num / den)) : 0;
        }
        return w;
    }

    static double[][] mix(double[][] model, double[][] baseline, double[] w) {
        double[][] out = new double[model.length][w.length];
        for (int t = 0; t < model.length; t++) {
            for (int k = 0; k < w.length; k++) {
                out[t][k] = w[k] * model[t][k] + (1 - w[k]) * baseline[t][k];
            }
        }
        return out;
    }

    /**
     * Exponentially weighted average forecaster over the experts' forecasts (each [origin][k - 1]), per step k: weight
     * of expert i proportional to exp(-eta * n_k * L_ik / mean_j L_jk), L_ik its rolling mean squared k-step error over
     * about {@link RollingError#WINDOW} scored forecasts made from age {@code rule.ownFrom()} on, n_k the evidence
     * they hold. With two experts this is the job's rule ({@code CombinationWeights}) without the population prior.
     */
    static double[][] hedge(double[] values, CombinationRule rule, double[][]... experts) {
        int n = values.length;
        int h = experts[0][0].length;
        double[][] loss = new double[experts.length][h];
        double[][] out = new double[n][h];
        for (int t = 0; t < n; t++) {
            for (int k = 1; k <= Math.min(h, t); k++) {
                long count = t - (k - 1) - rule.ownFrom();
                if (count > 0) {
                    for (int i = 0; i < experts.length; i++) {
                        double e = experts[i][t - k][k - 1] - values[t];
                        loss[i][k - 1] += (e * e - loss[i][k - 1]) / Math.min(count, RollingError.WINDOW);
                    }
                }
            }
            for (int k = 1; k <= h; k++) {
                long evidence = Math.max(0, Math.min(t - (k - 1) - rule.ownFrom(), RollingError.WINDOW));
                double mean = 0;
                double lowest = Double.MAX_VALUE;
                for (double[] l : loss) {
                    mean += l[k - 1] / experts.length;
                    lowest = Math.min(lowest, l[k - 1]);
                }
                double scale = mean > 0 ? rule.eta() * evidence / mean : 0;
                double sum = 0;
                double mixed = 0;
                for (int i = 0; i < experts.length; i++) {
                    double w = Math.exp(-scale * (loss[i][k - 1] - lowest));
                    sum += w;
                    mixed += w * experts[i][t][k - 1];
                }
                out[t][k - 1] = mixed / sum;
            }
        }
        return out;
    }

    /**
     * The forecast at each row less the mean k-step error of the forecasts scored before it: at row t the k-step
     * forecast made at t - k is scored, then the one made at t is corrected.
     */
    static double[][] lessBias(double[][] forecast, double[] values, int window) {
        int h = forecast[0].length;
        double[] bias = new double[h];
        long[] scored = new long[h];
        double[][] out = new double[forecast.length][h];
        for (int t = 0; t < forecast.length; t++) {
            for (int k = 1; k <= Math.min(h, t); k++) {
                double e = forecast[t - k][k - 1] - values[t];
                scored[k - 1]++;
                bias[k - 1] += (e - bias[k - 1]) / Math.min(scored[k - 1], window);
            }
            for (int k = 0; k < h; k++) {
                out[t][k] = forecast[t][k] - bias[k];
            }
        }
        return out;
    }
}
