package io.lstmforecast.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What the view knows: a window of recent forecasts and alerts for at most {@code maxEntities} entities (the least
 * recently updated one is dropped to make room), the counts of records seen on each topic, and the latest model.
 * Memory is bounded by entities x window whatever runs for how long. Every change gets the next sequence number, so
 * a client can ask for what changed since the number it saw last.
 */
public final class ForecastStore {
    private static final int MAX_ERRORS = 10;

    private final int window;
    private final int maxEntities;
    /** Insertion order is update order: an update moves the entity to the end, so the first one is the stalest. */
    private final LinkedHashMap<String, EntityWindow> entities = new LinkedHashMap<>();

    private final List<String> errors = new ArrayList<>();
    private long seq;
    private long events;
    private long forecasts;
    private long deadLetters;
    private long alerts;
    private long skipped;
    private String model;
    private String version;

    public ForecastStore(int window, int maxEntities) {
        if (window < 1 || maxEntities < 1) {
            throw new IllegalArgumentException("window and maxEntities must be at least 1");
        }
        this.window = window;
        this.maxEntities = maxEntities;
    }

    public synchronized void onEvent() {
        events++;
    }

    public synchronized void onDeadLetter() {
        deadLetters++;
        seq++;
    }

    /** A forecast record as the job wrote it; one the view cannot read is counted as skipped. */
    public synchronized void onForecast(byte[] json) {
        forecasts++;
        ForecastPoint p = ForecastPoint.parse(tree(json), ++seq);
        if (p == null) {
            skipped++;
            return;
        }
        model = p.model();
        version = p.version();
        updated(p.entity()).add(p);
    }

    public synchronized void onAlert(byte[] json) {
        alerts++;
        AlertMark a = AlertMark.parse(tree(json), ++seq);
        if (a == null) {
            skipped++;
            return;
        }
        updated(a.entity()).add(a);
    }

    /** A problem a user should see on the page (e.g. a topic that does not exist); the last few are kept. */
    public synchronized void onError(String message) {
        if (errors.size() == MAX_ERRORS) {
            errors.remove(0);
        }
        errors.add(message);
        seq++;
    }

    /** The entity's window, moved to the end of the update order; the stalest entity goes when there are too many. */
    private EntityWindow updated(String entity) {
        EntityWindow w = entities.remove(entity);
        if (w == null) {
            w = new EntityWindow(entity, window);
            if (entities.size() == maxEntities) {
                Iterator<EntityWindow> stalest = entities.values().iterator();
                stalest.next();
                stalest.remove();
            }
        }
        entities.put(entity, w);
        return w;
    }

    private static JsonNode tree(byte[] json) {
        try {
            return json == null ? null : Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    public synchronized long seq() {
        return seq;
    }

    /** Counts, model, bounds and errors: {"seq", "events", "forecasts", "dead_letters", "alerts", "skipped", ...}. */
    public synchronized ObjectNode status() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("seq", seq)
                .put("events", events)
                .put("forecasts", forecasts)
                .put("dead_letters", deadLetters)
                .put("alerts", alerts)
                .put("skipped", skipped)
                .put("entities", entities.size())
                .put("max_entities", maxEntities)
                .put("window", window)
                .put("model", model)
                .put("version", version);
        ArrayNode e = o.putArray("errors");
        errors.forEach(e::add);
        return o;
    }

    /** The list rows of the entities changed after {@code since} (all of them for -1), stalest first. */
    public synchronized ArrayNode entities(long since) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (EntityWindow w : entities.values()) {
            if (w.seq() > since) {
                w.summary(rows.addObject());
            }
        }
        return rows;
    }

    /** The entity's row, targets, horizon and its points and alerts after {@code since}; null if the view has none. */
    public synchronized ObjectNode entity(String id, long since) {
        EntityWindow w = entities.get(id);
        return w == null ? null : w.detail(Json.MAPPER.createObjectNode(), since);
    }
}
