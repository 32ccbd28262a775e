import io.lstmforecast.eval.Nab;
import io.lstmforecast.eval.NabEvaluation;
import io.lstmforecast.eval.NabScorer;
import io.lstmforecast.eval.StreamedSeries;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.state.AnomalyLikelihood;
import io.lstmforecast.state.ForecastPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validation log's harness (docs/EVALUATION.md): alert-rule variants scored on one NAB-format corpus, each over the
 * one-step forecasts of the same trained models (one LSTM per file, trained as {@code evaluate --task nab} trains it).
 * Not part of the job: the job's rule is {@code state.AnomalyLikelihood}; this generalises it so that variants cost
 * seconds. Each line also counts the rows where a variant's alerts differ from the job's default rule run through
 * {@code EntityForecaster}, so the spec of the default ({@value #DEFAULT_SPEC}) must show 0.
 *
 * <pre>
 * java -cp target/lstm-forecast.jar scripts/NabVariants.java CORPUS LABELS SPEC...
 * java -cp target/lstm-forecast.jar -Depochs=40 -Dseed=2 scripts/NabVariants.java CORPUS LABELS SPEC...
 * </pre>
 *
 * A SPEC is streams, then settings, separated by ';', e.g. {@code 1:a3+,1:m30+-,1:v30+-;b=1e-5;cool=200}. A stream
 * is SOURCE:STAT WINDOW TAILS. Sources: {@code 1} the one-step error standardised by its rolling mean and std (z);
 * {@code V} the value standardised by its own long-window mean and std ({@code vw} events); {@code R} the value's
 * rarity, -log of its bucket's share in a decaying histogram of the entity's values (64 buckets over the mean +- 5
 * std seen when scoring starts, two more for values outside); {@code N} the novelty of the model's hidden state h: the
 * squared distance of its first {@value AnomalyLikelihood#NOVELTY_UNITS} units from their long-window means, over the long-window mean
 * of that distance, smoothed by an exponentially weighted mean over about 30 events (use it with window 1, {@code
 * N:m1+}). Statistics over the last WINDOW values: {@code a} mean
 * |x|, {@code m} mean x, {@code v} log(mean x^2 + 0.001). Tails: {@code +} upper, {@code -} lower. Settings: {@code
 * b} the false-alarm budget shared by all tails (Bonferroni), {@code cool} the cool-down in events, {@code zw} the
 * window of z's rolling statistics, {@code vw} that of source V.
 */
public final class NabVariants {
    static final String DEFAULT_SPEC = "1:a3+,1:m30+-,1:v30+-,N:m1+;b=1e-5;cool=200";
    static final int BUCKETS = 64;
    static final int WARMUP = 50;

    record Stream(int source, char stat, int window, boolean up, boolean down) {}

    record Rule(String spec, List<Stream> streams, double budget, int cooldown, int zWindow, int valueWindow) {
        int tails() {
            return streams.stream().mapToInt(s -> (s.up() ? 1 : 0) + (s.down() ? 1 : 0)).sum();
        }

        int longestWindow() {
            return streams.stream().mapToInt(Stream::window).max().orElse(1);
        }

        static Rule parse(String spec) {
            String[] parts = spec.split(";");
            List<Stream> streams = new ArrayList<>();
            for (String s : parts[0].split(",")) {
                int source = "1VRN".indexOf(s.charAt(0));
                int end = 3;
                while (end < s.length() && Character.isDigit(s.charAt(end))) {
                    end++;
                }
                if (source < 0 || s.charAt(1) != ':' || "amv".indexOf(s.charAt(2)) < 0 || end == 3) {
                    throw new IllegalArgumentException("bad stream " + s + " in " + spec);
                }
                String tails = s.substring(end);
                streams.add(new Stream(
                        source, s.charAt(2), Integer.parseInt(s.substring(3, end)), tails.contains("+"), tails.contains("-")));
            }
            double budget = 1e-5;
            int cooldown = 200;
            int zWindow = 100;
            int valueWindow = AnomalyLikelihood.LONG_WINDOW;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=");
                switch (kv[0]) {
                    case "b" -> budget = Double.parseDouble(kv[1]);
                    case "cool" -> cooldown = Integer.parseInt(kv[1]);
                    case "zw" -> zWindow = Integer.parseInt(kv[1]);
                    case "vw" -> valueWindow = Integer.parseInt(kv[1]);
                    default -> throw new IllegalArgumentException("bad setting " + parts[i] + " in " + spec);
                }
            }
            return new Rule(spec, streams, budget, cooldown, zWindow, valueWindow);
        }
    }

    record Streamed(Nab file, double[][] forecast, boolean[] defaultAlerts, float[][] hidden) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java -cp target/lstm-forecast.jar scripts/NabVariants.java CORPUS LABELS SPEC...");
            System.exit(2);
        }
        int epochs = Integer.getInteger("epochs", 20);
        long seed = Long.getLong("seed", 1);
        List<Streamed> corpus = new ArrayList<>();
        for (Nab f : Nab.load(Path.of(args[0]), Path.of(args[1]))) {
            ForecastModel model = NabEvaluation.detectorModel(f, epochs, seed).model();
            List<float[]> hidden = new ArrayList<>();
            StreamedSeries s = StreamedSeries.stream(
                    model, f.values(), ForecastPolicy.DEFAULT, state -> hidden.add(state.h().clone()));
            corpus.add(new Streamed(f, s.forecast(), s.alerts(), hidden.toArray(float[][]::new)));
        }
        System.out.println("standard low_FP low_FN  windows found, detections outside  (rows unlike the default)  spec");
        for (int a = 2; a < args.length; a++) {
            Rule rule = Rule.parse(args[a]);
            List<List<NabScorer.FileScore>> byProfile = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<NabScorer.CostMatrix> profiles =
                    List.of(NabScorer.CostMatrix.STANDARD, NabScorer.CostMatrix.LOW_FP, NabScorer.CostMatrix.LOW_FN);
            int differing = 0;
            for (Streamed s : corpus) {
                boolean[] alerts = alerts(s, rule);
                for (int i = 0; i < alerts.length; i++) {
                    differing += alerts[i] != s.defaultAlerts()[i] ? 1 : 0;
                }
                for (int p = 0; p < profiles.size(); p++) {
                    byProfile.get(p).add(NabScorer.score(s.file().windows(), alerts, profiles.get(p)));
                }
            }
            List<NabScorer.FileScore> standard = byProfile.get(0);
            System.out.printf(
                    Locale.ROOT,
                    "%6.1f %6.1f %6.1f  %d of %d, %d  (%d)  %s%n",
                    NabScorer.normalised(standard, profiles.get(0)),
                    NabScorer.normalised(byProfile.get(1), profiles.get(1)),
                    NabScorer.normalised(byProfile.get(2), profiles.get(2)),
                    standard.stream().mapToInt(NabScorer.FileScore::truePositives).sum(),
                    standard.stream().mapToInt(NabScorer.FileScore::windows).sum(),
                    standard.stream().mapToInt(NabScorer.FileScore::falsePositives).sum(),
                    differing,
                    rule.spec());
        }
    }

    /** Rolling mean and std of one source, in floats over about {@code window} events, as RollingError keeps them. */
    static final class Rolling {
        final int window;
        long count;
        float mean;
        float meanSq;

        Rolling(int window) {
            this.window = window;
        }

        void add(double x) {
            count++;
            double alpha = 1.0 / Math.min(count, window);
            mean = (float) (mean + alpha * (x - mean));
            meanSq = (float) (meanSq + alpha * (x * x - meanSq));
        }

        double std() {
            return Math.sqrt(Math.max(0.0, (double) meanSq - (double) mean * mean));
        }

        double standardised(double x) {
            double s = std();
            return s > 0 ? (x - mean) / s : 0;
        }
    }

    /** The rows where the rule alerts, with EntityForecaster's warm-up, estimation, rising-edge and cool-down rules. */
    static boolean[] alerts(Streamed s, Rule rule) {
        double[] values = s.file().values();
        int n = values.length;
        boolean[] alerts = new boolean[n];
        Rolling errors = new Rolling(rule.zWindow());
        Rolling level = new Rolling(rule.valueWindow());
        Rarity rarity = new Rarity();
        Novelty novelty = new Novelty(AnomalyLikelihood.noveltyUnits(s.hidden()[0].length));
        int ring = rule.longestWindow();
        double[][] recent = new double[4][ring];
        List<Stream> streams = rule.streams();
        Rolling[] gaussians = new Rolling[streams.size()];
        for (int k = 0; k < gaussians.length; k++) {
            gaussians[k] = new Rolling(AnomalyLikelihood.LONG_WINDOW);
        }
        double threshold = 1 - rule.budget();
        double last = 0;
        long lastAlert = Long.MIN_VALUE / 2;
        for (int i = 1; i < n; i++) {
            double error = (float) ((float) values[i] - (float) s.forecast()[i - 1][0]);
            long scored = gaussians[0].count;
            double likelihood = Double.NaN;
            if (errors.count >= rule.zWindow()) {
                int slot = (int) (scored % ring);
                recent[0][slot] = (float) errors.standardised(error);
                recent[1][slot] = (float) level.standardised((float) values[i]);
                recent[2][slot] = rarity.observe(values[i], level);
                recent[3][slot] = novelty.observe(s.hidden()[i], scored);
                double p = 1;
                for (int k = 0; k < streams.size(); k++) {
                    Stream st = streams.get(k);
                    double x = statistic(recent[st.source()], st, scored + 1, ring);
                    Rolling g = gaussians[k];
                    if (scored > 0) {
                        double variance = (double) g.meanSq - (double) g.mean * g.mean;
                        double sd = variance > 1e-6 * g.meanSq ? Math.sqrt(variance) : 0;
                        if (st.up()) {
                            p = Math.min(p, 1 - AnomalyLikelihood.likelihood(x, g.mean, sd));
                        }
                        if (st.down()) {
                            p = Math.min(p, 1 - AnomalyLikelihood.likelihood(-x, -(double) g.mean, sd));
                        }
                    }
                    g.add(x);
                }
                likelihood = scored == 0 ? 0 : 1 - Math.min(1, rule.tails() * p);
            }
            long step = i + 1;
            boolean estimated = scored >= AnomalyLikelihood.ESTIMATION_SAMPLES;
            if (errors.count >= WARMUP
                    && step - lastAlert > rule.cooldown()
                    && estimated
                    && likelihood >= threshold
                    && last < threshold) {
                alerts[i] = true;
                lastAlert = step;
            }
            if (!Double.isNaN(likelihood)) {
                last = (float) likelihood;
            }
            errors.add(error);
            level.add((float) values[i]);
        }
        return alerts;
    }

    /** Statistic {@code st.stat()} of the newest {@code st.window()} of the {@code count} values in the ring. */
    static double statistic(double[] ring, Stream st, long count, int size) {
        int w = (int) Math.min(count, st.window());
        double sum = 0;
        double sumAbs = 0;
        double sumSq = 0;
        for (int j = 0; j < w; j++) {
            double v = ring[(int) ((count - 1 - j) % size)];
            sum += v;
            sumAbs += Math.abs(v);
            sumSq += v * v;
        }
        return switch (st.stat()) {
            case 'a' -> sumAbs / w;
            case 'm' -> sum / w;
            default -> Math.log(sumSq / w + AnomalyLikelihood.VARIANCE_FLOOR);
        };
    }

    /**
     * Source N, in floats as the job keeps it: the mean squared distance of h's first units from their long-window
     * means, over the long-window mean of that distance (both before this event), smoothed over about 30 events.
     */
    static final class Novelty {
        final float[] mean;
        float scale;
        float smoothed;

        Novelty(int units) {
            mean = new float[units];
        }

        double observe(float[] h, long scored) {
            int k = mean.length;
            double sumSq = 0;
            for (int j = 0; j < k; j++) {
                double d = h[j] - mean[j];
                sumSq += d * d;
            }
            double distance = scored == 0 || !(scale > 0) ? 0 : sumSq / k / scale;
            smoothed = scored == 0 ? (float) distance : (float) (smoothed + 2.0 / 31 * (distance - smoothed));
            double alpha = 1.0 / Math.min(scored + 1, AnomalyLikelihood.LONG_WINDOW);
            scale = scored == 0 ? 0 : (float) (scale + alpha * (sumSq / k - scale));
            for (int j = 0; j < k; j++) {
                mean[j] = (float) (mean[j] + alpha * (h[j] - mean[j]));
            }
            return smoothed;
        }
    }

    /** Source R: how rare the value is among the entity's earlier values (a decaying histogram). */
    static final class Rarity {
        final double[] counts = new double[BUCKETS + 2];
        double total;
        double low = Double.NaN;
        double width;
        long seen;

        double observe(double value, Rolling level) {
            if (Double.isNaN(low)) {
                double sd = Math.max(level.std(), 1e-9);
                low = level.mean - 5 * sd;
                width = 10 * sd / BUCKETS;
            }
            int b = (int) Math.floor((value - low) / width);
            int bucket = b < 0 ? 0 : b >= BUCKETS ? BUCKETS + 1 : b + 1;
            double rarity = -Math.log((counts[bucket] + 1) / (total + counts.length));
            seen++;
            double keep = 1 - 1.0 / Math.min(seen, AnomalyLikelihood.LONG_WINDOW);
            for (int q = 0; q < counts.length; q++) {
                counts[q] *= keep;
            }
            total = total * keep + 1;
            counts[bucket] += 1;
            return rarity;
        }
    }
}
