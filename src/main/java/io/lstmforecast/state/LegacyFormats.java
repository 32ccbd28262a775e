package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads the entity state formats written before the state was split into stages (1 to 7, docs/state-format.md) into
 * today's stages. Their fields interleave several stages, so they are read here in one piece. What a format did not
 * hold restores absent or empty and learns again from the entity's next events. The forecasts the intervals and the
 * skill kept waiting move into the ring of pending forecasts.
 */
final class LegacyFormats {
    private LegacyFormats() {}

    static boolean reads(int format) {
        return format == 1 || format == 2 || (format >= 4 && format <= 7);
    }

    static EntityState read(int format, DataInputView in) throws IOException {
        String modelId = in.readUTF();
        long steps = in.readLong();
        long lastEventTime = in.readLong();
        float[] h = StateIO.readIntPrefixedFloats(in);
        float[] c = StateIO.readIntPrefixedFloats(in);
        float[] lastForecast = StateIO.readIntPrefixedFloats(in);
        RollingError error = new RollingError(
                in.readLong(),
                StateIO.readIntPrefixedFloats(in),
                StateIO.readIntPrefixedFloats(in),
                StateIO.readIntPrefixedFloats(in));
        long lastAlertStep = format >= 2 ? in.readLong() : EntityState.NEVER_ALERTED;
        float[] recentInputs = StateIO.readIntPrefixedFloats(in);
        Object[] values = EntityState.empty(modelId).values();
        values[Stages.MEMORY.index()] = new Memory(h, c, steps, lastEventTime, lastForecast, error, recentInputs);
        values[Stages.ALERTS.index()] = lastAlertStep;
        // The likelihood's novelty watches as many units as the model has; its stage sizes it on the next event.
        values[Stages.LIKELIHOOD.index()] = AnomalyLikelihood.empty(error.mean().length, 0);
        if (format < 4) {
            return new EntityState(modelId, values);
        }
        int horizon = in.readInt();
        int targets = in.readInt();
        long observed = in.readLong();
        float[] halfWidth = StateIO.readIntPrefixedFloats(in);
        float[] scale = StateIO.readIntPrefixedFloats(in);
        float[] pendingForecast = StateIO.readIntPrefixedFloats(in);
        float[] pendingHalfWidth = StateIO.readIntPrefixedFloats(in);
        IntervalState intervals = new IntervalState(horizon, targets, observed, halfWidth, scale, pendingHalfWidth);
        values[Stages.INTERVALS.index()] = intervals;
        long count = in.readLong();
        float[] mean = StateIO.readIntPrefixedFloats(in);
        float[] meanSq = StateIO.readIntPrefixedFloats(in);
        float[] recent = StateIO.readIntPrefixedFloats(in);
        float[] last = StateIO.readIntPrefixedFloats(in);
        // Before version 7 the likelihood kept other statistics in these arrays: it learns again.
        if (format >= 7) {
            values[Stages.LIKELIHOOD.index()] =
                    new AnomalyLikelihood(count, mean, meanSq, recent, last, StateIO.readIntPrefixedFloats(in));
        }
        boolean intervalsKept = horizon > 0
                && intervals.fits(horizon, targets)
                && pendingForecast.length == intervals.pendingHalfWidth().length;
        if (format < 5) {
            values[Stages.PENDING.index()] = intervalsKept
                    ? new PendingForecasts(horizon, targets, pendingForecast, new float[0], new float[0])
                    : PendingForecasts.NONE;
            return new EntityState(modelId, values);
        }
        values[Stages.BASELINE.index()] = new BaselineHistory(
                in.readLong(),
                in.readFloat(),
                StateIO.readIntPrefixedFloats(in),
                format >= 7 ? SlotTimes.read(lastEventTime, true, in) : StateIO.readIntPrefixedLongs(in));
        long forecasts = in.readLong();
        float[] lastBaseline = StateIO.readIntPrefixedFloats(in);
        float[] pendingModel = StateIO.readIntPrefixedFloats(in);
        float[] pendingBaseline = StateIO.readIntPrefixedFloats(in);
        long[] scored = StateIO.readIntPrefixedLongs(in);
        float[] modelMae = StateIO.readIntPrefixedFloats(in);
        float[] baselineMae = StateIO.readIntPrefixedFloats(in);
        values[Stages.SKILL.index()] = new SkillTracker(forecasts, scored, modelMae, baselineMae);
        values[Stages.PENDING.index()] = ring(
                intervalsKept ? intervals : IntervalState.OFF,
                pendingForecast,
                forecasts,
                lastBaseline,
                pendingModel,
                pendingBaseline);
        return new EntityState(modelId, values);
    }

    /**
     * The ring of pending forecasts from what formats 5 to 7 kept: the intervals' pending forecasts (every step), the
     * skill's step-H forecasts of model and baseline (a ring of H slots, slot = forecast count mod H) and the
     * baseline's last one-step forecast. Where both kept the model's forecast it is the same value.
     */
    private static PendingForecasts ring(
            IntervalState intervals,
            float[] pendingForecast,
            long forecasts,
            float[] lastBaseline,
            float[] pendingModel,
            float[] pendingBaseline) {
        int targets = lastBaseline.length;
        boolean skillKept = targets > 0
                && pendingModel.length % targets == 0
                && pendingModel.length > 0
                && pendingBaseline.length == pendingModel.length
                && (intervals.isOff()
                        || (intervals.targets() == targets && intervals.horizon() == pendingModel.length / targets));
        if (!skillKept) {
            return intervals.isOff()
                    ? PendingForecasts.NONE
                    : new PendingForecasts(
                            intervals.horizon(), intervals.targets(), pendingForecast, new float[0], new float[0]);
        }
        int horizon = pendingModel.length / targets;
        float[] model = intervals.isOff() ? Triangle.empty(horizon, targets) : pendingForecast.clone();
        float[] baseline = Triangle.empty(horizon, targets);
        System.arraycopy(lastBaseline, 0, baseline, 0, targets);
        for (int j = 1; j <= horizon; j++) {
            // The step-H forecasts made j events before the next event: block H - j + 1 of the triangle.
            int slot = (int) Math.floorMod(forecasts - j, (long) horizon) * targets;
            int at = Triangle.index(horizon, horizon - j + 1, horizon) * targets;
            for (int t = 0; t < targets; t++) {
                if (Float.isNaN(model[at + t])) {
                    model[at + t] = pendingModel[slot + t];
                }
                baseline[at + t] = pendingBaseline[slot + t];
            }
        }
        return new PendingForecasts(horizon, targets, model, baseline, new float[0]);
    }
}
