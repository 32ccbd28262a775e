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
    private final boolean combined;

    PendingStage(Setup setup) {
        this.horizon = setup.horizon();
        this.targets = setup.targets();
        this.baseline = !setup.baseline().isNone();
        this.combined = setup.servesCombination();
    }

    @Override
    public StageKind<PendingForecasts> kind() {
        return Stages.PENDING;
    }

    @Override
    public PendingForecasts fresh() {
        return PendingForecasts.fresh(horizon, targets, baseline, combined);
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
        boolean weightFits = stored.weight().length == (combined ? Triangle.size(horizon) : 0);
        if (baselineFits && weightFits) {
            return stored;
        }
        PendingForecasts fresh = fresh();
        return new PendingForecasts(
                horizon,
                targets,
                stored.model(),
                baselineFits ? stored.baseline() : fresh.baseline(),
                weightFits ? stored.weight() : fresh.weight());
    }

    @Override
    public PendingForecasts swapped(PendingForecasts ring) {
        return fresh();
    }

    @Override
    public PendingForecasts advance(PendingForecasts ring, Step step) {
        return ring.push(step.modelForecast, step.baselineForecast, step.weights);
    }

    /**
     * Version 1: horizon and targets (counts), then the model's and the baseline's track, then the weights (a count, 0:
     * not kept; then one byte per weight, {@link CombinationWeights#toByte}). A track is a byte,
     * {@link #ABSENT} (not kept), {@link #FLAT} (each forecast in it is the same at every pending step, as persistence's
     * always is: one value per forecast and target follow, newest first) or {@link #FULL} (every value follows, in {@link
     * Triangle} order) or {@link #FLAT_BY_EVENT} (the forecasts for each coming event are the same whatever step made
     * them, as a seasonal baseline's are while the horizon is within its period: one value per coming event and target
     * follow, the next event's first).
     */
    static final class Codec implements StageCodec<PendingForecasts> {
        static final int ABSENT = 0;
        static final int FULL = 1;
        static final int FLAT = 2;
        static final int FLAT_BY_EVENT = 3;

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
            float[] weight = ring.weight().length == Triangle.size(ring.horizon()) ? ring.weight() : new float[0];
            StateIO.writeCount(weight.length, out);
            for (float w : weight) {
                out.writeByte(CombinationWeights.toByte(w));
            }
        }

        private static void writeTrack(float[] track, PendingForecasts ring, DataOutputView out) throws IOException {
            if (track.length != ring.trackLength()) {
                track = new float[0]; // damaged or not kept: the stage restarts the track on the entity's next event
            }
            if (track.length == 0) {
                out.writeByte(ABSENT);
                return;
            }
            int h = ring.horizon();
            int targets = ring.targets();
            boolean flat = flat(track, h, targets);
            boolean byEvent = !flat && flatByEvent(track, h, targets);
            out.writeByte(flat ? FLAT : byEvent ? FLAT_BY_EVENT : FULL);
            if (byEvent) {
                for (int d = 1; d <= h; d++) {
                    for (int t = 0; t < targets; t++) {
                        out.writeFloat(track[Triangle.index(h, d, d) * targets + t]);
                    }
                }
                return;
            }
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

        /** Whether the forecasts for each coming event d, made at steps d..H, have one value. */
        private static boolean flatByEvent(float[] track, int horizon, int targets) {
            for (int d = 1; d <= horizon; d++) {
                for (int t = 0; t < targets; t++) {
                    int first = Float.floatToRawIntBits(track[Triangle.index(horizon, d, d) * targets + t]);
                    for (int k = d + 1; k <= horizon; k++) {
                        if (Float.floatToRawIntBits(track[Triangle.index(horizon, d, k) * targets + t]) != first) {
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
            float[] model = readTrack(horizon, targets, in);
            float[] baseline = readTrack(horizon, targets, in);
            float[] weight = new float[StateIO.readLength(in)];
            for (int i = 0; i < weight.length; i++) {
                weight[i] = CombinationWeights.fromByte(in.readUnsignedByte());
            }
            return new PendingForecasts(horizon, targets, model, baseline, weight);
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
            if (how == FLAT_BY_EVENT) {
                float[] track = new float[length];
                for (int d = 1; d <= horizon; d++) {
                    for (int t = 0; t < targets; t++) {
                        float v = in.readFloat();
                        for (int k = d; k <= horizon; k++) {
                            track[Triangle.index(horizon, d, k) * targets + t] = v;
                        }
                    }
                }
                return track;
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
