package io.lstmforecast.train;

import io.lstmforecast.model.TimeFeatures;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains an {@link LstmRegressor} to predict each series' targets one step ahead: normalises with
 * statistics of the training part, cuts windows, and runs Adam on the mean squared error with
 * gradient clipping and early stopping on the held-out end of every series. Every window starts
 * from zero state, as an entity does, and its first quarter only warms the state: it is not scored,
 * because the first steps of an entity cannot be predicted from its history (it has none yet).
 * A direct head is trained on all its steps at every scored step of a window; its targets may lie past the
 * window's end (within the series). With a rollout, the last steps of each window run closed-loop on the model's own forecasts, so
 * the recursive multi-step horizon is what gets trained, not only the one-step prediction.
 */
public final class Trainer {
    private final TrainConfig config;
    private final PrintStream progress;
    private final EpochScore score;

    public Trainer(TrainConfig config, PrintStream progress) {
        this(config, progress, null);
    }

    private Trainer(TrainConfig config, PrintStream progress, EpochScore score) {
        this.config = config;
        this.progress = progress;
        this.score = score;
    }

    /** This trainer choosing the epoch, and stopping, by {@code score} instead of its own validation loss. */
    public Trainer choosingBy(EpochScore score) {
        return new Trainer(config, progress, score);
    }

    /** The result: the best model (by validation loss), its normalisation, the losses, and how it was trained. */
    public record Result(
            LstmRegressor model,
            Normalisation norm,
            double trainLoss,
            double validationLoss,
            int epochs,
            TrainConfig config) {}

    /**
     * Mean and std of the inputs (time features: 0 and 1, they enter unscaled as the job feeds them), and per target
     * of what the head predicts (the targets, or their changes for a residual model, pooled over a direct head's
     * steps), fitted on the training part only.
     */
    public record Normalisation(double[] featureMean, double[] featureStd, double[] targetMean, double[] targetStd) {}

    /**
     * One window: normalised inputs and, per step, the normalised values the head should output (null: not scored),
     * scored from step {@code scoredFrom} on, starting from state {@code start} ([h, c][layer][unit]; null: zeros).
     */
    record Window(double[][] x, double[][] y, int scoredFrom, double[][][] start) {
        /** A window from zero state whose first quarter only warms the state. */
        Window(double[][] x, double[][] y) {
            this(x, y, y.length / 4, null);
        }
    }

    /**
     * How a candidate model scores on the validation data, lower is better: the trainer keeps the epoch that scores
     * lowest, and stops after {@code patience} epochs without a lower score. Without one, the windowed (or, with a
     * carried state, streamed) validation loss decides.
     */
    @FunctionalInterface
    public interface EpochScore {
        double score(Result candidate);
    }

    /**
     * Trains on {@code data}, holding out the last {@code validation} fraction of every series.
     *
     * @param targetColumns the input column of each target, or null when the targets are not inputs
     *                      (then neither residual heads nor rollout apply)
     */
    public Result train(Series data, int[] targetColumns) {
        Series d = withTimeFeatures(data);
        List<double[][]> trainIn = new ArrayList<>();
        List<double[][]> trainOut = new ArrayList<>();
        List<double[][]> valIn = new ArrayList<>();
        List<double[][]> valOut = new ArrayList<>();
        for (int s = 0; s < d.inputs().size(); s++) {
            double[][] in = d.inputs().get(s);
            double[][] targets = d.targets().get(s);
            int cut = (int) Math.round(in.length * (1 - config.validation()));
            // Each part's head targets come from that part only: no training target looks into the held-out end.
            double[][] head = Arrays.copyOfRange(in, 0, cut);
            trainIn.add(head);
            trainOut.add(heads(head, Arrays.copyOfRange(targets, 0, cut), targetColumns));
            double[][] tail = Arrays.copyOfRange(in, cut, in.length);
            valIn.add(tail);
            valOut.add(heads(tail, Arrays.copyOfRange(targets, cut, in.length), targetColumns));
        }
        return fit(d, trainIn, trainOut, valIn, valOut, targetColumns);
    }

