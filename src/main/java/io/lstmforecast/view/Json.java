package io.lstmforecast.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The view's JSON output: NaN is not JSON, so a missing number is written as null. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static void number(ObjectNode o, String field, float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    static void numbers(ObjectNode o, String field, float[] values) {
        if (values == null) {
            o.putNull(field);
            return;
        }
        ArrayNode a = o.putArray(field);
        for (float v : values) {
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                a.addNull();
            } else {
                a.add(v);
            }
        }
    }
}
