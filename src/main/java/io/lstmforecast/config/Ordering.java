package io.lstmforecast.config;

/**
 * When the forecast operator applies an entity's event (job setting {@code ordering}).
 *
 * <ul>
 *   <li>{@link #ARRIVAL}: as soon as it arrives, if it is newer than the entity's last applied event; an older one is
 *   dead-lettered as {@code out_of_order}, an equal time as {@code duplicate}. Kafka keeps the records of one key
 *   in order within a partition, so for events keyed by entity this order is the topic's order and every replay
 *   applies the same events in the same order.</li>
 *   <li>{@link #EVENT_TIME}: an event waits until the watermark passes it and entities' events are applied in time
 *   order, for producers that reorder events within a key; an event behind the watermark is {@code late}.</li>
 * </ul>
 */
public enum Ordering {
    ARRIVAL,
    EVENT_TIME;

    /** The name in job files and on the command line. */
    public String key() {
        return Setting.nameOf(this);
    }
}
