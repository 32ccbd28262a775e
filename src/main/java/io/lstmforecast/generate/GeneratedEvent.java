package io.lstmforecast.generate;

/** One synthetic event: its entity, time and values, and the Kafka key and JSON value a producer sends. */
public record GeneratedEvent(String entityId, long timestamp, float[] values, byte[] key, byte[] json) {
}
