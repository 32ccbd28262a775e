package io.lstmforecast.state;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The fields of formats 1 to 7 as those releases laid them out, from a state of today's stages: how the golden records
 * of those formats were made, and how tests write an old format. The intervals' and the skill's pending forecasts, which
 * those formats kept apart, come from the ring of pending forecasts.
 */
final class LegacyLayout {
    private LegacyLayout() {}

    /** The intervals' pending forecasts (format 4 to 7): the ring's served forecasts made since the intervals started. */
    static float[] pendingForecast(EntityState s) {
        IntervalState iv = s.intervals();
        PendingForecasts ring = s.pending();
        int h = iv.horizon();
        int targets = iv.targets();
        float[] pf = Triangle.empty(h, targets);
        if (h == 0 || ring.horizon() != h || ring.targets() != targets) {
            return pf;
        }
        for (int d = 1; d <= h; d++) {
            for (int k = d; k <= h; k++) {
                // Made k - d events before the last one: after the intervals started if that is fewer than observed.
                if (k - d < iv.observed()) {
                    int at = Triangle.index(h, d, k) * targets;
                    for (int t = 0; t < targets; t++) {
                        pf[at + t] = servedTrack(ring)[at + t];
                    }
                }
            }
        }
        return pf;
    }

    private static float[] servedTrack(PendingForecasts ring) {
        return ring.served().length == 0 ? ring.model() : ring.served();
    }

    /** The skill's last one-step baseline forecast (formats 5 to 7). */
    static float[] lastBaseline(EntityState s) {
        SkillTracker k = s.skill();
        int targets = k.modelMae().length / 2;
        float[] last = new float[targets];
        Arrays.fill(last, Float.NaN);
        if (k.forecasts() >= 1) {
            for (int t = 0; t < targets; t++) {
                last[t] = s.pending().baseline(1, t);
            }
        }
        return last;
    }

    /** The skill's step-H forecasts of the last H events, slot = forecast count mod H (formats 5 to 7). */
    static float[] pendingSkill(EntityState s, boolean baseline) {
        SkillTracker k = s.skill();
        PendingForecasts ring = s.pending();
        int targets = k.modelMae().length / 2;
        int h = k.isOff() ? 0 : ring.horizon();
        float[] out = new float[h * targets];
        Arrays.fill(out, Float.NaN);
        for (int j = 1; j <= Math.min(h, k.forecasts()); j++) {
            int slot = (int) Math.floorMod(k.forecasts() - j, (long) h) * targets;
            int at = Triangle.index(h, h - j + 1, h) * targets;
            float[] track = baseline ? ring.baseline() : servedTrack(ring);
            System.arraycopy(track, at, out, slot, targets);
        }
        return out;
    }

    /**
     * The state in format 1, 2, 4, 5, 6 or 7, field by field as that release wrote it. Formats 4 and 5 kept one
     * likelihood statistic over a ring of 10 scores, format 6 four over a ring of 30 (this release reads neither and
     * starts a fresh likelihood): their arrays are the state's likelihood cut to those sizes.
     */
    static byte[] write(int format, EntityState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(2048);
        out.writeByte(format);
        out.writeUTF(s.modelId());
        out.writeLong(s.steps());
        out.writeLong(s.lastEventTime());
        floats(out, s.h());
        floats(out, s.c());
        floats(out, s.lastForecast());
        out.writeLong(s.error().count());
        floats(out, s.error().mean());
        floats(out, s.error().meanAbs());
        floats(out, s.error().meanSq());
        if (format >= 2) {
            out.writeLong(s.lastAlertStep());
        }
        floats(out, s.recentInputs());
        if (format >= 4) {
            IntervalState iv = s.intervals();
            out.writeInt(iv.horizon());
            out.writeInt(iv.targets());
            out.writeLong(iv.observed());
            floats(out, iv.halfWidth());
            floats(out, iv.scale());
            floats(out, pendingForecast(s));
            floats(out, iv.pendingHalfWidth());
            AnomalyLikelihood l = s.likelihood();
            int statistics = format == 6 ? 4 : format == 7 ? AnomalyLikelihood.STATISTICS : 1;
            int ring = format == 4 || format == 5 ? 10 : AnomalyLikelihood.RING;
            int targets = l.lastLikelihood().length;
            out.writeLong(l.count());
            floats(out, Arrays.copyOf(l.mean(), statistics * targets));
            floats(out, Arrays.copyOf(l.meanSq(), statistics * targets));
            floats(out, Arrays.copyOf(l.recent(), ring * targets));
            floats(out, l.lastLikelihood());
            if (format >= 7) {
                floats(out, l.novelty());
            }
        }
        if (format >= 5) {
            BaselineHistory b = s.baseline();
            out.writeLong(b.seen());
            out.writeFloat(b.meanGap());
            floats(out, b.values());
            if (format >= 7) {
                SlotTimes.write(b.times(), s.lastEventTime(), true, out);
            } else {
                longs(out, b.times());
            }
            SkillTracker k = s.skill();
            out.writeLong(k.forecasts());
            floats(out, k.isOff() ? new float[0] : lastBaseline(s));
            floats(out, pendingSkill(s, false));
            floats(out, pendingSkill(s, true));
            longs(out, k.scored());
            floats(out, k.modelMae());
            floats(out, k.baselineMae());
        }
        return out.getCopyOfBuffer();
    }

    static void floats(DataOutputSerializer out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    static void longs(DataOutputSerializer out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long v : a) {
            out.writeLong(v);
        }
    }
}
