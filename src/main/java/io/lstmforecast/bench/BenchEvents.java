package io.lstmforecast.bench;

import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.io.EventJson;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.local.EventFeed;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The events bench sends to a job's events topic. */
final class BenchEvents {
    /** The first measured event's time. */
    static final long T0 = 1_700_000_000_000L;

    private BenchEvents() {}

    /** Events with strictly increasing times (one millisecond apart) from {@code t0}, entity prefix + i % K. */
    static Iterator<GeneratedEvent> stream(String prefix, int k, long t0, int count) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < count;
            }

            @Override
            public GeneratedEvent next() {
                int n = i++;
                return new GeneratedEvent(prefix + (n % k), t0 + n, new float[] {(float) Math.sin(n * 0.01)});
            }
        };
    }

    /** The measured events: {@code events} for K entities from {@link #T0}. */
    static Iterator<GeneratedEvent> measured(int k, int events) {
        return stream("e", k, T0, events);
    }

    /** Sends {@code events} at {@code perSecond} (0: as fast as possible) and waits until the broker has them all. */
    static void send(EmbeddedKafka kafka, JobConfig job, Iterator<GeneratedEvent> events, double perSecond)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            EventFeed.send(p, job.kafka().topics().events(), job.event(), events, 0, perSecond, () -> true);
        }
    }

    /**
     * Event-time ordering: two later events per partition move the watermark past the last real ones (one alone is
     * held back by the max-event-time-jump guard until a second confirms it). Two hours after {@code end}, the last
     * measured event time: a fixed far-future time would fall beyond event.max-future-skew and be dead-lettered.
     * Their entity is {@code flush}, which the measurements leave out.
     */
    static void releaseLastEvents(EmbeddedKafka kafka, JobConfig job, long end) {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            for (int part = 0; part < 2; part++) {
                for (int i = 0; i < 2; i++) {
                    byte[] v = EventJson.write(job.event(), "flush", end + 7_200_000L + 10 * part + i, new float[] {0});
                    p.send(new ProducerRecord<>(job.kafka().topics().events(), part, null, v));
                }
            }
        }
    }
}
