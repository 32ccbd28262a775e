package io.lstmforecast.cli;

import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.train.TrainConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** train's settings of the network and the training run, checked together and turned into a {@link TrainConfig}. */
final class TrainOptions {
    @Option(names = "--hidden", defaultValue = "32", description = "Hidden size. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "LSTM layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(
            names = "--window",
            defaultValue = "48",
            description = "Steps per training window. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(
            names = "--horizon",
            defaultValue = "12",
            description = "Steps forecast per event. Default: ${DEFAULT-VALUE}.")
    int horizon;

    @Option(names = "--epochs", defaultValue = "30", description = "Most epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Windows per Adam step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed: the same seed and data reproduce the run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--validation",
            defaultValue = "0.2",
            description = "Fraction of each series' end for early stopping. Default: ${DEFAULT-VALUE}.")
    double validation;

    @Option(
            names = "--patience",
            defaultValue = "5",
            description = "Epochs without improvement before stopping. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--clip", defaultValue = "1.0", description = "Gradient norm limit. Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(
            names = "--residual",
            description = "Predict each target's change from its last value (good for positions and levels).")
    boolean residual;

    @Option(
            names = "--rollout",
            defaultValue = "0",
            description =
                    "Train the last N steps of each window closed-loop on the model's own forecasts (multi-step training; 0: off). Default: ${DEFAULT-VALUE}.")
    int rollout;

    @Option(
            names = "--head",
            defaultValue = "recursive",
            paramLabel = "recursive|direct",
            description =
                    "recursive: a one-step head the job feeds back for each horizon step; direct: one head output per"
                            + " horizon step (needed with --time-features). Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(
            names = "--time-features",
            split = ",",
            paramLabel = "NAME",
            description =
                    "Calendar inputs from each event's time: hour-of-day, day-of-week (needs --head direct); the job"
                            + " must list the same ones in event.time-features.")
    List<String> timeFeatures;

    @Option(
            names = "--baseline",
            paramLabel = "NAME",
            description =
                    "The baseline the model is meant to beat, recorded in model.json (persistence, constant-velocity,"
                            + " seasonal:PERIOD, none); a job file must not name another.")
    String baseline;

    @Option(names = "--decay", description = "Halve the learning rate whenever validation stops improving for a while.")
    boolean decay;

    @Option(
            names = "--learned-start",
            description = "Learn the state every window starts from (exported as h0, c0: a fresh entity starts from it"
                    + " in the job) instead of zeros.")
    boolean learnedStart;

    /** The training run these settings describe, or a UserInputException naming the flag to change. */
    TrainConfig config() {
        if (hidden < 1
                || layers < 1
                || window < 4
                || horizon < 1
                || epochs < 1
                || batch < 1
                || !(learningRate > 0)
                || !(validation >= 0 && validation < 1)
                || patience < 1
                || !(clip > 0)
                || rollout < 0
                || rollout >= window) {
            throw new UserInputException(
                    "sizes, --epochs, --batch and --patience must be positive, --window at least 4,"
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
            throw new UserInputException(
                    "--residual --head direct learns a correction to persistence or constant-velocity;"
                            + " train against --baseline " + baseline + " without --residual, or pick one of those");
        }
        return new TrainConfig(
                hidden,
                layers,
                window,
                epochs,
                batch,
                learningRate,
                seed,
                validation,
                patience,
                clip,
                residual,
                rollout,
                direct ? horizon : 0,
                calendar,
                0,
                decay,
                0,
                residual && direct && declared.kind() == Baseline.Kind.CONSTANT_VELOCITY,
                null,
                learnedStart);
    }
}
