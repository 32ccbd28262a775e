package io.lstmforecast.cli;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.train.BundleExport;
import io.lstmforecast.train.Series;
import io.lstmforecast.train.SinCosTask;
import io.lstmforecast.train.TrainConfig;
import io.lstmforecast.train.Trainer;
import io.lstmforecast.train.TrainingData;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains an LSTM forecaster and writes a model bundle (PyTorch state_dict layout).",
            "Data: a CSV (entity,timestamp,<features>), a job's generator, or the sin-cos textbook task."
        })
final class TrainCommand implements Callable<Integer> {

    static final class Data {
        @Option(
                names = "--csv",
                paramLabel = "FILE",
                description = "CSV with header entity,timestamp,<feature columns>; one series per entity.")
        Path csv;

        @Option(
                names = "--generator",
                paramLabel = "JOB",
                description = "Synthetic series from the generator of a shipped job: sensors or tracks.")
        String generator;

        @Option(
                names = "--task",
                paramLabel = "TASK",
                description = "sin-cos: learn cos(t) from sin(t); reports test MSE on the second half.")
        String task;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Data data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the bundle.")
    Path out;

    @Option(
            names = "--name",
            defaultValue = "model",
            description = "Model name in model.json. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--version", defaultValue = "1", description = "Model version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(names = "--targets", split = ",", description = "CSV: the feature columns to forecast (default: all).")
    List<String> targets;

    @Option(names = "--entities", defaultValue = "20", description = "Generator: series. Default: ${DEFAULT-VALUE}.")
    int entities;

    @Option(
            names = "--steps",
            defaultValue = "2000",
            description = "Generator: steps per series. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Mixin
    TrainOptions settings;

    @Option(
            names = "--weights-format",
            defaultValue = "npz",
            paramLabel = "npz|pt",
            description = "The bundle's weights file: weights.npz, or weights.pt as torch.save writes a state_dict"
                    + " (torch.load and load_state_dict read it). Default: ${DEFAULT-VALUE}.")
    String weightsFormat;

    @Override
    public Integer call() throws Exception {
        if (!weightsFormat.equals("npz") && !weightsFormat.equals("pt")) {
            throw new UserInputException("--weights-format must be npz or pt, not '" + weightsFormat + "'");
        }
        TrainConfig config = settings.config();
        if ("sin-cos".equals(data.task)) {
            SinCosTask.Result r = SinCosTask.run(config, name, version, System.err);
            BundleExport.write(r.bundle(), out, weightsFormat.equals("pt"));
            System.out.printf(
                    Locale.ROOT,
                    "sin-cos: %d epochs in %.1f s; test MSE on the second half %.6f (goal < 0.001) -> %s%n",
                    r.epochs(),
                    r.seconds(),
                    r.testMse(),
                    out);
            return r.learnt() ? 0 : 1;
        }
        if (data.task != null) {
            throw new UserInputException("--task " + data.task + " is unknown; the task is sin-cos");
        }
        TrainingData loaded = load();
        List<String> targetNames = targets == null ? loaded.features() : targets;
        int[] targetColumns;
        try {
            targetColumns = loaded.columns(targetNames);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--targets: " + e.getMessage());
        }
        Trainer.Result r = new Trainer(config, System.err)
                .train(Series.selfForecast(loaded.rows(), loaded.times(), targetColumns), targetColumns);
        ModelBundle bundle = BundleExport.toBundle(
                r,
                name,
                version,
                loaded.features(),
                targetNames,
                settings.horizon,
                settings.residual,
                "trained by `train` on " + loaded.source() + " (seed " + settings.seed + ")",
                settings.baseline);
        BundleExport.write(bundle, out, weightsFormat.equals("pt"));
        System.out.printf(
                Locale.ROOT,
                "%s: %d series, %d epochs, train MSE %.5f, validation MSE %.5f (normalised units) -> %s%n",
                loaded.source(),
                loaded.rows().size(),
                r.epochs(),
                r.trainLoss(),
                r.validationLoss(),
                out);
        return 0;
    }

    private TrainingData load() throws Exception {
        if (data.csv == null) {
            if (!TrainingData.GENERATED_FEATURES.containsKey(data.generator)) {
                throw new UserInputException("--generator must be sensors or tracks, not '" + data.generator + "'");
            }
            return TrainingData.generated(data.generator, entities, steps, settings.seed);
        }
        try {
            return TrainingData.csv(data.csv);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }
}
