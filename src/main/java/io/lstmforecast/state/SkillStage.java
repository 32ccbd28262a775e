package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The skill statistics ({@link SkillTracker}): the served forecasts against the baseline's, both read from the ring of
 * pending forecasts. Off when the job has no baseline. They describe the model that wrote the entity's state and the
 * baseline the job has, so they restart on a swap, when the baseline's history restarts, and when the ring does.
 */
final class SkillStage implements Stage<SkillTracker> {
    private final boolean off;
    private final int targets;

    SkillStage(Setup setup) {
        this.off = setup.baseline().isNone();
        this.targets = setup.targets();
    }

    @Override
    public StageKind<SkillTracker> kind() {
        return Stages.SKILL;
    }

    @Override
    public SkillTracker fresh() {
        return off ? SkillTracker.OFF : SkillTracker.fresh(targets);
    }

    @Override
    public SkillTracker fit(SkillTracker stored, Restarts restarted) {
        boolean fits = off
                ? stored.isOff()
                : !restarted.restarted(Stages.BASELINE) && !restarted.restarted(Stages.PENDING) && stored.fits(targets);
        return fits ? stored : fresh();
    }

    @Override
    public SkillTracker swapped(SkillTracker skill) {
        return fresh();
    }

    @Override
    public SkillTracker advance(SkillTracker skill, Step step) {
        return off ? skill : skill.advance(step.actual, step.oneStepError, step.before.pending());
    }

    /**
     * Version 1: events seen (count), targets (count; 0: off), the scored counts at step 1 and step H (counts), and the
     * model's and the baseline's MAE at both steps (2 x targets floats each).
     */
    static final class Codec implements StageCodec<SkillTracker> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(SkillTracker k, long lastEventTime, DataOutputView out) throws IOException {
            if (k.scored().length != 2
                    || k.baselineMae().length != k.modelMae().length
                    || k.modelMae().length % 2 != 0) {
                k = SkillTracker.OFF; // damaged: it would restart on the entity's next event anyway
            }
            StateIO.writeCount(k.forecasts(), out);
            StateIO.writeCount(k.modelMae().length / 2, out);
            StateIO.writeCount(k.scored()[0], out);
            StateIO.writeCount(k.scored()[1], out);
            StateIO.writeFloats(k.modelMae(), out);
            StateIO.writeFloats(k.baselineMae(), out);
        }

        @Override
        public SkillTracker read(int version, long lastEventTime, DataInputView in) throws IOException {
            long forecasts = StateIO.readCount(in);
            int targets = StateIO.readLength(in);
            long[] scored = {StateIO.readCount(in), StateIO.readCount(in)};
            int length = StateIO.checked(2L * targets);
            return new SkillTracker(forecasts, scored, StateIO.readFloats(length, in), StateIO.readFloats(length, in));
        }

        @Override
        public SkillTracker copy(SkillTracker k) {
            return k.copy();
        }
    }
}
