package io.lstmforecast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.eval.EthUcy;
import io.lstmforecast.eval.GeneratedHoldout;
import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.eval.Ett;
import io.lstmforecast.eval.SeriesMethod;
import io.lstmforecast.eval.TrackMethod;
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
    @Option(names = "--task", required = true, description = {"taxi (NYC taxi, 5 steps ahead), ett (ETT hourly, OT, Informer split),",
        "ethucy (an ETH/UCY scene folder, 8 -> 12; eth and zara1 are DATA/ethucy/eth and DATA/ethucy/zara1),",
        "nab (residual alerts on a NAB corpus)."})
    String task;

    @Option(names = "--scene", paramLabel = "DIR",
            description = "ethucy: a folder with train/, val/ and test/ holding ETH/UCY .txt files (frame ped x y, tab-separated).")
    Path scene;

    @Option(names = "--file", paramLabel = "CSV", description = "ett: an ETT hourly CSV (date,...,OT). Default: DATA/ett/ETTh1.csv.")
    Path ettFile;

    @Option(names = "--horizon", defaultValue = "24", description = "ett: steps (hours) forecast. Default: ${DEFAULT-VALUE}.")
    int horizon;

    @Option(names = "--hidden", description = "Hidden size (default: the method's, 32).")
    Integer hidden;

    @Option(names = "--lr", description = "Adam's initial learning rate (default: the method's).")
    Double learningRate;

    @Option(names = "--window", description = "taxi, ett: steps per training window (default: the method's, 96).")
    Integer window;

    @Option(names = "--time-features", split = ",", paramLabel = "LIST",
            description = "taxi, ett: calendar inputs, e.g. hour-of-day,day-of-week (the default), or none.")
    List<String> timeFeatures;

    @Option(names = "--head", paramLabel = "direct|recursive",
            description = "direct (all horizon steps at once; the default) or recursive (one step, fed back).")
    String head;

    @Option(names = "--rotations", description = "ethucy: orientations each training track is seen in (default: the method's).")
    Integer rotations;

    @Option(names = "--augment", arity = "1", paramLabel = "true|false",
            description = "taxi, ett: also train on copies of the training rows at other levels and scales; default true.")
    Boolean augment;

    @Option(names = "--residual", arity = "1", paramLabel = "true|false",
            description = "The head predicts the correction to the baseline (persistence, constant velocity); default true.")
    Boolean residual;

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

    @Option(names = "--epochs", description = "Most training epochs (default: the method's, 40).")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--job", defaultValue = "sensors", paramLabel = "JOB",
            description = "job: a job file, its directory or a name under jobs/ whose model is scored against the job's"
                    + " baseline on held-out generated data. Default: ${DEFAULT-VALUE}.")
    String job;

    @Option(names = "--events", defaultValue = "60000", description = "job: generated events streamed. Default: ${DEFAULT-VALUE}.")
    long events;

    /**
     * A shipped job's model against the job's baseline on its generator's data under another seed than training used
     * (train uses --seed, this 1000 + --seed), streamed as the job runs it.
     */
    private String shippedJob() throws Exception {
        JobOptions options = new JobOptions();
        options.job = job;
        JobConfig jc = options.load(List.of());
        ModelBundle b = ForecastJobRunner.model(jc);
        Baseline baseline = Baseline.effective(jc.baseline(), b.spec().baseline());
        if (baseline.isNone()) {
            throw new UserInputException("job " + jc.name() + " has baseline none: there is nothing to score its model"
                    + " against; give it a baseline (persistence, constant-velocity, seasonal:PERIOD)");
        }
        ForecastPolicy policy = ForecastJobRunner.options(jc, b).policy().withBaseline(baseline);
        EventGenerator g = Generators.forJob(jc.name(), 20, 1000 + seed, 1_700_000_000_000L);
        GeneratedHoldout r = GeneratedHoldout.run(b.model(), policy, g, events, 50);
        figures.putAll(r.figures());
        return r.table(jc.name() + " (" + b.spec().name() + "@" + b.spec().version() + "), held-out generated data", baseline.id());
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            throw new UserInputException("--data " + data + " is not a folder; point it at shared/data");
        }
        checkSettings();
        String table = switch (task) {
            case "taxi" -> taxi();
            case "ett" -> ett();
            case "ethucy" -> ethUcy(sceneFolder(scene, "--scene"));
            case "eth", "zara1" -> ethUcy(sceneFolder(data.resolve("ethucy").resolve(task), "--task " + task));
            case "nab" -> nab();
            case "job" -> shippedJob();
            default -> throw new UserInputException("--task must be taxi, ett, ethucy, eth, zara1, nab or job, not '" + task + "'");
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

    private void checkSettings() {
        if (head != null && !head.equals("direct") && !head.equals("recursive")) {
            throw new UserInputException("--head must be direct or recursive, not '" + head + "'");
        }
        if ((hidden != null && hidden < 1) || (epochs != null && epochs < 1) || (window != null && window < 4)
                || (learningRate != null && !(learningRate > 0)) || horizon < 1 || horizon > 720 || (rotations != null && rotations < 1)) {
            throw new UserInputException("--hidden, --epochs and --rotations must be positive, --window at least 4, --lr positive"
                    + " and --horizon in [1, 720]");
        }
        if (timeFeatures != null && !timeFeatures.equals(List.of("none"))) {
            try {
                io.lstmforecast.model.TimeFeatures.parseAll(timeFeatures);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--time-features: " + e.getMessage() + " (or none)");
            }
        }
    }

    /** The series method's settings with this run's overrides. */
    private SeriesMethod.Settings seriesSettings() {
        SeriesMethod.Settings d = SeriesMethod.DEFAULT;
        List<String> calendar = timeFeatures == null ? d.timeFeatures()
                : timeFeatures.equals(List.of("none")) ? List.of() : timeFeatures;
        boolean direct = head == null ? d.direct() : head.equals("direct");
        return new SeriesMethod.Settings(hidden != null ? hidden : d.hidden(), window != null ? window : d.window(), d.stride(),
                learningRate != null ? learningRate : d.learningRate(), epochs != null ? epochs : d.epochs(), d.patience(),
                direct ? calendar : List.of(), direct, residual != null ? residual : d.residual(),
                augment != null ? augment : d.augment(), d.epochWindows(), seed);
    }

    private String taxi() throws Exception {
        Path csv = data.resolve("nyc_taxi/nyc_taxi.csv");
        double[] counts = NycTaxi.counts(csv);
        long[] times = NycTaxi.times(csv);
        SeriesMethod.Settings s = seriesSettings();
        // Validation: the last fifth of the training points; the test points (10000 on) never choose anything.
        int validationFrom = NycTaxi.SCORED_FROM * 4 / 5;
        ModelBundle b = SeriesMethod.train(s, "nyc-taxi", "passengers", counts, times, validationFrom, NycTaxi.SCORED_FROM,
                NycTaxi.AHEAD, "NYC taxi, trained on points [0, 8000), stopped on [8000, 10000)", System.err);
        save(b);
        StreamedSeries streamed = StreamedSeries.stream(b.model(), counts, times, ForecastPolicy.DEFAULT);
        double[] forecast = streamed.forecastFor(NycTaxi.AHEAD);
        double lstm = NycTaxi.mape(counts, forecast);
        double validation = NycTaxi.mape(counts, forecast, validationFrom, NycTaxi.SCORED_FROM);
        double[] persistence = NycTaxi.persistence(counts);
        double baseline = NycTaxi.mape(counts, persistence);
        double baselineValidation = NycTaxi.mape(counts, persistence, validationFrom, NycTaxi.SCORED_FROM);
        if (plots != null) {
            // Two weeks around the January 2015 blizzard (the scored part starts at point 10000, 25 January).
            plot(streamed, "NYC taxi", NycTaxi.AHEAD, 9800, 9800 + 14 * 48, plots.resolve("taxi.png"));
        }
        figures.put("mape", lstm);
        figures.put("baseline_mape", baseline);
        figures.put("validation_mape", validation);
        figures.put("baseline_validation_mape", baselineValidation);
        String intervals = intervalRows(streamed, NycTaxi.SCORED_FROM, "passengers");
        return String.format(Locale.ROOT, """
                | NYC taxi, 5 steps (2.5 h) ahead, MAPE (streamed) | validation (points 8000..9999) | test (points 10000 on) |
                |---|---|---|
                | this LSTM (%s) | %.4f | %.4f |
                | 5-step persistence (the baseline) | %.4f | %.4f |
                | published: HTM (Cui et al. 2016) | | ~0.08 |
                | published: online LSTM (Cui et al. 2016) | | ~0.10 |
                | published: 5-step persistence | | 0.32 |

                """, describe(s), validation, lstm, baselineValidation, baseline) + intervals;
    }

    private static String describe(SeriesMethod.Settings s) {
        return String.format(Locale.ROOT, "H=%d, window %d, lr %s, %s%s head, time features %s, %s", s.hidden(), s.window(),
                s.learningRate(), s.residual() ? "residual " : "", s.direct() ? "direct" : "recursive",
                s.timeFeatures().isEmpty() ? "none" : String.join("+", s.timeFeatures()),
                s.augment() ? "level/scale augmentation" : "no augmentation");
    }

    private String ett() throws Exception {
        Ett ett;
        try {
            ett = Ett.load(ettFile != null ? ettFile : data.resolve("ett/ETTh1.csv"));
        } catch (Ett.EttFormatException e) {
            throw new UserInputException(e.getMessage());
        }
        SeriesMethod.Settings s = seriesSettings();
        if (!s.direct() && horizon > 1) {
            System.err.println("note: a recursive head is fed back " + horizon + " times");
        }
        ModelBundle b = SeriesMethod.train(s, "ett-" + Ett.TARGET, Ett.TARGET, ett.values(), ett.times(), Ett.TRAIN_END,
                Ett.VALIDATION_END, horizon, "ETT " + Ett.TARGET + ", " + horizon + " hours, Informer split", System.err);
        save(b);
        StreamedSeries streamed = StreamedSeries.stream(b.model(), ett.values(), ett.times(), ForecastPolicy.DEFAULT);
        double[][] persistence = ett.persistence(horizon);
        Ett.Errors val = ett.errors(streamed.forecast(), horizon, Ett.TRAIN_END, Ett.VALIDATION_END);
        Ett.Errors test = ett.errors(streamed.forecast(), horizon, Ett.VALIDATION_END, Ett.TEST_END);
        Ett.Errors baseVal = ett.errors(persistence, horizon, Ett.TRAIN_END, Ett.VALIDATION_END);
        Ett.Errors baseTest = ett.errors(persistence, horizon, Ett.VALIDATION_END, Ett.TEST_END);
        if (plots != null) {
            plot(streamed, "ETT " + Ett.TARGET, 1, Ett.VALIDATION_END, Ett.VALIDATION_END + 14 * 24, plots.resolve("ett.png"));
        }
        figures.put("horizon", horizon);
        figures.put("mse", test.mse());
        figures.put("mae", test.mae());
        figures.put("baseline_mse", baseTest.mse());
        figures.put("baseline_mae", baseTest.mae());
        figures.put("windows", test.windows());
        figures.put("validation_mse", val.mse());
        figures.put("validation_mae", val.mae());
        figures.put("baseline_validation_mse", baseVal.mse());
        figures.put("baseline_validation_mae", baseVal.mae());
        String published = horizon == 24 ? "| published (Informer, Table 1, univariate): Informer | | 0.098 / 0.247 |\n"
                + "| published: LSTMa | | 0.114 / 0.272 |\n" : "";
        String intervals = intervalRows(streamed, Ett.VALIDATION_END, Ett.TARGET);
        return String.format(Locale.ROOT, """
                | ETT %s, %d hours ahead, MSE / MAE (z-scored, streamed) | validation (rows 8640..11519) | test (rows 11520..14399, %d windows) |
                |---|---|---|
                | this LSTM (%s) | %.4f / %.4f | %.4f / %.4f |
                | persistence (the baseline) | %.4f / %.4f | %.4f / %.4f |
                """, Ett.TARGET, horizon, test.windows(), describe(s), val.mse(), val.mae(), test.mse(), test.mae(),
                baseVal.mse(), baseVal.mae(), baseTest.mse(), baseTest.mae()) + published + "\n" + intervals;
    }

    /** A scene folder with train/, val/ and test/ of ETH/UCY .txt files, or a UserInputException that says so. */
    private static Path sceneFolder(Path dir, String flag) throws Exception {
        if (dir == null) {
            throw new UserInputException("--task ethucy needs --scene DIR: a folder with train/, val/ and test/ of ETH/UCY .txt files");
        }
        for (String part : List.of("train", "val", "test")) {
            Path p = dir.resolve(part);
            if (!Files.isDirectory(p) || files(p).isEmpty()) {
                throw new UserInputException(flag + ": " + p + " is not a folder of .txt files; a scene folder holds train/, val/"
                        + " and test/ with ETH/UCY files (frame ped x y, tab-separated)");
            }
        }
        return dir;
    }

    private String ethUcy(Path root) throws Exception {
        String scene = root.toAbsolutePath().normalize().getFileName().toString();
        List<double[][]> train;
        List<double[][]> val;
        List<double[][]> test;
        try {
            train = EthUcy.tracks(files(root.resolve("train")));
            val = EthUcy.tracks(files(root.resolve("val")));
            test = EthUcy.tracks(files(root.resolve("test")));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new UserInputException(root + ": a line is not 'frame ped x y' (" + e.getMessage() + ")");
        }
        TrackMethod.Settings d = TrackMethod.DEFAULT;
        TrackMethod.Settings s = new TrackMethod.Settings(hidden != null ? hidden : d.hidden(),
                learningRate != null ? learningRate : d.learningRate(), epochs != null ? epochs : d.epochs(), d.patience(),
                head == null ? d.direct() : head.equals("direct"), residual != null ? residual : d.residual(),
                rotations != null ? rotations : d.rotations(), d.epochWindows(), seed);
        ModelBundle b = TrackMethod.train(s, train, val, "ethucy-" + scene,
                "ETH/UCY leave-one-out (" + scene + "), displacements per 0.4 s", System.err);
        save(b);
        EthUcy.Result lstm = EthUcy.evaluate(test, EthUcy.lstm(b.model()));
        EthUcy.Result cv = EthUcy.evaluate(test, EthUcy::constantVelocity);
        EthUcy.Result lstmVal = EthUcy.evaluate(val, EthUcy.lstm(b.model()));
        EthUcy.Result cvVal = EthUcy.evaluate(val, EthUcy::constantVelocity);
        if (plots != null) {
            plotTracks(test, EthUcy.lstm(b.model()), scene);
        }
        figures.put("ade", lstm.ade());
        figures.put("fde", lstm.fde());
        figures.put("baseline_ade", cv.ade());
        figures.put("baseline_fde", cv.fde());
        figures.put("windows", lstm.windows());
        figures.put("validation_ade", lstmVal.ade());
        figures.put("validation_fde", lstmVal.fde());
        figures.put("baseline_validation_ade", cvVal.ade());
        figures.put("baseline_validation_fde", cvVal.fde());
        String published = switch (scene) {
            case "eth" -> "| published (Social GAN, Table 1): LSTM / Linear | | 1.09 / 2.41 ; 1.33 / 2.94 |\n";
            case "zara1" -> "| published (Social GAN, Table 1): LSTM / Linear | | 0.41 / 0.88 ; 0.62 / 1.21 |\n";
            default -> "";
        };
        return String.format(Locale.ROOT, """
                | ETH/UCY %s (observe 8, predict 12), ADE / FDE in metres | validation (val/, %d windows) | test (test/, %d windows) |
                |---|---|---|
                | this LSTM (H=%d, lr %s, %s%s head, displacements, %d rotations) | %.3f / %.3f | %.3f / %.3f |
                | constant velocity (the baseline) | %.3f / %.3f | %.3f / %.3f |
                """, scene, lstmVal.windows(), lstm.windows(), s.hidden(), s.learningRate(), s.residual() ? "residual " : "",
                s.direct() ? "direct" : "recursive", s.rotations(), lstmVal.ade(), lstmVal.fde(), lstm.ade(), lstm.fde(),
                cvVal.ade(), cvVal.fde(), cv.ade(), cv.fde()) + published;
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
            TrainConfig c = new TrainConfig(16, 1, 32, epochs != null ? epochs : 40, 16, 0.005, seed, 0.2, 6, 1.0, true, 0);
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