    /** Trains on {@code train} and selects the epoch on a separate {@code validation} set (e.g. a data set's val split). */
    public Result train(Series train, Series validation, int[] targetColumns) {
        Series t = withTimeFeatures(train);
        Series v = withTimeFeatures(validation);
        List<double[][]> trainOut = new ArrayList<>();
        List<double[][]> valOut = new ArrayList<>();
        for (int s = 0; s < t.inputs().size(); s++) {
            trainOut.add(heads(t.inputs().get(s), t.targets().get(s), targetColumns));
        }
        for (int s = 0; s < v.inputs().size(); s++) {
            valOut.add(heads(v.inputs().get(s), v.targets().get(s), targetColumns));
        }
        return fit(t, t.inputs(), trainOut, v.inputs(), valOut, targetColumns);
    }

    /** The series with each row's time features (computed by the job's own {@link TimeFeatures}) after its features. */
    private Series withTimeFeatures(Series data) {
        List<TimeFeatures> features = TimeFeatures.parseAll(config.timeFeatures());
        if (features.isEmpty()) {
            return data;
        }
        if (data.times() == null) {
            throw new IllegalArgumentException("time features " + config.timeFeatures() + " need the rows' times");
        }
        int width = TimeFeatures.width(features);
        List<double[][]> inputs = new ArrayList<>();
        float[] row = new float[width];
        for (int s = 0; s < data.inputs().size(); s++) {
            double[][] in = data.inputs().get(s);
            long[] times = data.times().get(s);
            double[][] wide = new double[in.length][];
            for (int t = 0; t < in.length; t++) {
                TimeFeatures.write(features, times[t], row, 0);
                wide[t] = Arrays.copyOf(in[t], in[t].length + width);
                for (int k = 0; k < width; k++) {
                    wide[t][in[t].length + k] = row[k];
                }
            }
            inputs.add(wide);
        }
        return new Series(inputs, data.targets(), data.times());
    }

