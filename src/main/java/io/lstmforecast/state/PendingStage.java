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

    /**
     * Version 1: horizon and targets (counts), then the model's, the baseline's and the served track. A track is a byte,
     * {@link #ABSENT} (not kept), {@link #FLAT} (each forecast in it is the same at every pending step, as persistence's
     * always is: one value per forecast and target follow, newest first) or {@link #FULL} (every value follows, in {@link
     * Triangle} order).
     */
    static final class Codec implements StageCodec<PendingForecasts> {
        static final int ABSENT = 0;
        static final int FULL = 1;
        static final int FLAT = 2;

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(PendingForecasts ring, long lastEventTime, DataOutputView out) throws IOException {
            StateIO.writeCount(ring.horizon(), out);
            StateIO.writeCount(ring.targets(), out);
            writeTrack(ring.model(), ring, out);
            writeTrack(ring.baseline(), ring, out);
            writeTrack(ring.served(), ring, out);
        }

        private static void writeTrack(float[] track, PendingForecasts ring, DataOutputView out) throws IOException {
            if (track.length != ring.trackLength()) {
                track = new float[0]; // damaged or not kept: the stage restarts the track on the entity's next event
            }
            if (track.length == 0) {
                out.writeByte(ABSENT);
                return;
            }
            boolean flat = flat(track, ring.horizon(), ring.targets());
            out.writeByte(flat ? FLAT : FULL);
            if (!flat) {
                StateIO.writeFloats(track, out);
                return;
            }
            for (int j = 0; j < ring.horizon(); j++) {
                for (int t = 0; t < ring.targets(); t++) {
                    out.writeFloat(track[Triangle.index(ring.horizon(), 1, 1 + j) * ring.targets() + t]);
                }
            }
        }

        /** Whether every forecast in the track (made j events before the last) has one value at all its steps. */
        private static boolean flat(float[] track, int horizon, int targets) {
            for (int j = 0; j < horizon; j++) {
                for (int t = 0; t < targets; t++) {
                    int first = Float.floatToRawIntBits(track[Triangle.index(horizon, 1, 1 + j) * targets + t]);
                    for (int d = 2; d + j <= horizon; d++) {
                        if (Float.floatToRawIntBits(track[Triangle.index(horizon, d, d + j) * targets + t]) != first) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        @Override
        public PendingForecasts read(int version, long lastEventTime, DataInputView in) throws IOException {
            int horizon = StateIO.readLength(in);
            int targets = StateIO.readLength(in);
            return new PendingForecasts(
                    horizon,
                    targets,
                    readTrack(horizon, targets, in),
                    readTrack(horizon, targets, in),
                    readTrack(horizon, targets, in));
        }

        private static float[] readTrack(int horizon, int targets, DataInputView in) throws IOException {
            int how = in.readUnsignedByte();
            int length = StateIO.checked((long) Triangle.size(horizon) * targets);
            if (how == ABSENT) {
                return new float[0];
            }
            if (how == FULL) {
                return StateIO.readFloats(length, in);
            }
            if (how != FLAT) {
                throw new IOException("entity state is corrupt: a pending track marked " + how);
            }
            float[] track = new float[length];
            for (int j = 0; j < horizon; j++) {
                for (int t = 0; t < targets; t++) {
                    float v = in.readFloat();
                    for (int d = 1; d + j <= horizon; d++) {
                        track[Triangle.index(horizon, d, d + j) * targets + t] = v;
                    }
                }
            }
            return track;
        }

        @Override
        public PendingForecasts copy(PendingForecasts ring) {
            return ring.copy();
        }
    }
}
