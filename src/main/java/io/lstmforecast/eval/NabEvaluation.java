package io.lstmforecast.eval;

import io.lstmforecast.config.AlertMethod;
import io.lstmforecast.config.Alerts;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.ForecastPolicy;
import io.lstmforecast.train.BundleExport;
import io.lstmforecast.train.Series;
import io.lstmforecast.train.TrainConfig;
import io.lstmforecast.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Residual alerts on a NAB corpus: per file, an LSTM trained on its probation rows, the file streamed through it under
 * each alert rule, and the alerts scored with NAB's three cost profiles.
 */
public final class NabEvaluation {
    // The job's default rule (combined likelihood, cool-down 200); HTM's likelihood as it was the default before, at
    // its
    // budget and at a ten times larger one; the N-sigma rule without and with a cool-down, for comparison.
    private static final List<ForecastPolicy> RULES = List.of(
            ForecastPolicy.DEFAULT,
            rule(AlertMethod.LIKELIHOOD, 0.99999, 0),
            rule(AlertMethod.LIKELIHOOD, 0.9999, 0),
            ForecastPolicy.sigma(4, 0),
            ForecastPolicy.sigma(4, 60));
    private static final List<String> RULE_NAMES = List.of(
            "default: alerts.method = combined-likelihood, alerts.likelihood = 0.99999, alerts.cooldown = 200",
            "alerts.method = likelihood, alerts.likelihood = 0.99999, alerts.cooldown = 0",
            "alerts.method = likelihood, alerts.likelihood = 0.9999, alerts.cooldown = 0",
            "alerts.method = sigma, alerts.sigmas = 4, alerts.cooldown = 0",
            "alerts.method = sigma, alerts.sigmas = 4, alerts.cooldown = 60");
    private static final List<NabScorer.CostMatrix> PROFILES =
            List.of(NabScorer.CostMatrix.STANDARD, NabScorer.CostMatrix.LOW_FP, NabScorer.CostMatrix.LOW_FN);
    private static final List<String> SCORE_KEYS = List.of("score", "score_low_fp", "score_low_fn");

    /** Training epochs per file unless told otherwise. */
    public static final int DEFAULT_EPOCHS = 20;

    private NabEvaluation() {}

