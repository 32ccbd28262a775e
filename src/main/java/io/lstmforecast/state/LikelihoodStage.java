package io.lstmforecast.state;

import io.lstmforecast.config.AlertMethod;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The anomaly likelihood of the entity's standardised one-step residuals and of its hidden state's novelty ({@link
 * AnomalyLikelihood}); hands each target's likelihood on to the alert rules. As nupic skips its model's learning
 * period, it scores once the rolling error statistics span their window. It describes the model that wrote the
 * entity's state, so it restarts with it.
 */
final class LikelihoodStage implements Stage<AnomalyLikelihood> {
    private final int targets;
    private final int units;
    private final boolean combined;

    LikelihoodStage(Setup setup) {
        this.targets = setup.targets();
        this.units = AnomalyLikelihood.noveltyUnits(setup.stateSize());
        this.combined = setup.policy().alerts().method() == AlertMethod.COMBINED_LIKELIHOOD;
    }

    @Override
    public StageKind<AnomalyLikelihood> kind() {
        return Stages.LIKELIHOOD;
    }

    @Override
    public AnomalyLikelihood fresh() {
        return AnomalyLikelihood.empty(targets, units);
    }

    @Override
    public AnomalyLikelihood fit(AnomalyLikelihood stored, Restarts restarted) {
        return stored.fits(targets, units) ? stored : fresh();
    }

    @Override
    public AnomalyLikelihood swapped(AnomalyLikelihood likelihood) {
        return fresh();
    }

    @Override
    public AnomalyLikelihood advance(AnomalyLikelihood likelihood, Step step) {
        RollingError stats = step.before.memory().error();
        if (step.oneStepError == null || stats.count() < RollingError.WINDOW) {
            return likelihood;
        }
        AnomalyLikelihood.Update u = likelihood.observe(
                standardised(stats, step.oneStepError), step.rows.firstUnits(step.row, units), combined);
        step.likelihood = u.likelihood();
        return u.next();
    }

    /** z = (error - rolling mean) / rolling std per target, from the statistics before this error (0 when std is 0). */
    private static double[] standardised(RollingError stats, float[] error) {
        double[] z = new double[error.length];
        for (int t = 0; t < z.length; t++) {
            double std = stats.std(t);
            z[t] = std > 0 ? (error[t] - stats.mean()[t]) / std : 0;
        }
        return z;
    }

    /**
     * Version 1: scores seen (count), targets and watched units (counts), then the long-window means and mean squares
     * of the statistics, the ring of recent scores, the last likelihoods and the novelty's reference (floats; lengths
     * from targets and units).
     */
    static final class Codec implements StageCodec<AnomalyLikelihood> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(AnomalyLikelihood l, long lastEventTime, DataOutputView out) throws IOException {
            int targets = l.lastLikelihood().length;
            int units = l.novelty().length - 2;
            if (units < 0 || !l.fits(targets, units)) {
                l = AnomalyLikelihood.empty(targets, 0); // damaged: it would restart on the entity's next event anyway
                units = 0;
            }
            StateIO.writeCount(l.count(), out);
            StateIO.writeCount(targets, out);
            StateIO.writeCount(units, out);
            StateIO.writeFloats(l.mean(), out);
            StateIO.writeFloats(l.meanSq(), out);
            StateIO.writeFloats(l.recent(), out);
            StateIO.writeFloats(l.lastLikelihood(), out);
            StateIO.writeFloats(l.novelty(), out);
        }

        @Override
        public AnomalyLikelihood read(int version, long lastEventTime, DataInputView in) throws IOException {
            long count = StateIO.readCount(in);
            int targets = StateIO.readLength(in);
            int units = StateIO.readLength(in);
            int statistics = StateIO.checked((long) AnomalyLikelihood.STATISTICS * targets);
            return new AnomalyLikelihood(
                    count,
                    StateIO.readFloats(statistics, in),
                    StateIO.readFloats(statistics, in),
                    StateIO.readFloats(StateIO.checked((long) AnomalyLikelihood.RING * targets), in),
                    StateIO.readFloats(targets, in),
                    StateIO.readFloats(units + 2, in));
        }

        @Override
        public AnomalyLikelihood copy(AnomalyLikelihood l) {
            return l.copy();
        }
    }
}