    private Result fit(
            Series data,
            List<double[][]> trainIn,
            List<double[][]> trainOut,
            List<double[][]> valIn,
            List<double[][]> valOut,
            int[] targetColumns) {
        Random random = new Random(config.seed());
        int targets = data.targetCount();
        int timeWidth = TimeFeatures.width(TimeFeatures.parseAll(config.timeFeatures()));
        double[] featureMean = mean(trainIn);
        double[] featureStd = std(trainIn);
        for (int k = featureMean.length - timeWidth; k < featureMean.length; k++) {
            featureMean[k] = 0;
            featureStd[k] = 1;
        }
        Normalisation norm = new Normalisation(
                featureMean, featureStd, pooled(mean(trainOut), targets), pooledStd(trainOut, targets));
        TrainConfig.Carry carry = config.carry();
        List<Window> train = carry == null ? windows(trainIn, trainOut, norm) : whole(trainIn, trainOut, norm, 0);
        List<Window> validation =
                carry == null ? windows(valIn, valOut, norm) : whole(valIn, valOut, norm, carry.warmup());
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training window of " + config.window() + " steps"
                    + (config.directHorizon() > 0 ? " plus a horizon of " + config.directHorizon() : "")
                    + ": the series are too short");
        }
        LstmRegressor model = new LstmRegressor(
                data.featureCount(), config.hidden(), config.layers(), targets * config.headSteps(), config.seed());
        LstmRegressor.Feedback feedback = config.rollout() > 0 && targetColumns != null
                ? new LstmRegressor.Feedback(
                        Math.max(1, config.window() - config.rollout()),
                        targetColumns,
                        config.residual(),
                        norm.featureMean(),
                        norm.featureStd(),
                        norm.targetMean(),
                        norm.targetStd())
                : null;
        Adam adam = new Adam(model.params.length, config.learningRate());
        int decayEvery = Math.max(1, config.patience() / 3);
        double[] best = model.params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        double trainLoss = Double.NaN;
        int stale = 0;
        int epoch = 0;
        long start = System.nanoTime();
        while (epoch < config.epochs() && stale < config.patience()) {
            trainLoss = carry == null
                    ? windowedEpoch(model, train, feedback, adam, random)
                    : carriedEpoch(model, train, carry, adam, random);
            double valLoss = score != null
                    ? score.score(new Result(model, norm, trainLoss, Double.NaN, epoch + 1, config))
                    : validation.isEmpty() ? trainLoss : lossAndGradient(model, validation, feedback, null);
            epoch++;
            if (valLoss < bestLoss) {
                bestLoss = valLoss;
                best = model.params.clone();
                stale = 0;
            } else {
                stale++;
                // Reduce on plateau: a smaller step often finds the lower loss a larger one keeps stepping over.
                if (config.decayOnPlateau() && stale % decayEvery == 0) {
                    adam.learningRate(adam.learningRate() / 2);
                }
            }
            report(epoch, trainLoss, valLoss, bestLoss, start);
        }
        progress.println();
        System.arraycopy(best, 0, model.params, 0, best.length);
        return new Result(model, norm, trainLoss, bestLoss, epoch, config);
    }

    /** One epoch of shuffled windows from zero state, a batch per Adam step; returns the mean training loss. */
    private double windowedEpoch(
            LstmRegressor model, List<Window> train, LstmRegressor.Feedback feedback, Adam adam, Random random) {
        Collections.shuffle(train, random);
        List<Window> epochSet = config.epochWindows() > 0 && config.epochWindows() < train.size()
                ? train.subList(0, config.epochWindows())
                : train;
        double sum = 0;
        for (int b = 0; b < epochSet.size(); b += config.batchSize()) {
            List<Window> batch = epochSet.subList(b, Math.min(epochSet.size(), b + config.batchSize()));
            sum += step(model, batch, feedback, adam, null) * batch.size();
        }
        return sum / epochSet.size();
    }

    /**
     * One epoch of truncated back-propagation through time over the whole training series ({@link TrainConfig.Carry}):
     * passes until {@code epochWindows} chunks have been trained on; returns the mean training loss per chunk.
     */
    private double carriedEpoch(
            LstmRegressor model, List<Window> series, TrainConfig.Carry carry, Adam adam, Random random) {
        int w = config.window();
        double sum = 0;
        long chunks = 0;
        do {
            int offset = random.nextInt(w);
            double[][][][] state = new double[series.size()][][][];
            // The step from which each series' loss counts: after its warm-up, and again after a reset.
            int[] scoredFrom = new int[series.size()];
            Arrays.fill(scoredFrom, carry.warmup());
            int longest = series.stream().mapToInt(s -> s.x().length).max().orElse(0);
            // Chunk k of every series covers steps [offset + (k - 1) w, offset + k w), the first one [0, offset).
            for (int from = 0; from < longest; from = from == 0 && offset > 0 ? offset : from + w) {
                int to = from == 0 && offset > 0 ? offset : from + w;
                List<Window> batch = new ArrayList<>();
                List<Integer> which = new ArrayList<>();
                for (int s = 0; s < series.size(); s++) {
                    Window whole = series.get(s);
                    if (from < whole.x().length) {
                        int end = Math.min(to, whole.x().length);
                        batch.add(new Window(
                                Arrays.copyOfRange(whole.x(), from, end),
                                Arrays.copyOfRange(whole.y(), from, end),
                                Math.max(0, scoredFrom[s] - from),
                                state[s]));
                        which.add(s);
                    }
                }
                double[][][][] after = new double[batch.size()][][][];
                sum += step(model, batch, null, adam, after) * batch.size();
                for (int i = 0; i < after.length; i++) {
                    int s = which.get(i);
                    if (carry.reset() > 0 && random.nextDouble() < carry.reset()) {
                        state[s] = null;
                        scoredFrom[s] = to + carry.warmup();
                    } else {
                        state[s] = noisy(after[i], carry.noise(), random);
                    }
                }
                chunks += batch.size();
            }
        } while (chunks < config.epochWindows());
        return sum / chunks;
    }

    /** {@code state} with N(0, noise^2) added to every element; itself when noise is 0 (no random draw). */
    private static double[][][] noisy(double[][][] state, double noise, Random random) {
        if (noise == 0 || state == null) {
            return state;
        }
        for (double[][] layer : state) {
            for (double[] v : layer) {
                for (int j = 0; j < v.length; j++) {
                    v[j] += noise * random.nextGaussian();
                }
            }
        }
        return state;
    }

    /** One Adam step on the batch's clipped gradient; returns the batch's loss (before the step). */
    private double step(
            LstmRegressor model,
            List<Window> batch,
            LstmRegressor.Feedback feedback,
            Adam adam,
            double[][][][] finalStates) {
        double[] grad = new double[model.params.length];
        double loss = lossAndGradient(model, batch, feedback, grad, finalStates);
        clip(grad, config.clipNorm());
        adam.step(model.params, grad);
        return loss;
    }

    /**
     * Per step t, what the head must output: the targets at t+1 .. t+S (S = 1 for a one-step head), step-major,
     * each less its input value at t for a residual model; null where the series ends before t+S.
     */
    private double[][] heads(double[][] in, double[][] targets, int[] targetColumns) {
        int[] residualColumns = config.residual() ? targetColumns : null;
        int steps = config.headSteps();
        int k = targets.length == 0 ? 0 : targets[0].length;
        double[][] out = new double[in.length][];
        for (int t = 0; t + steps < in.length; t++) {
            out[t] = new double[steps * k];
            for (int s = 0; s < steps; s++) {
                for (int j = 0; j < k; j++) {
                    out[t][s * k + j] = targets[t + 1 + s][j] - base(in, t, s + 1, residualColumns, j);
                }
            }
        }
        return out;
    }

    /**
     * What a head output at row t for step k adds to: nothing, the target's last value (persistence), or its last
     * value plus k times its last change (constant velocity; the last value at a series' first row, as the job's
     * baseline does at an entity's first event).
     */
    private double base(double[][] in, int t, int k, int[] residualColumns, int j) {
        if (residualColumns == null) {
            return 0;
        }
        double last = in[t][residualColumns[j]];
        return config.velocityResidual() && t > 0 ? last + k * (last - in[t - 1][residualColumns[j]]) : last;
    }

    /** Mean squared error over the windows (all steps, all targets); adds its gradient when {@code grad} is given. */
    static double lossAndGradient(
            LstmRegressor model, List<Window> windows, LstmRegressor.Feedback feedback, double[] grad) {
        return lossAndGradient(model, windows, feedback, grad, null);
    }

    /**
     * The same over each window's scored steps that have a target, from each window's start state; with
     * {@code finalStates}, element i receives the state window i ended in. 0 when no step is scored.
     */
    static double lossAndGradient(
            LstmRegressor model,
            List<Window> windows,
            LstmRegressor.Feedback feedback,
            double[] grad,
            double[][][][] finalStates) {
        double sum = 0;
        long count = 0;
        for (Window w : windows) {
            for (int t = w.scoredFrom(); t < w.y().length; t++) {
                count += w.y()[t] == null ? 0 : model.outputs;
            }
        }
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            LstmRegressor.Trace tr = model.forward(w.x(), feedback, w.start());
            if (finalStates != null) {
                finalStates[i] = model.finalState(tr);
            }
            if (count == 0) {
                continue;
            }
            double[][] dy = new double[w.y().length][];
            for (int t = w.scoredFrom(); t < w.y().length; t++) {
                if (w.y()[t] == null) {
                    continue;
                }
                dy[t] = new double[model.outputs];
                for (int k = 0; k < model.outputs; k++) {
                    double e = tr.y[t][k] - w.y()[t][k];
                    sum += e * e;
                    dy[t][k] = 2 * e / count;
                }
            }
            if (grad != null) {
                model.backward(tr, dy, feedback, grad);
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * Each series as one window from zero state, scored from {@code warmup} on, ending at its last step with a target
     * (the state-carrying trainer cuts the training ones into chunks).
     */
    private static List<Window> whole(List<double[][]> in, List<double[][]> out, Normalisation n, int warmup) {
        List<Window> series = new ArrayList<>();
        for (int s = 0; s < in.size(); s++) {
            double[][] y = out.get(s);
            int usable = y.length;
            while (usable > 0 && y[usable - 1] == null) {
                usable--;
            }
            if (usable <= warmup) {
                continue;
            }
            double[][] wx = new double[usable][];
            double[][] wy = new double[usable][];
            double[] outMean = perOutput(n.targetMean(), y[0].length);
            double[] outStd = perOutput(n.targetStd(), y[0].length);
            for (int t = 0; t < usable; t++) {
                wx[t] = scale(in.get(s)[t], n.featureMean(), n.featureStd());
                wy[t] = y[t] == null ? null : scale(y[t], outMean, outStd);
            }
            series.add(new Window(wx, wy, warmup, null));
        }
        return series;
    }

    /**
     * Windows of {@code window} steps, {@code stride} apart, from zero state; they share the rows of the normalised
     * series (a direct head's targets are long: copies of them per window would not fit in memory at H = 720).
     */
    private List<Window> windows(List<double[][]> in, List<double[][]> out, Normalisation n) {
        List<Window> windows = new ArrayList<>();
        int w = config.window();
        for (Window series : whole(in, out, n, 0)) {
            for (int start = 0; start + w <= series.x().length; start += config.windowStride()) {
                windows.add(new Window(
                        Arrays.copyOfRange(series.x(), start, start + w),
                        Arrays.copyOfRange(series.y(), start, start + w)));
            }
        }
        return windows;
    }

    /** A per-target array repeated to {@code outputs} values, in a direct head's step-major output order. */
    private static double[] perOutput(double[] perTarget, int outputs) {
        double[] r = new double[outputs];
        for (int i = 0; i < r.length; i++) {
            r[i] = perTarget[i % perTarget.length];
        }
        return r;
    }

    /** Per-target means from per-output means (equal counts per output, so the mean of the means). */
    private static double[] pooled(double[] perOutput, int targets) {
        double[] r = new double[targets];
        for (int i = 0; i < perOutput.length; i++) {
            r[i % targets] += perOutput[i] / (perOutput.length / targets);
        }
        return r;
    }

    /** Per-target standard deviation over every step of a direct head (1 for a constant target). */
    private static double[] pooledStd(List<double[][]> rows, int targets) {
        double[] m = pooled(mean(rows), targets);
        double[] sq = new double[targets];
        long[] n = new long[targets];
        for (double[][] series : rows) {
            for (double[] r : series) {
                if (r == null) {
                    continue;
                }
                for (int i = 0; i < r.length; i++) {
                    double e = r[i] - m[i % targets];
                    sq[i % targets] += e * e;
                    n[i % targets]++;
                }
            }
        }
        for (int j = 0; j < targets; j++) {
            sq[j] = Math.sqrt(sq[j] / n[j]);
            if (!(sq[j] > 1e-12)) {
                sq[j] = 1;
            }
        }
        return sq;
    }

    static double[] scale(double[] v, double[] mean, double[] std) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (v[i] - mean[i]) / std[i];
        }
        return r;
    }

    private static double[] mean(List<double[][]> rows) {
        double[] sum = null;
        long n = 0;
        for (double[][] series : rows) {
            for (double[] r : series) {
                if (r == null) {
                    continue;
                }
                if (sum == null) {
                    sum = new double[r.length];
                }
                for (int i = 0; i < r.length; i++) {
                    sum[i] += r[i];
                }
                n++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    private static double[] std(List<double[][]> rows) {
        double[] m = mean(rows);
        double[] sq = new double[m.length];
        long n = 0;
        for (double[][] series : rows) {
            for (double[] r : series) {
                if (r == null) {
                    continue;
                }
                for (int i = 0; i < r.length; i++) {
                    sq[i] += (r[i] - m[i]) * (r[i] - m[i]);
                }
                n++;
            }
        }
        for (int i = 0; i < sq.length; i++) {
            // A constant column keeps std 1 so that scaling stays finite.
            sq[i] = Math.sqrt(sq[i] / n);
            if (!(sq[i] > 1e-12)) {
                sq[i] = 1;
            }
        }
        return sq;
    }

    static void clip(double[] grad, double maxNorm) {
        double norm = 0;
        for (double g : grad) {
            norm += g * g;
        }
        norm = Math.sqrt(norm);
        if (norm > maxNorm) {
            double s = maxNorm / norm;
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
    }

    private void report(int epoch, double train, double val, double best, long start) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = elapsed / epoch * (config.epochs() - epoch);
        int width = 30;
        int done = (int) Math.round(width * (double) epoch / config.epochs());
        progress.printf(
                Locale.ROOT,
                "\r[%s%s] epoch %d/%d  train %.5f  val %.5f (best %.5f)  %.0fs, at most %.0fs left ",
                "#".repeat(done),
                ".".repeat(width - done),
                epoch,
                config.epochs(),
                train,
                val,
                best,
                elapsed,
                left);
        progress.flush();
    }
}
