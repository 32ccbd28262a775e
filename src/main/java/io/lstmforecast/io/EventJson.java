package io.lstmforecast.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.config.EventFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes an event as JSON in a job's event format: the inverse of {@link EventParser}, for producers. */
public final class EventJson {
    private EventJson() {}

    public static byte[] write(EventFormat format, String entityId, long timestamp, float[] values) {
        ObjectNode o = OutputJson.JSON.createObjectNode();
        o.put(format.entityField(), entityId);
        if (format.timestampFormat().equals("iso-8601")) {
            o.put(format.timestampField(), IsoInstant.of(timestamp));
        } else {
            o.put(format.timestampField(), timestamp);
        }
        if (format.valuesField() != null) {
            var array = o.putArray(format.valuesField());
            for (float v : values) {
                array.add(v);
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                o.put(format.features().get(i), values[i]);
            }
        }
        try {
            return OutputJson.JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
