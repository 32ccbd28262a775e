package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keeps the {@link PendingForecasts}: after every event, the forecasts made at it join the ring. It advances after the
 * stages that score the ring's forecasts (they read the ring as it was before the event). The forecasts describe the
 * model that made them, so a swap empties the ring; a changed baseline empties the baseline's track.
 */
final class PendingStage implements Stage<PendingForecasts> {
    private final int horizon;
    private final int targets;
    private final boolean baseline;
    private final boolean served;

    PendingStage(Setup setup) {
        this.horizon = setup.horizon();
        this.targets = setup.targets();
        this.baseline = !setup.baseline().isNone();
        this.served = setup.keepModelForecasts();
    }

    @Override
    public StageKind<PendingForecasts> kind() {
        return Stages.PENDING;
    }

    @Override
    public PendingForecasts fresh() {
        return PendingForecasts.fresh(horizon, targets, baseline, served);
    }

    @Override
    public PendingForecasts fit(PendingForecasts stored, Restarts restarted) {
        int length = Triangle.size(horizon) * targets;
        if (stored.horizon() != horizon || stored.targets() != targets || stored.model().length != length) {
            return fresh();
        }
        boolean baselineFits = baseline
                ? stored.baseline().length == length && !restarted.restarted(Stages.BASELINE)
                : stored.baseline().length == 0;
        boolean servedFits = stored.served().length == (served ? length : 0);
        if (baselineFits && servedFits) {
            return stored;
        }
        PendingForecasts fresh = fresh();
        return new PendingForecasts(
                horizon,
                targets,
                stored.model(),
                baselineFits ? stored.baseline() : fresh.baseline(),
                servedFits ? stored.served() : fresh.served());
    }

    @Override
    public PendingForecasts swapped(PendingForecasts ring) {
        return fresh();
    }

    @Override
    public PendingForecasts advance(PendingForecasts ring, Step step) {
        return ring.push(step.modelForecast, step.baselineForecast, step.forecast);
    }

    /** Version 1: horizon and targets (counts), then the model's, the baseline's and the served track (arrays). */
    static final class Codec implements StageCodec<PendingForecasts> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(PendingForecasts ring, long lastEventTime, DataOutputView out) throws IOException {
            StateIO.writeCount(ring.horizon(), out);
            StateIO.writeCount(ring.targets(), out);
            StateIO.writeFloatArray(ring.model(), out);
            StateIO.writeFloatArray(ring.baseline(), out);
            StateIO.writeFloatArray(ring.served(), out);
        }

        @Override
        public PendingForecasts read(int version, long lastEventTime, DataInputView in) throws IOException {
            return new PendingForecasts(
                    StateIO.readLength(in),
                    StateIO.readLength(in),
                    StateIO.readFloatArray(in),
                    StateIO.readFloatArray(in),
                    StateIO.readFloatArray(in));
        }

        @Override
        public PendingForecasts copy(PendingForecasts ring) {
            return ring.copy();
        }
    }
}
