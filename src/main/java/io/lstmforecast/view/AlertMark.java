package io.lstmforecast.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.io.ForecastReader;

/** An alert record as a mark on the chart; null from {@link #parse} when the record lacks entity, time or target. */
record AlertMark(long seq, String entity, long eventTime, String target, float actual, float forecast, float score) {
    static AlertMark parse(JsonNode o, long seq) {
        if (o == null
                || !o.path("entity").isTextual()
                || !o.path("event_time").canConvertToLong()
                || !o.path("target").isTextual()) {
            return null;
        }
        return new AlertMark(
                seq,
                o.get("entity").asText(),
                o.get("event_time").asLong(),
                o.get("target").asText(),
                ForecastReader.number(o.get("actual")),
                ForecastReader.number(o.get("forecast")),
                ForecastReader.number(o.get("score")));
    }
}
