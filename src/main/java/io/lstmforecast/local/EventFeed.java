package io.lstmforecast.local;

import io.lstmforecast.config.EventFormat;
import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.io.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends events to a topic in a job's JSON format at a chosen rate, from a generator or a CSV file ({@link io.lstmforecast.io.EventCsv}). */
public final class EventFeed {
    private EventFeed() {}

    /**
     * Sends up to {@code max} events (0: no limit) at {@code rate} per second (0: as fast as possible)
     * while {@code keepGoing} holds. Returns how many were sent.
     */
    public static long send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            EventFormat format,
            Iterator<GeneratedEvent> events,
            long max,
            double rate,
            BooleanSupplier keepGoing)
            throws InterruptedException {
        long sent = 0;
        long start = System.nanoTime();
        while (events.hasNext() && (max == 0 || sent < max) && keepGoing.getAsBoolean()) {
            GeneratedEvent e = events.next();
            producer.send(new ProducerRecord<>(
                    topic,
                    e.entityId().getBytes(StandardCharsets.UTF_8),
                    EventJson.write(format, e.entityId(), e.timestamp(), e.values())));
            sent++;
            if (rate > 0) {
                long due = start + (long) (sent * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        producer.flush();
        return sent;
    }
}
