package io.lstmforecast.cli;

import io.lstmforecast.eval.SeriesMethod;
import io.lstmforecast.eval.TrackMethod;
import io.lstmforecast.model.TimeFeatures;
import java.util.List;
import picocli.CommandLine.Option;

/** evaluate's overrides of the evaluated method's settings; each left out keeps the method's own. */
final class MethodOptions {
    @Option(names = "--hidden", description = "Hidden size (default: the method's, 32).")
    Integer hidden;

    @Option(names = "--lr", description = "Adam's initial learning rate (default: the method's).")
    Double learningRate;

    @Option(names = "--window", description = "taxi, ett: steps per training window (default: the method's, 96).")
    Integer window;

    @Option(
            names = "--time-features",
            split = ",",
            paramLabel = "LIST",
            description = "taxi, ett: calendar inputs, e.g. hour-of-day,day-of-week (the default), or none.")
    List<String> timeFeatures;

    @Option(
            names = "--head",
            paramLabel = "direct|recursive",
            description = "direct (all horizon steps at once; the default) or recursive (one step, fed back).")
    String head;

    @Option(
            names = "--rotations",
            description = "ethucy: orientations each training track is seen in (default: the method's).")
    Integer rotations;

    @Option(
            names = "--speed-scales",
            split = ",",
            paramLabel = "LIST",
            description = "ethucy: factors each training track's displacements are also seen multiplied by, e.g."
                    + " 0.75,1,1.25 (default: the method's).")
    List<Double> speedScales;

    @Option(
            names = "--mirror",
            arity = "1",
            paramLabel = "true|false",
            description = "ethucy: also train on every track reflected left to right; default: the method's.")
    Boolean mirror;

    @Option(
            names = "--input-noise",
            paramLabel = "METRES",
            description =
                    "ethucy: also train on a copy of every track with Gaussian noise of this standard deviation on"
                            + " its inputs (its targets as recorded); default: the method's, 0.")
    Double inputNoise;

    @Option(
            names = "--augment",
            arity = "1",
            paramLabel = "true|false",
            description =
                    "taxi, ett: also train on copies of the training rows at other levels and scales; default true.")
    Boolean augment;

    @Option(
            names = "--carry-state",
            arity = "1",
            paramLabel = "true|false",
            description = "taxi, ett: train on consecutive windows with the state carried from one to the next, as the"
                    + " job carries it (truncated back-propagation through time); default: the method's.")
    Boolean carryState;

    @Option(
            names = "--choose",
            paramLabel = "streamed|windows",
            description =
                    "taxi, ett, ethucy: pick the epoch on the validation rows (windows) streamed through the job's"
                            + " code path, or on the trainer's validation loss; default: the method's.")
    String choose;

    @Option(
            names = "--residual",
            arity = "1",
            paramLabel = "true|false",
            description =
                    "The head predicts the correction to the baseline (persistence, constant velocity); default true.")
    Boolean residual;

    @Option(
            names = "--state-noise",
            paramLabel = "SIGMA",
            description = "taxi, ett, with the state carried: noise (standard deviation) added to the state handed"
                    + " from one training window to the next; default 0.")
    Double stateNoise;

    @Option(
            names = "--state-reset",
            paramLabel = "P",
            description = "taxi, ett, with the state carried: chance per training window that the state is not handed"
                    + " on (the next window starts from zeros and warms up again); default 0.")
    Double stateReset;

    @Option(
            names = "--learned-start",
            arity = "1",
            paramLabel = "true|false",
            description = "eth, zara1, ethucy: every training window starts from a learnt state (exported as h0, c0,"
                    + " the state a fresh entity starts from in the job) instead of zeros; default true.")
    Boolean learnedStart;

    @Option(
            names = "--epochs",
            description = "Most training epochs (default: the method's, 40; 20 per file for --task nab).")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** The overrides' checks; {@code horizon} is evaluate's --horizon, checked with them as one message. */
    void check(int horizon) {
        if (head != null && !head.equals("direct") && !head.equals("recursive")) {
            throw new UserInputException("--head must be direct or recursive, not '" + head + "'");
        }
        if (choose != null && !choose.equals("streamed") && !choose.equals("windows")) {
            throw new UserInputException("--choose must be streamed or windows, not '" + choose + "'");
        }
        if ((hidden != null && hidden < 1)
                || (epochs != null && epochs < 1)
                || (window != null && window < 4)
                || (learningRate != null && !(learningRate > 0))
                || horizon < 1
                || horizon > 720
                || (rotations != null && rotations < 1)
                || (stateNoise != null && !(stateNoise >= 0))
                || (stateReset != null && !(stateReset >= 0 && stateReset < 1))
                || (inputNoise != null && !(inputNoise >= 0))
                || (speedScales != null && speedScales.stream().anyMatch(f -> !(f > 0) || Double.isInfinite(f)))) {
            throw new UserInputException(
                    "--hidden, --epochs and --rotations must be positive, --window at least 4, --lr positive,"
                            + " --state-noise and --input-noise not negative, --state-reset in [0, 1), --speed-scales"
                            + " positive numbers and --horizon in [1, 720]");
        }
        if (timeFeatures != null && !timeFeatures.equals(List.of("none"))) {
            try {
                TimeFeatures.parseAll(timeFeatures);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--time-features: " + e.getMessage() + " (or none)");
            }
        }
    }

    /** The series method's settings with these overrides. */
    SeriesMethod.Settings series() {
        SeriesMethod.Settings d = SeriesMethod.DEFAULT;
        List<String> calendar = timeFeatures == null
                ? d.timeFeatures()
                : timeFeatures.equals(List.of("none")) ? List.of() : timeFeatures;
        boolean direct = head == null ? d.direct() : head.equals("direct");
        return new SeriesMethod.Settings(
                hidden != null ? hidden : d.hidden(),
                window != null ? window : d.window(),
                d.stride(),
                learningRate != null ? learningRate : d.learningRate(),
                epochs != null ? epochs : d.epochs(),
                d.patience(),
                direct ? calendar : List.of(),
                direct,
                residual != null ? residual : d.residual(),
                augment != null ? augment : d.augment(),
                d.epochWindows(),
                carryState != null ? carryState : d.carry(),
                stateNoise != null ? stateNoise : d.stateNoise(),
                stateReset != null ? stateReset : d.stateReset(),
                choose != null ? choose.equals("streamed") : d.streamedChoice(),
                seed);
    }

    /** The track method's settings with these overrides. */
    TrackMethod.Settings track() {
        TrackMethod.Settings d = TrackMethod.DEFAULT;
        return new TrackMethod.Settings(
                hidden != null ? hidden : d.hidden(),
                learningRate != null ? learningRate : d.learningRate(),
                epochs != null ? epochs : d.epochs(),
                d.patience(),
                head == null ? d.direct() : head.equals("direct"),
                residual != null ? residual : d.residual(),
                rotations != null ? rotations : d.rotations(),
                d.epochWindows(),
                speedScales != null ? speedScales : d.speedScales(),
                mirror != null ? mirror : d.mirror(),
                inputNoise != null ? inputNoise : d.inputNoise(),
                choose != null ? choose.equals("streamed") : d.streamedChoice(),
                learnedStart != null ? learnedStart : d.learnedStart(),
                seed);
    }
}
