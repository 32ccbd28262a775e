package io.lstmforecast.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.local.EmbeddedKafka;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * When records were appended to a topic (broker time), and which measured event each one is about. Every bench event has
 * its own event time (one millisecond apart), so the time names the event: measured event n has time T0 + n, warm-up
 * events come before T0 and the watermark's flush events after the last measured one.
 */
final class AppendTimes {
    private static final JsonFactory JSON = new JsonFactory();

    private AppendTimes() {}

    /**
     * Reads {@code count} records (all committed) and returns their append times sorted; when {@code measured} is given,
     * also stores the append time of measured event n at index n.
     */
    static long[] read(EmbeddedKafka kafka, String topic, int count, long[] measured) {
        long[] times = new long[count];
        int[] read = new int[1];
        long deadline = System.currentTimeMillis() + 600_000;
        KafkaClients.follow(
                kafka.bootstrapServers(),
                Map.of(),
                topic,
                true,
                true,
                r -> {
                    times[read[0]++] = r.timestamp();
                    int n = measured == null ? -1 : measuredIndex(r.value(), measured.length);
                    if (n >= 0) {
                        measured[n] = r.timestamp();
                    }
                },
                () -> read[0] < count && System.currentTimeMillis() < deadline);
        long[] sorted = Arrays.copyOf(times, read[0]);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * The measured event an event or a forecast is about (0 .. events - 1), or -1 for a warm-up or flush event. Reads
     * only the time field (bench's {@code t}, a forecast's {@code event_time}): the harness runs in the measured JVM, so
     * it keeps its own work, and the objects it keeps alive for the garbage collector, small.
     */
    static int measuredIndex(byte[] json, int events) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (name.equals(BenchJob.TIME_FIELD) || name.equals("event_time")) {
                    long n = p.getLongValue() - BenchEvents.T0;
                    return n >= 0 && n < events ? (int) n : -1;
                }
                if (token.isStructStart()) {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // Not a bench record: nothing to measure.
        }
        return -1;
    }
}
