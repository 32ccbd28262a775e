package io.lstmforecast.cli;

import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.local.EventFeed;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.formats.PtStateDictWriter;
import io.lstmforecast.train.BundleExport;
import io.lstmforecast.train.Series;
import io.lstmforecast.train.TrainConfig;
import io.lstmforecast.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains an LSTM forecaster and writes a model bundle (PyTorch state_dict layout).",
            "Data: a CSV (entity,timestamp,<features>), a job's generator, or the sin-cos textbook task."})
final class TrainCommand implements Callable<Integer> {

    static final class Data {
        @Option(names = "--csv", paramLabel = "FILE", description = "CSV with header entity,timestamp,<feature columns>; one series per entity.")
        Path csv;

        @Option(names = "--generator", paramLabel = "JOB", description = "Synthetic series from the generator of a shipped job: sensors or tracks.")
        String generator;

        @Option(names = "--task", paramLabel = "TASK", description = "sin-cos: learn cos(t) from sin(t); reports test MSE on the second half.")
        String task;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Data data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the bundle.")
    Path out;

    @Option(names = "--name", defaultValue = "model", description = "Model name in model.json. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--version", defaultValue = "1", description = "Model version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(names = "--targets", split = ",", description = "CSV: the feature columns to forecast (default: all).")
    List<String> targets;

    @Option(names = "--entities", defaultValue = "20", description = "Generator: series. Default: ${DEFAULT-VALUE}.")
    int entities;

    @Option(names = "--steps", defaultValue = "2000", description = "Generator: steps per series. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--hidden", defaultValue = "32", description = "Hidden size. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "LSTM layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--window", defaultValue = "48", description = "Steps per training window. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--horizon", defaultValue = "12", description = "Steps forecast per event. Default: ${DEFAULT-VALUE}.")
    int horizon;

    @Option(names = "--epochs", defaultValue = "30", description = "Most epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Windows per Adam step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed: the same seed and data reproduce the run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--validation", defaultValue = "0.2", description = "Fraction of each series' end for early stopping. Default: ${DEFAULT-VALUE}.")
    double validation;

    @Option(names = "--patience", defaultValue = "5", description = "Epochs without improvement before stopping. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--clip", defaultValue = "1.0", description = "Gradient norm limit. Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--residual", description = "Predict each target's change from its last value (good for positions and levels).")
    boolean residual;

    @Option(names = "--rollout", defaultValue = "0",
            description = "Train the last N steps of each window closed-loop on the model's own forecasts (multi-step training; 0: off). Default: ${DEFAULT-VALUE}.")
    int rollout;

    @Option(names = "--weights-format", defaultValue = "npz", paramLabel = "npz|pt",
            description = "The bundle's weights file: weights.npz, or weights.pt as torch.save writes a state_dict"
                    + " (torch.load and load_state_dict read it). Default: ${DEFAULT-VALUE}.")
    String weightsFormat;

    @Option(names = "--head", defaultValue = "recursive", paramLabel = "recursive|direct",
            description = "recursive: a one-step head the job feeds back for each horizon step; direct: one head output per"
                    + " horizon step (needed with --time-features). Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--time-features", split = ",", paramLabel = "NAME",
            description = "Calendar inputs from each event's time: hour-of-day, day-of-week (needs --head direct); the job"
                    + " must list the same ones in event.time-features.")
    List<String> timeFeatures;

    @Option(names = "--baseline", paramLabel = "NAME",
            description = "The baseline the model is meant to beat, recorded in model.json (persistence, constant-velocity,"
                    + " seasonal:PERIOD, none); a job file must not name another.")
    String baseline;

    @Option(names = "--decay", description = "Halve the learning rate whenever validation stops improving for a while.")
    boolean decay;

    @Override
    public Integer call() throws Exception {
        if (!weightsFormat.equals("npz") && !weightsFormat.equals("pt")) {
            throw new UserInputException("--weights-format must be npz or pt, not '" + weightsFormat + "'");
        }
        if (hidden < 1 || layers < 1 || window < 4 || horizon < 1 || epochs < 1 || batch < 1 || !(learningRate > 0)
                || !(validation >= 0 && validation < 1) || patience < 1 || !(clip > 0) || rollout < 0 || rollout >= window) {
            throw new UserInputException("sizes, --epochs, --batch and --patience must be positive, --window at least 4,"
                    + " --lr and --clip positive, --validation in [0, 1) and --rollout in [0, --window)");
        }
        if (!head.equals("recursive") && !head.equals("direct")) {
            throw new UserInputException("--head must be recursive or direct, not '" + head + "'");
        }
        List<String> calendar = timeFeatures == null ? List.of() : timeFeatures;
        try {
            TimeFeatures.parseAll(calendar);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--time-features: " + e.getMessage());
        }
        Baseline declared;
        try {
            declared = baseline == null ? Baseline.PERSISTENCE : Baseline.parse(baseline);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--" + e.getMessage()); // "--baseline must be ..."
        }
        boolean direct = head.equals("direct");
        if (!direct && !calendar.isEmpty()) {
            throw new UserInputException("--time-features need --head direct: a recursive head cannot know the times of"
                    + " the steps it feeds back");
        }
        if (direct && rollout > 0) {
            throw new UserInputException("--rollout trains a recursive head's closed loop; a direct head has none");
        }
        // A residual direct head corrects the declared baseline's forecast: persistence or constant velocity.
        if (residual && direct && declared.kind() == Baseline.Kind.SEASONAL) {
            throw new UserInputException("--residual --head direct learns a correction to persistence or constant-velocity;"
                    + " train against --baseline " + baseline + " without --residual, or pick one of those");
        }
        TrainConfig config = new TrainConfig(hidden, layers, window, epochs, batch, learningRate, seed, validation,
                patience, clip, residual, rollout, direct ? horizon : 0, calendar, 0, decay, 0,
                residual && direct && declared.kind() == Baseline.Kind.CONSTANT_VELOCITY);
        if ("sin-cos".equals(data.task)) {
            return sinCos(config);
        }
        if (data.task != null) {
            throw new UserInputException("--task " + data.task + " is unknown; the task is sin-cos");
        }
        Loaded loaded = data.csv != null ? csv() : generated();
        int[] targetColumns = new int[loaded.targets.size()];
        for (int k = 0; k < targetColumns.length; k++) {
            targetColumns[k] = loaded.features.indexOf(loaded.targets.get(k));
            if (targetColumns[k] < 0) {
                throw new UserInputException("--targets: '" + loaded.targets.get(k) + "' is not one of the columns " + loaded.features);
            }
        }
        Series series = Series.selfForecast(loaded.rows, loaded.times, targetColumns);
        Trainer.Result r = new Trainer(config, System.err).train(series, targetColumns);
        ModelBundle bundle = BundleExport.toBundle(r, name, version, loaded.features, loaded.targets, horizon, residual,
                "trained by `train` on " + loaded.source + " (seed " + seed + ")", baseline);
        write(bundle);
        System.out.printf(Locale.ROOT, "%s: %d series, %d epochs, train MSE %.5f, validation MSE %.5f (normalised units) -> %s%n",
                loaded.source, loaded.rows.size(), r.epochs(), r.trainLoss(), r.validationLoss(), out);
        return 0;
    }

    /** Writes the bundle to --out with its weights in the chosen format. */
    private void write(ModelBundle bundle) throws java.io.IOException {
        if (weightsFormat.equals("pt")) {
            ModelBundle.write(out, bundle.spec().withWeights("weights.pt"), PtStateDictWriter.write(bundle.weights()));
        } else {
            bundle.writeTo(out);
        }
    }

    /** Training series per entity: rows of feature values and each row's event time. */
    private record Loaded(String source, List<String> features, List<String> targets, List<double[][]> rows,
                          List<long[]> times) {
    }

    private Loaded generated() {
        List<String> features = switch (data.generator) {
            case "sensors" -> List.of("temperature");
            case "tracks" -> List.of("x", "y", "z");
            default -> throw new UserInputException("--generator must be sensors or tracks, not '" + data.generator + "'");
        };
        EventGenerator g = Generators.forJob(data.generator, entities, seed, 1_700_000_000_000L);
        Map<String, List<GeneratedEvent>> byEntity = new LinkedHashMap<>();
        for (long i = 0; i < (long) entities * steps; i++) {
            GeneratedEvent e = g.next();
            byEntity.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e);
        }
        return loaded(data.generator + " generator (" + entities + " x " + steps + " steps)", features, byEntity);
    }

    private Loaded csv() throws Exception {
        String[] header = java.nio.file.Files.newBufferedReader(data.csv).readLine().split(",");
        List<String> features = List.of(header).subList(2, header.length).stream().map(String::trim).toList();
        Map<String, List<GeneratedEvent>> byEntity = new LinkedHashMap<>();
        try {
            Iterator<GeneratedEvent> it = EventFeed.fromCsv(data.csv, features.size());
            while (it.hasNext()) {
                GeneratedEvent e = it.next();
                byEntity.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e);
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        return loaded(data.csv.toString(), features, byEntity);
    }

    private Loaded loaded(String source, List<String> features, Map<String, List<GeneratedEvent>> byEntity) {
        List<double[][]> rows = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        for (List<GeneratedEvent> series : byEntity.values()) {
            double[][] r = new double[series.size()][];
            long[] t = new long[series.size()];
            for (int i = 0; i < r.length; i++) {
                float[] v = series.get(i).values();
                t[i] = series.get(i).timestamp();
                r[i] = new double[v.length];
                for (int k = 0; k < v.length; k++) {
                    r[i][k] = v[k];
                }
            }
            rows.add(r);
            times.add(t);
        }
        return new Loaded(source, features, targets == null ? features : targets, rows, times);
    }

    /** The textbook task: x(t) = sin(0.1 t), y(t) = cos(0.1 t); train on the first half, test on the second. */
    private int sinCos(TrainConfig config) throws Exception {
        int points = 2000;
        double[][] x = new double[points][1];
        double[][] y = new double[points][1];
        for (int t = 0; t < points; t++) {
            x[t][0] = Math.sin(0.1 * t);
            y[t][0] = Math.cos(0.1 * t);
        }
        int half = points / 2;
        Series train = new Series(List.<double[][]>of(java.util.Arrays.copyOf(x, half)),
                List.<double[][]>of(java.util.Arrays.copyOf(y, half)));
        long start = System.nanoTime();
        Trainer.Result r = new Trainer(config, System.err).train(train, null);
        ModelBundle bundle = BundleExport.toBundle(r, name, version, List.of("sin"), List.of("cos"), 1, false,
                "sin(t) -> cos(t+1 step), trained by `train --task sin-cos` (seed " + seed + ")");
        write(bundle);
        // Test through the engine, one event at a time as the job runs it: state carried over the whole series.
        ForecastModel model = bundle.model();
        float[][] h = new float[layers][hidden];
        float[][] c = new float[layers][hidden];
        float[] f = new float[1];
        double se = 0;
        for (int t = 0; t + 1 < points; t++) {
            model.step(new float[] {(float) x[t][0]}, h, c, 1, f);
            if (t >= half) {
                double e = f[0] - y[t + 1][0];
                se += e * e;
            }
        }
        double mse = se / (points - 1 - half);
        System.out.printf(Locale.ROOT, "sin-cos: %d epochs in %.1f s; test MSE on the second half %.6f (goal < 0.001) -> %s%n",
                r.epochs(), (System.nanoTime() - start) / 1e9, mse, out);
        return mse < 1e-3 ? 0 : 1;
    }
}
