package io.lstmforecast.generate;

/** One synthetic observation: its entity, event time (epoch millis) and feature values. */
public record GeneratedEvent(String entityId, long timestamp, float[] values) {}
