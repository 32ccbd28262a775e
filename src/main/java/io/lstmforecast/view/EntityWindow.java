package io.lstmforecast.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;

/** The recent forecasts and alerts of one entity: at most {@code window} of each, the oldest dropped first. */
final class EntityWindow {
    private final String entity;
    private final int window;
    private final ArrayDeque<ForecastPoint> points = new ArrayDeque<>();
    private final ArrayDeque<AlertMark> alerts = new ArrayDeque<>();
    private long forecasts;
    private long alertCount;
    /** The store's sequence number of the last change, so a client asks only for what changed since it last looked. */
    private long seq;

    EntityWindow(String entity, int window) {
        this.entity = entity;
        this.window = window;
    }

    void add(ForecastPoint p) {
        ForecastPoint last = points.peekLast();
        if (last != null && (!last.targets().equals(p.targets()) || last.horizon() != p.horizon())) {
            // A new job definition (other targets or horizon): the old points cannot share a chart with the new ones.
            points.clear();
        }
        append(points, p);
        forecasts++;
        seq = p.seq();
    }

    void add(AlertMark a) {
        append(alerts, a);
        alertCount++;
        seq = a.seq();
    }

    private <T> void append(ArrayDeque<T> deque, T item) {
        if (deque.size() == window) {
            deque.removeFirst();
        }
        deque.addLast(item);
    }

    long seq() {
        return seq;
    }

    /**
     * One row of the entity list: the latest record's time, step and model, and its error, rolling MAE and skill
     * against the baseline (at the first and the last step), each the mean over the targets; and the model's weight in
     * the served forecast, the mean over the horizon steps (null when the job serves no combination).
     */
    ObjectNode summary(ObjectNode o) {
        o.put("entity", entity).put("seq", seq).put("forecasts", forecasts).put("alerts", alertCount);
        ForecastPoint p = points.peekLast();
        if (p == null) {
            return o;
        }
        int targets = p.targets().size();
        o.put("event_time", p.eventTime())
                .put("step", p.step())
                .put("version", p.version())
                .put("baseline", p.baseline());
        Json.number(o, "error", ForecastPoint.mean(p.previousError(), 0, targets, true));
        Json.number(o, "mae", ForecastPoint.mean(p.mae(), 0, targets, true));
        Json.number(o, "skill", ForecastPoint.mean(p.skill(), 0, targets, false));
        Json.number(o, "skill_last", ForecastPoint.mean(p.skill(), targets, targets, false));
        Json.number(o, "weight", ForecastPoint.mean(p.weight(), 0, p.horizon(), false));
        return o;
    }

    /** The list row, the job's targets and horizon, and the points and alerts newer than {@code since}. */
    ObjectNode detail(ObjectNode o, long since) {
        summary(o).put("window", window);
        ForecastPoint last = points.peekLast();
        if (last != null) {
            o.put("model", last.model()).put("horizon", last.horizon());
            ArrayNode targets = o.putArray("targets");
            last.targets().forEach(targets::add);
        }
        ArrayNode ps = o.putArray("points");
        for (ForecastPoint p : points) {
            if (p.seq() > since) {
                ObjectNode j = ps.addObject()
                        .put("seq", p.seq())
                        .put("t", p.eventTime())
                        .put("step", p.step());
                Json.numbers(j, "actual", p.actual());
                Json.numbers(j, "forecast", p.forecast());
                Json.numbers(j, "lower", p.lower());
                Json.numbers(j, "upper", p.upper());
                Json.numbers(j, "weight", p.weight());
            }
        }
        ArrayNode as = o.putArray("alert_marks");
        for (AlertMark a : alerts) {
            if (a.seq() > since) {
                ObjectNode j = as.addObject()
                        .put("seq", a.seq())
                        .put("t", a.eventTime())
                        .put("target", a.target());
                Json.number(j, "actual", a.actual());
                Json.number(j, "forecast", a.forecast());
                Json.number(j, "score", a.score());
            }
        }
        return o;
    }
}
