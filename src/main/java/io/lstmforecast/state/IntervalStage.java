package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The entity's prediction intervals ({@link IntervalState}), scored against the served forecasts of the ring of
 * pending forecasts. They describe the errors of the model that wrote the entity's state, so they restart with it.
 */
final class IntervalStage implements Stage<IntervalState> {
    private final double coverage;
    private final int horizon;
    private final int targets;

    IntervalStage(Setup setup) {
        this.coverage = setup.policy().intervals().coverage();
        boolean on = coverage > 0;
        this.horizon = on ? setup.horizon() : 0;
        this.targets = on ? setup.targets() : 0;
    }

    @Override
    public StageKind<IntervalState> kind() {
        return Stages.INTERVALS;
    }

    @Override
    public IntervalState fresh() {
        return horizon == 0 ? IntervalState.OFF : IntervalState.fresh(horizon, targets);
    }

    @Override
    public IntervalState fit(IntervalState stored, Restarts restarted) {
        return stored.fits(horizon, targets) ? stored : fresh();
    }

    @Override
    public IntervalState swapped(IntervalState intervals) {
        return fresh();
    }

    @Override
    public IntervalState advance(IntervalState intervals, Step step) {
        if (intervals.isOff()) {
            return intervals;
        }
        IntervalState.Update u = intervals.advance(step.actual, step.forecast, step.before.pending(), coverage);
        step.scoredOneStep = u.scoredOneStep();
        step.coveredOneStep = u.coveredOneStep();
        return u.next();
    }

    /**
     * Version 1: horizon, targets and events observed (counts), the half-widths and scales (H x targets floats each),
     * and the published half-widths of the pending forecasts but those made at the last event, which are the current
     * half-widths ({@link Triangle} order, block by block).
     */
    static final class Codec implements StageCodec<IntervalState> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(IntervalState iv, long lastEventTime, DataOutputView out) throws IOException {
            if (!iv.fits(iv.horizon(), iv.targets())) {
                iv = IntervalState.OFF; // damaged: it would restart on the entity's next event anyway
            }
            int h = iv.horizon();
            int targets = iv.targets();
            StateIO.writeCount(h, out);
            StateIO.writeCount(targets, out);
            StateIO.writeCount(iv.observed(), out);
            StateIO.writeFloats(iv.halfWidth(), out);
            StateIO.writeFloats(iv.scale(), out);
            float[] ph = iv.pendingHalfWidth();
            for (int d = 1; d <= h; d++) {
                for (int k = d + 1; k <= h; k++) {
                    int at = Triangle.index(h, d, k) * targets;
                    for (int t = 0; t < targets; t++) {
                        out.writeFloat(ph[at + t]);
                    }
                }
            }
        }

        @Override
        public IntervalState read(int version, long lastEventTime, DataInputView in) throws IOException {
            int h = StateIO.readLength(in);
            int targets = StateIO.readLength(in);
            StateIO.checked((long) Triangle.size(h) * targets);
            long observed = StateIO.readCount(in);
            float[] hw = StateIO.readFloats(h * targets, in);
            float[] scale = StateIO.readFloats(h * targets, in);
            float[] ph = new float[Triangle.size(h) * targets];
            for (int d = 1; d <= h; d++) {
                System.arraycopy(hw, (d - 1) * targets, ph, Triangle.index(h, d, d) * targets, targets);
                for (int k = d + 1; k <= h; k++) {
                    int at = Triangle.index(h, d, k) * targets;
                    for (int t = 0; t < targets; t++) {
                        ph[at + t] = in.readFloat();
                    }
                }
            }
            return new IntervalState(h, targets, observed, hw, scale, ph);
        }

        @Override
        public IntervalState copy(IntervalState iv) {
            return iv.copy();
        }
    }
}
