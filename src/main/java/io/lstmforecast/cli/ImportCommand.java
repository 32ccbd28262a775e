package io.lstmforecast.cli;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.model.formats.ModelImport;
import io.lstmforecast.model.formats.WeightsImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a model bundle from a model trained elsewhere: a PyTorch state_dict saved with torch.save",
            "(.pt/.pth) or numpy.savez (.npz), or an ONNX export (.onnx). Cell, hidden size, layers and head are read from",
            "the tensors; the bundle is loaded back and run for a few steps before the command reports success."
        })
final class ImportCommand implements Callable<Integer> {
    @Option(
            names = "--from",
            required = true,
            paramLabel = "FILE",
            description = "The weights file; its format is read from its content.")
    Path from;

    @Option(
            names = "--features",
            required = true,
            split = ",",
            paramLabel = "a,b",
            description = "The event fields the model takes, in the order of its input columns.")
    List<String> features;

    @Option(
            names = "--targets",
            required = true,
            split = ",",
            paramLabel = "a",
            description = "The features its head forecasts, in the order of the head's outputs.")
    List<String> targets;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Where to write the bundle (a directory).")
    Path out;

    @Option(names = "--name", description = "Model name in model.json. Default: the file's name without its extension.")
    String name;

    @Option(names = "--version", defaultValue = "1", description = "Model version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(
            names = "--horizon",
            defaultValue = "0",
            description = "Steps to forecast: for a head with one output per target"
                    + " (recursive) any number, default 1; for a direct head, outputs / targets (the default).")
    int horizon;

    @Option(names = "--residual", description = "The head predicts each target's change from its last value.")
    boolean residual;

    @Option(
            names = "--cell",
            paramLabel = "KIND",
            description = "lstm, gru, peephole or cifg (default: read from the shapes;"
                    + " a cifg's 3 gate blocks look like a GRU's, so give it).")
    String cell;

    @Option(
            names = "--feature-mean",
            split = ",",
            description = "Per feature: the network sees (x - mean) / std. Default 0.")
    List<Float> featureMean;

    @Option(names = "--feature-std", split = ",", description = "Per feature. Default 1.")
    List<Float> featureStd;

    @Option(
            names = "--target-mean",
            split = ",",
            description = "Per target: outputs are mapped back with y * std + mean. Default 0.")
    List<Float> targetMean;

    @Option(names = "--target-std", split = ",", description = "Per target. Default 1.")
    List<Float> targetStd;

    @Option(names = "--description", description = "Free text in model.json.")
    String description;

    @Option(names = "--npz", description = "Write the weights converted to weights.npz instead of a copy of the file.")
    boolean npz;

    @Override
    public Integer call() throws Exception {
        ReadLimits limits = ReadLimits.DEFAULT;
        WeightsImport weights = WeightsImport.read(from, limits);
        ModelImport.Request request = new ModelImport.Request(
                name != null ? name : weights.baseName(),
                version,
                features,
                targets,
                normalisation(),
                horizon,
                residual,
                cell == null ? null : parseCell(cell),
                description);
        ModelSpec spec = weights.spec(request, npz);
        if (Files.exists(out.resolve(ModelBundle.SPEC_FILE))) {
            throw new UserInputException("--out " + out + " already holds a bundle; choose a new directory");
        }
        float[] forecast = weights.writeChecked(out, spec, npz, limits);
        System.out.printf(
                "%s (%s): %s, %d layer(s), hidden %d, %d feature(s) -> %s, %s horizon %d%n",
                from,
                weights.format().name(),
                spec.cell(),
                spec.numLayers(),
                spec.hiddenSize(),
                features.size(),
                targets,
                spec.horizonMode(),
                spec.horizon());
        System.out.printf(
                "wrote %s (%s + %s); ran %d steps at the feature means, last forecast %s%n",
                out, ModelBundle.SPEC_FILE, spec.weightsFile(), WeightsImport.CHECK_STEPS, Arrays.toString(forecast));
        return 0;
    }

    private ModelSpec.Normalisation normalisation() {
        return new ModelSpec.Normalisation(
                values(featureMean, features.size(), 0, "--feature-mean"),
                values(featureStd, features.size(), 1, "--feature-std"),
                values(targetMean, targets.size(), 0, "--target-mean"),
                values(targetStd, targets.size(), 1, "--target-std"));
    }

    private static float[] values(List<Float> given, int n, float otherwise, String flag) {
        float[] v = new float[n];
        Arrays.fill(v, otherwise);
        if (given == null) {
            return v;
        }
        if (given.size() != n) {
            throw new UserInputException(
                    flag + " has " + given.size() + " value(s) but " + n + " are needed, one per name");
        }
        for (int i = 0; i < n; i++) {
            v[i] = given.get(i);
        }
        return v;
    }

    private static CellKind parseCell(String text) {
        try {
            return CellKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--cell: " + e.getMessage());
        }
    }
}
