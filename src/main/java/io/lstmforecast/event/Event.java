package io.lstmforecast.event;

/**
 * One observation of one entity: its id, event time (epoch millis) and feature values in the
 * order of the model's {@code features}.
 */
public record Event(String entityId, long timestamp, float[] features, RecordOrigin origin)
        implements java.io.Serializable {}
