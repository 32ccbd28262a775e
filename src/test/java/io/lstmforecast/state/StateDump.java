package io.lstmforecast.state;

import java.util.Arrays;

/**
 * A restored entity state as text, one field a line, for the golden state formats (exact float values). The fields are
 * those of format 7; the pending forecasts it kept in the intervals and the skill come from the ring ({@link
 * LegacyLayout}), so a state restores to the same text before and after the ring replaced them.
 */
final class StateDump {
    private StateDump() {}

    static String describe(EntityState s) {
        StringBuilder b = new StringBuilder();
        line(b, "modelId", s.modelId());
        line(b, "steps", s.steps());
        line(b, "lastEventTime", s.lastEventTime());
        line(b, "h", Arrays.toString(s.h()));
        line(b, "c", Arrays.toString(s.c()));
        line(b, "lastForecast", Arrays.toString(s.lastForecast()));
        line(b, "error.count", s.error().count());
        line(b, "error.mean", Arrays.toString(s.error().mean()));
        line(b, "error.meanAbs", Arrays.toString(s.error().meanAbs()));
        line(b, "error.meanSq", Arrays.toString(s.error().meanSq()));
        line(b, "lastAlertStep", s.lastAlertStep());
        line(b, "recentInputs", Arrays.toString(s.recentInputs()));
        IntervalState iv = s.intervals();
        line(b, "intervals.horizon", iv.horizon());
        line(b, "intervals.targets", iv.targets());
        line(b, "intervals.observed", iv.observed());
        line(b, "intervals.halfWidth", Arrays.toString(iv.halfWidth()));
        line(b, "intervals.scale", Arrays.toString(iv.scale()));
        line(b, "intervals.pendingForecast", Arrays.toString(LegacyLayout.pendingForecast(s)));
        line(b, "intervals.pendingHalfWidth", Arrays.toString(iv.pendingHalfWidth()));
        AnomalyLikelihood l = s.likelihood();
        line(b, "likelihood.count", l.count());
        line(b, "likelihood.mean", Arrays.toString(l.mean()));
        line(b, "likelihood.meanSq", Arrays.toString(l.meanSq()));
        line(b, "likelihood.recent", Arrays.toString(l.recent()));
        line(b, "likelihood.lastLikelihood", Arrays.toString(l.lastLikelihood()));
        line(b, "likelihood.novelty", Arrays.toString(l.novelty()));
        BaselineHistory h = s.baseline();
        line(b, "baseline.seen", h.seen());
        line(b, "baseline.meanGap", h.meanGap());
        line(b, "baseline.values", Arrays.toString(h.values()));
        line(b, "baseline.times", Arrays.toString(h.times()));
        SkillTracker k = s.skill();
        line(b, "skill.forecasts", k.forecasts());
        line(b, "skill.lastBaseline", Arrays.toString(k.isOff() ? new float[0] : LegacyLayout.lastBaseline(s)));
        line(b, "skill.pendingModel", Arrays.toString(LegacyLayout.pendingSkill(s, false)));
        line(b, "skill.pendingBaseline", Arrays.toString(LegacyLayout.pendingSkill(s, true)));
        line(b, "skill.scored", Arrays.toString(k.scored()));
        line(b, "skill.modelMae", Arrays.toString(k.modelMae()));
        line(b, "skill.baselineMae", Arrays.toString(k.baselineMae()));
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Object value) {
        b.append(name).append(": ").append(value).append('\n');
    }
}