    /** {@code corpus}: a folder of NAB CSV files; {@code labels}: NAB's combined_windows.json. */
    public static Evaluation run(Path corpus, Path labels, int epochs, long seed, EvaluationOutputs out)
            throws Exception {
        List<Nab> files = Nab.load(corpus, labels);
        List<List<List<NabScorer.FileScore>>> scores = new ArrayList<>();
        for (int i = 0; i < RULES.size(); i++) {
            scores.add(new ArrayList<>());
            for (int p = 0; p < PROFILES.size(); p++) {
                scores.get(i).add(new ArrayList<>());
            }
        }
        StringBuilder perFile = new StringBuilder();
        List<Map<String, Object>> fileFigures = new ArrayList<>();
        for (Nab f : files) {
            ModelBundle b = detectorModel(f, epochs, seed);
            for (int i = 0; i < RULES.size(); i++) {
                StreamedSeries streamed = StreamedSeries.stream(b.model(), f.values(), RULES.get(i));
                List<NabScorer.FileScore> byProfile = new ArrayList<>();
                for (int p = 0; p < PROFILES.size(); p++) {
                    byProfile.add(NabScorer.score(f.windows(), streamed.alerts(), PROFILES.get(p)));
                    scores.get(i).get(p).add(byProfile.get(p));
                }
                if (i == 0) {
                    perFile.append(fileRow(f, byProfile, fileFigures));
                    if (out.plotting()) {
                        plot(f, streamed, out.plot("nab-" + f.name().replace(".csv", ".png")));
                    }
                }
            }
            out.log().println("scored " + f.name());
        }
        String corpusName = corpus.toAbsolutePath().normalize().getFileName().toString();
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "| residual alerts, NAB %s (%d files) | standard | reward_low_FP_rate | reward_low_FN_rate |%n|---|---|---|---|%n",
                corpusName,
                files.size()));
        for (int i = 0; i < RULES.size(); i++) {
            t.append("| ").append(RULE_NAMES.get(i));
            for (int p = 0; p < PROFILES.size(); p++) {
                t.append(String.format(
                        Locale.ROOT,
                        " | %.1f",
                        NabScorer.normalised(scores.get(i).get(p), PROFILES.get(p))));
            }
            t.append(" |\n");
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        for (int p = 0; p < PROFILES.size(); p++) {
            figures.put(SCORE_KEYS.get(p), NabScorer.normalised(scores.get(0).get(p), PROFILES.get(p)));
        }
        figures.put("files", fileFigures);
        t.append("| published (full 58-file corpus): Numenta HTM | 70.5 | 62.6 | 75.2 |\n")
                .append("| published: Random Cut Forest | 51.7 | 38.4 | 59.7 |\n")
                .append("| published: Windowed Gaussian | 39.6 | 20.9 | 47.4 |\n\n")
                .append(
                        "| file (default rule) | windows | TP | FP | FN | standard | low FP | low FN |\n|---|---|---|---|---|---|---|---|\n")
                .append(perFile);
        return new Evaluation(t.toString(), figures);
    }

    private static ForecastPolicy rule(AlertMethod method, double likelihood, int cooldown) {
        Alerts d = Alerts.DEFAULT;
        return ForecastPolicy.DEFAULT.withAlerts(new Alerts(method, d.sigmas(), likelihood, d.warmup(), cooldown));
    }

    /** An LSTM trained on the file's probation rows only, as a detector that has seen nothing later would be. */
    public static ModelBundle detectorModel(Nab f, int epochs, long seed) {
        int probation = f.probation();
        double[][] rows = new double[probation][];
        for (int t = 0; t < probation; t++) {
            rows[t] = new double[] {f.values()[t]};
        }
        TrainConfig c = new TrainConfig(16, 1, 32, epochs, 16, 0.005, seed, 0.2, 6, 1.0, true, 0);
        Trainer.Result r = new Trainer(c, new PrintStream(OutputStream.nullOutputStream()))
                .train(Series.selfForecast(List.<double[][]>of(rows), new int[] {0}), new int[] {0});
        return BundleExport.toBundle(r, "nab", "1", List.of("value"), List.of("value"), 1, true, f.name());
    }

    /** One file's Markdown row (counts, then the normalised score of each profile) and its JSON entry. */
    private static String fileRow(Nab f, List<NabScorer.FileScore> byProfile, List<Map<String, Object>> fileFigures) {
        NabScorer.FileScore s = byProfile.get(0);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", f.name());
        entry.put("windows", s.windows());
        entry.put("tp", s.truePositives());
        entry.put("fp", s.falsePositives());
        entry.put("fn", s.falseNegatives());
        StringBuilder row = new StringBuilder(String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d",
                f.name(),
                s.windows(),
                s.truePositives(),
                s.falsePositives(),
                s.falseNegatives()));
        for (int p = 0; p < PROFILES.size(); p++) {
            // A file without scored windows has no normalised score (null and perfect coincide).
            Double score = s.windows() == 0 ? null : NabScorer.normalised(List.of(byProfile.get(p)), PROFILES.get(p));
            entry.put(SCORE_KEYS.get(p), score);
            entry.put("raw_" + SCORE_KEYS.get(p), byProfile.get(p).raw());
            row.append(score == null ? " | -" : String.format(Locale.ROOT, " | %.1f", score));
        }
        fileFigures.add(entry);
        return row.append(" |\n").toString();
    }

    /** Around a file's first scored window: three window widths before it to two after. */
    private static void plot(Nab f, StreamedSeries s, Path png) throws IOException {
        int[] w = f.windows().stream()
                .filter(x -> x[1] >= f.probation())
                .findFirst()
                .orElse(new int[] {f.probation(), f.probation()});
        int width = Math.max(50, w[1] - w[0]);
        int from = Math.max(f.probation(), w[0] - 3 * width);
        int to = Math.min(f.values().length, w[1] + 2 * width);
        SeriesReport.plot(s, f.name(), 1, from, to, f.windows()).write(png);
    }
}
