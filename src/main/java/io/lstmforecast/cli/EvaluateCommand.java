package io.lstmforecast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.eval.EthUcy;
import io.lstmforecast.eval.Nab;
import io.lstmforecast.eval.NabScorer;
import io.lstmforecast.eval.LinePlot;
import io.lstmforecast.eval.NycTaxi;
import io.lstmforecast.eval.StreamedSeries;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.ForecastPolicy;
import io.lstmforecast.train.BundleExport;
import io.lstmforecast.train.Series;
import io.lstmforecast.train.TrainConfig;
import io.lstmforecast.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Trains on a public data set's training part and evaluates through the streaming code path",
            "(per-entity state advanced one event at a time, as the job does), printing a Markdown table."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--task", required = true, description = "taxi (NYC taxi, 5 steps ahead), eth or zara1 (ETH/UCY, 8 -> 12), nab (residual alerts on a NAB corpus).")
    String task;

    @Option(names = "--data", defaultValue = "../shared/data", description = "The data folder. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--report", paramLabel = "FILE.md", description = "Also append the table to this Markdown file.")
    Path report;

    @Option(names = "--bundle-out", paramLabel = "DIR", description = "Write the trained bundle here.")
    Path bundleOut;

    @Option(names = "--plots", paramLabel = "DIR", description = "Also draw PNG plots into this folder.")
    Path plots;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the task's figures to this JSON file.")
    Path json;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "nab: a folder of NAB CSV files (timestamp,value). Default: DATA/nab/realKnownCause.")
    Path corpus;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "nab: NAB's combined_windows.json; files are looked up as <folder name>/<file name>. Default: DATA/nab/labels/combined_windows.json.")
    Path labels;

    /** The task's headline figures, by the key --json writes them under. */
    private final Map<String, Object> figures = new LinkedHashMap<>();

    @Option(names = "--epochs", defaultValue = "40", description = "Most training epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--rollout", defaultValue = "0",
            description = "eth/zara1: train the last N steps of each window closed-loop (multi-step training). Default: ${DEFAULT-VALUE}.")
    int rollout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            throw new UserInputException("--data " + data + " is not a folder; point it at shared/data");
        }
        String table = switch (task) {
            case "taxi" -> taxi();
            case "eth", "zara1" -> ethUcy(task);
            case "nab" -> nab();
            default -> throw new UserInputException("--task must be taxi, eth, zara1 or nab, not '" + task + "'");
        };
        System.out.println(table);
        if (report != null) {
            Files.writeString(report, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (json != null) {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), figures);
        }
        return 0;
    }

    private void save(ModelBundle b) throws Exception {
        if (bundleOut != null) {
            b.writeTo(bundleOut);
        }
    }

    private String taxi() throws Exception {
        double[] counts = NycTaxi.counts(data.resolve("nyc_taxi/nyc_taxi.csv"));
        double[][] rows = new double[NycTaxi.SCORED_FROM][];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = new double[] {counts[t]};
        }
        TrainConfig c = new TrainConfig(32, 1, 96, epochs, 16, 0.005, seed, 0.2, 8, 1.0, true, 0);
        Trainer.Result r = new Trainer(c, System.err).train(Series.selfForecast(List.<double[][]>of(rows), new int[] {0}),
                new int[] {0});
        ModelBundle b = BundleExport.toBundle(r, "nyc-taxi", "1", List.of("passengers"), List.of("passengers"),
                NycTaxi.AHEAD, true, "NYC taxi, trained on points [0, 10000)");
        save(b);
        double[] forecast = NycTaxi.lstm(b.model(), counts);
        double lstm = NycTaxi.mape(counts, forecast);
        StreamedSeries streamed = StreamedSeries.stream(b.model(), counts, ForecastPolicy.DEFAULT);
        if (plots != null) {
            // Two weeks around the January 2015 blizzard (the scored part starts at point 10000, 25 January).
            plot(streamed, "NYC taxi", NycTaxi.AHEAD, 9800, 9800 + 14 * 48, plots.resolve("taxi.png"));
        }
        double persistence = NycTaxi.mape(counts, NycTaxi.persistence(counts));
        figures.put("mape", lstm);
        String intervals = intervalRows(streamed, NycTaxi.SCORED_FROM, "passengers");
        return String.format(Locale.ROOT, """
                | NYC taxi, 5 steps (2.5 h) ahead, MAPE from point 10000 | MAPE |
                |---|---|
                | this LSTM (H=32, trained on points 0..9999, streamed one event at a time) | %.4f |
                | 5-step persistence (computed here) | %.4f |
                | published: HTM (Cui et al. 2016) | ~0.08 |
                | published: online LSTM (Cui et al. 2016) | ~0.10 |
                | published: 5-step persistence | 0.32 |

                """, lstm, persistence) + intervals;
    }

    private String ethUcy(String scene) throws Exception {
        Path root = data.resolve("ethucy").resolve(scene);
        List<double[][]> train = EthUcy.tracks(files(root.resolve("train")));
        List<double[][]> val = EthUcy.tracks(files(root.resolve("val")));
        List<double[][]> test = EthUcy.tracks(files(root.resolve("test")));
        TrainConfig c = new TrainConfig(32, 1, 19, epochs, 64, 0.003, seed, 0, 6, 1.0, false, rollout);
        Trainer.Result r = new Trainer(c, System.err).train(displacementSeries(train, 8), displacementSeries(val, 1),
                new int[] {0, 1});
        ModelBundle b = BundleExport.toBundle(r, "ethucy-" + scene, "1", List.of("dx", "dy"), List.of("dx", "dy"),
                EthUcy.PREDICTED, false, "ETH/UCY leave-one-out (" + scene + "), displacements per 0.4 s");
        save(b);
        EthUcy.Result lstm = EthUcy.evaluate(test, EthUcy.lstm(b.model()));
        if (plots != null) {
            plotTracks(test, EthUcy.lstm(b.model()), scene);
        }
        EthUcy.Result cv = EthUcy.evaluate(test, EthUcy::constantVelocity);
        String published = scene.equals("eth") ? "1.09 / 2.41 | 1.33 / 2.94" : "0.41 / 0.88 | 0.62 / 1.21";
        return String.format(Locale.ROOT, """
                | ETH/UCY %s (observe 8, predict 12), ADE / FDE in metres | value |
                |---|---|
                | this LSTM (H=32, displacements, trained on train with 8 rotations, selected on val; %d test windows) | %.2f / %.2f |
                | constant velocity (computed here) | %.2f / %.2f |
                | published (Social GAN, Table 1): LSTM | Linear | %s |
                """, scene, lstm.windows(), lstm.ade(), lstm.fde(), cv.ade(), cv.fde(), published);
    }

    /** Observed path, true future and forecast for a few test windows, each in its own file. */
    private void plotTracks(List<double[][]> test, EthUcy.Predictor predictor, String scene) throws Exception {
        int drawn = 0;
        for (double[][] track : test) {
            if (track.length < EthUcy.OBSERVED + EthUcy.PREDICTED || drawn >= 3) {
                continue;
            }
            double[][] observed = java.util.Arrays.copyOfRange(track, 0, EthUcy.OBSERVED);
            double[][] future = java.util.Arrays.copyOfRange(track, EthUcy.OBSERVED, EthUcy.OBSERVED + EthUcy.PREDICTED);
            double[][] predicted = predictor.predict(observed);
            new io.lstmforecast.eval.LinePlot(scene + ": observed 8 positions, true next 12 and the forecast", "x (m)", "y (m)")
                    .add("observed", column(observed, 0), column(observed, 1), true)
                    .add("true future", column(future, 0), column(future, 1), true)
                    .add("forecast", column(predicted, 0), column(predicted, 1), true)
                    .write(plots.resolve(scene + "-track-" + (++drawn) + ".png"));
        }
    }

    private static double[] column(double[][] rows, int c) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][c];
        }
        return v;
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }

    /** Displacement series of every track long enough for a training window, in {@code rotations} orientations. */
    private static Series displacementSeries(List<double[][]> tracks, int rotations) {
        List<double[][]> rows = new ArrayList<>();
        for (double[][] t : tracks) {
            if (t.length < 20) {
                continue;
            }
            for (int k = 0; k < rotations; k++) {
                rows.add(EthUcy.displacements(t, 2 * Math.PI * k / rotations));
            }
        }
        return Series.selfForecast(rows, new int[] {0, 1});
    }

    /**
     * Realised coverage and mean width of the default intervals at every horizon step over rows [from, end), as
     * Markdown rows; the first step's figures go to --json as coverage and width.
     */
    private String intervalRows(StreamedSeries s, int from, String unit) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "| default %.0f %% intervals (intervals.coverage), streamed, from row %d | realised coverage | mean width (%s) |%n|---|---|---|%n",
                100 * ForecastPolicy.DEFAULT_COVERAGE, from, unit));
        List<Double> coverage = new ArrayList<>();
        List<Double> width = new ArrayList<>();
        for (int k = 1; k <= s.horizon(); k++) {
            coverage.add(s.coverage(k, from));
            width.add(s.meanWidth(k, from));
            t.append(String.format(Locale.ROOT, "| %d step%s ahead | %.3f | %.1f |%n", k, k == 1 ? "" : "s",
                    coverage.get(k - 1), width.get(k - 1)));
        }
        figures.put("coverage", coverage.get(0));
        figures.put("width", width.get(0));
        figures.put("coverage_by_step", coverage);
        figures.put("width_by_step", width);
        return t.toString();
    }

    /** Rows [from, to): actual values, the k-step forecast made for each, its interval band and the alerts. */
    private static void plot(StreamedSeries s, String title, int k, int from, int to, Path png) throws Exception {
        plot(s, title, k, from, to, List.of()).write(png);
    }

    private static LinePlot plot(StreamedSeries s, String title, int k, int from, int to, List<int[]> windows) {
        double[] x = new double[to - from];
        double[] alerts = new double[to - from];
        double[] windowLow = new double[to - from];
        double[] windowHigh = new double[to - from];
        double[] actual = Arrays.copyOfRange(s.values(), from, to);
        double min = Arrays.stream(actual).min().orElse(0);
        double max = Arrays.stream(actual).max().orElse(0);
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
            alerts[i] = s.alerts()[from + i] ? s.values()[from + i] : Double.NaN;
            int row = from + i;
            boolean labelled = windows.stream().anyMatch(w -> w[0] <= row && row <= w[1]);
            windowLow[i] = labelled ? min : Double.NaN;
            windowHigh[i] = labelled ? max : Double.NaN;
        }
        String steps = k + " step" + (k == 1 ? "" : "s");
        String interval = Math.round(100 * ForecastPolicy.DEFAULT_COVERAGE) + " % interval";
        LinePlot p = new LinePlot(title + ": actual, forecast made " + steps + " earlier, its " + interval + ", alerts", "row", "value")
                .band(interval, x, Arrays.copyOfRange(s.lowerFor(k), from, to), Arrays.copyOfRange(s.upperFor(k), from, to));
        if (!windows.isEmpty()) {
            p.band("labelled anomaly window", x, windowLow, windowHigh);
        }
        return p.add("actual", x, actual, false)
                .add("forecast (" + steps + " ahead)", x, Arrays.copyOfRange(s.forecastFor(k), from, to), false)
                .points("alert (default rule)", x, alerts);
    }

    /** Around a NAB file's first scored window: three window widths before it to two after. */
    private static void plotNab(Nab f, StreamedSeries s, Path png) throws Exception {
        int[] w = f.windows().stream().filter(x -> x[1] >= f.probation()).findFirst().orElse(new int[] {f.probation(), f.probation()});
        int width = Math.max(50, w[1] - w[0]);
        int from = Math.max(f.probation(), w[0] - 3 * width);
        int to = Math.min(f.values().length, w[1] + 2 * width);
        plot(s, f.name(), 1, from, to, f.windows()).write(png);
    }

    private String nab() throws Exception {
        List<Nab> files;
        try {
            files = Nab.load(corpus != null ? corpus : data.resolve("nab/realKnownCause"),
                    labels != null ? labels : data.resolve("nab/labels/combined_windows.json"));
        } catch (Nab.NabFormatException e) {
            throw new UserInputException(e.getMessage());
        }
        // The job's default rule; the likelihood rule at a ten times larger false-alarm budget (preferred on the synthetic
        // validation corpus of scripts/synthetic-nab.py); the N-sigma rule without and with a cool-down, for comparison.
        List<ForecastPolicy> rules = List.of(ForecastPolicy.DEFAULT, ForecastPolicy.DEFAULT.withAlertLikelihood(0.9999),
                ForecastPolicy.sigma(4, 0), ForecastPolicy.sigma(4, 60));
        List<String> ruleNames = List.of("default: alerts.method = likelihood, alerts.likelihood = 0.99999",
                "alerts.likelihood = 0.9999", "alerts.method = sigma, alerts.sigmas = 4, alerts.cooldown = 0",
                "alerts.method = sigma, alerts.sigmas = 4, alerts.cooldown = 60");
        List<NabScorer.CostMatrix> profiles = List.of(NabScorer.CostMatrix.STANDARD, NabScorer.CostMatrix.LOW_FP,
                NabScorer.CostMatrix.LOW_FN);
        List<List<List<NabScorer.FileScore>>> scores = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            scores.add(new ArrayList<>());
            for (int p = 0; p < profiles.size(); p++) {
                scores.get(i).add(new ArrayList<>());
            }
        }
        StringBuilder perFile = new StringBuilder();
        List<Map<String, Object>> fileFigures = new ArrayList<>();
        for (Nab f : files) {
            int probation = f.probation();
            double[][] rows = new double[probation][];
            for (int t = 0; t < probation; t++) {
                rows[t] = new double[] {f.values()[t]};
            }
            TrainConfig c = new TrainConfig(16, 1, 32, epochs, 16, 0.005, seed, 0.2, 6, 1.0, true, 0);
            Trainer.Result r = new Trainer(c, new PrintStream(java.io.OutputStream.nullOutputStream()))
                    .train(Series.selfForecast(List.<double[][]>of(rows), new int[] {0}), new int[] {0});
            ModelBundle b = BundleExport.toBundle(r, "nab", "1", List.of("value"), List.of("value"), 1, true, f.name());
            for (int i = 0; i < rules.size(); i++) {
                StreamedSeries streamed = StreamedSeries.stream(b.model(), f.values(), rules.get(i));
                List<NabScorer.FileScore> byProfile = new ArrayList<>();
                for (int p = 0; p < profiles.size(); p++) {
                    byProfile.add(NabScorer.score(f.windows(), streamed.alerts(), profiles.get(p)));
                    scores.get(i).get(p).add(byProfile.get(p));
                }
                if (i == 0) {
                    perFile.append(fileRow(f, byProfile, profiles, fileFigures));
                    if (plots != null) {
                        plotNab(f, streamed, plots.resolve("nab-" + f.name().replace(".csv", ".png")));
                    }
                }
            }
            System.err.println("scored " + f.name());
        }
        String corpusName = (corpus != null ? corpus : data.resolve("nab/realKnownCause")).toAbsolutePath().normalize()
                .getFileName().toString();
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "| residual alerts, NAB %s (%d files) | standard | reward_low_FP_rate | reward_low_FN_rate |%n|---|---|---|---|%n",
                corpusName, files.size()));
        for (int i = 0; i < rules.size(); i++) {
            t.append("| ").append(ruleNames.get(i));
            for (int p = 0; p < profiles.size(); p++) {
                t.append(String.format(Locale.ROOT, " | %.1f", NabScorer.normalised(scores.get(i).get(p), profiles.get(p))));
            }
            t.append(" |\n");
        }
        figures.put("score", NabScorer.normalised(scores.get(0).get(0), profiles.get(0)));
        figures.put("score_low_fp", NabScorer.normalised(scores.get(0).get(1), profiles.get(1)));
        figures.put("score_low_fn", NabScorer.normalised(scores.get(0).get(2), profiles.get(2)));
        figures.put("files", fileFigures);
        t.append("| published (full 58-file corpus): Numenta HTM | 70.5 | 62.6 | 75.2 |\n")
                .append("| published: Random Cut Forest | 51.7 | 38.4 | 59.7 |\n")
                .append("| published: Windowed Gaussian | 39.6 | 20.9 | 47.4 |\n\n")
                .append("| file (default rule) | windows | TP | FP | FN | standard | low FP | low FN |\n|---|---|---|---|---|---|---|---|\n")
                .append(perFile);
        return t.toString();
    }

    /** One file's Markdown row (counts, then the normalised score of each profile) and its --json entry. */
    private static String fileRow(Nab f, List<NabScorer.FileScore> byProfile, List<NabScorer.CostMatrix> profiles,
                                  List<Map<String, Object>> fileFigures) {
        NabScorer.FileScore s = byProfile.get(0);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", f.name());
        entry.put("windows", s.windows());
        entry.put("tp", s.truePositives());
        entry.put("fp", s.falsePositives());
        entry.put("fn", s.falseNegatives());
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d", f.name(), s.windows(),
                s.truePositives(), s.falsePositives(), s.falseNegatives()));
        List<String> keys = List.of("score", "score_low_fp", "score_low_fn");
        for (int p = 0; p < profiles.size(); p++) {
            // A file without scored windows has no normalised score (null and perfect coincide).
            Double score = s.windows() == 0 ? null : NabScorer.normalised(List.of(byProfile.get(p)), profiles.get(p));
            entry.put(keys.get(p), score);
            entry.put("raw_" + keys.get(p), byProfile.get(p).raw());
            row.append(score == null ? " | -" : String.format(Locale.ROOT, " | %.1f", score));
        }
        fileFigures.add(entry);
        return row.append(" |\n").toString();
    }
}
