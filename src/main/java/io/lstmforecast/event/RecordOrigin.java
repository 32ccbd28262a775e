package io.lstmforecast.event;

/**
 * Where a record came from and its original bytes, kept with every event until it is applied so
 * that a late or duplicate event can still go to the dead-letter topic exactly as it arrived.
 */
public record RecordOrigin(String topic, int partition, long offset, long kafkaTimestamp, byte[] key, byte[] value)
        implements java.io.Serializable {}
