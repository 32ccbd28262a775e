package io.lstmforecast.state;

import io.lstmforecast.model.Baseline;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The baseline's history of the entity's recent values ({@link BaselineHistory}), and the baseline's forecast made at
 * each event, which it hands on to the later stages. The history is the entity's own, so it survives a swap; a
 * changed baseline setting restarts it. When the model's head predicts corrections to the baseline's forecast, they
 * move onto that forecast here: forecast(k) = baseline(k) + correction(k).
 */
final class BaselineStage implements Stage<BaselineHistory> {
    private final Baseline baseline;
    private final int targets;
    private final int horizon;
    private final boolean headCorrects;

    BaselineStage(Setup setup) {
        this.baseline = setup.baseline();
        this.targets = setup.targets();
        this.horizon = setup.horizon();
        this.headCorrects = setup.headCorrects();
    }

    @Override
    public StageKind<BaselineHistory> kind() {
        return Stages.BASELINE;
    }

    @Override
    public BaselineHistory fresh() {
        return BaselineHistory.empty(baseline, targets);
    }

    @Override
    public BaselineHistory fit(BaselineHistory stored, Restarts restarted) {
        return stored.fits(baseline, targets) ? stored : fresh();
    }

    @Override
    public BaselineHistory swapped(BaselineHistory history) {
        return history;
    }

    @Override
    public BaselineHistory advance(BaselineHistory history, Step step) {
        if (baseline.isNone()) {
            return history;
        }
        BaselineHistory next = history.add(
                baseline,
                step.event.timestamp(),
                step.actual,
                step.before.memory().lastEventTime());
        float[] forecast = next.forecast(baseline, step.event.timestamp(), horizon, targets);
        step.baselineForecast = forecast;
        if (headCorrects) {
            // The head's output is the last value plus its corrections (ForecastModel#step for a residual head).
            float[] model = step.modelForecast;
            for (int i = 0; i < model.length; i++) {
                model[i] += forecast[i] - step.actual[i % targets];
            }
        }
        return next;
    }

    /**
     * Version 1: the baseline it was kept for (kind ordinal as a byte, 255: not known; for a seasonal baseline its period
     * as a count, 2 x events or 2 x ms + 1), events seen (count), the mean gap (float), the values (length as a count,
     * floats) and the slot times (see {@link SlotTimes}).
     */
    static final class Codec implements StageCodec<BaselineHistory> {
        private static final int UNKNOWN = 255;

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(BaselineHistory h, long lastEventTime, DataOutputView out) throws IOException {
            Baseline b = h.baseline();
            out.writeByte(b == null ? UNKNOWN : b.kind().ordinal());
            if (b != null && b.kind() == Baseline.Kind.SEASONAL) {
                StateIO.writeCount(b.byTime() ? 2 * b.periodMillis() + 1 : 2L * b.periodEvents(), out);
            }
            StateIO.writeCount(h.seen(), out);
            out.writeFloat(h.meanGap());
            StateIO.writeFloatArray(h.values(), out);
            SlotTimes.write(h.times(), lastEventTime, false, out);
        }

        @Override
        public BaselineHistory read(int version, long lastEventTime, DataInputView in) throws IOException {
            int kind = in.readUnsignedByte();
            Baseline b = null;
            if (kind != UNKNOWN) {
                if (kind >= Baseline.Kind.values().length) {
                    throw new IOException("entity state is corrupt: baseline kind " + kind);
                }
                Baseline.Kind k = Baseline.Kind.values()[kind];
                long period = k == Baseline.Kind.SEASONAL ? StateIO.readCount(in) : 0;
                b = period % 2 == 1 ? new Baseline(k, 0, period / 2) : new Baseline(k, (int) (period / 2), 0);
            }
            return new BaselineHistory(
                    b,
                    StateIO.readCount(in),
                    in.readFloat(),
                    StateIO.readFloatArray(in),
                    SlotTimes.read(lastEventTime, false, in));
        }

        @Override
        public BaselineHistory copy(BaselineHistory h) {
            return h.copy();
        }
    }
}
