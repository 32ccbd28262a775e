package io.lstmforecast.bench;

import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** When records were appended to a topic (broker time), and which event each one is about. */
final class AppendTimes {
    private AppendTimes() {
    }

    /**
     * Reads {@code count} records (all committed), returns their append times sorted, and when {@code byEvent} is given
     * records them by {@link #eventKey}.
     */
    static long[] read(EmbeddedKafka kafka, String topic, int count, Map<String, Long> byEvent) {
        List<Long> times = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 600_000;
        KafkaClients.follow(kafka.bootstrapServers(), Map.of(), topic, true, true, r -> {
            times.add(r.timestamp());
            if (byEvent != null) {
                byEvent.put(eventKey(new String(r.value(), StandardCharsets.UTF_8)), r.timestamp());
            }
        }, () -> times.size() < count && System.currentTimeMillis() < deadline);
        long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** "entity@time" from an event (bench's id and t fields) or a forecast ({"entity","event_time"}). */
    static String eventKey(String json) {
        try {
            var node = OutputJson.parseTree(json);
            return node.has(BenchJob.ENTITY_FIELD) ? node.get(BenchJob.ENTITY_FIELD).asText() + "@" + node.get(BenchJob.TIME_FIELD).asLong()
                    : node.get("entity").asText() + "@" + node.get("event_time").asLong();
        } catch (Exception e) {
            return json;
        }
    }
}
