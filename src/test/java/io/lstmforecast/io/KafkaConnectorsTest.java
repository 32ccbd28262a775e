package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.Limits;
import io.lstmforecast.config.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sinks' producer settings: the job's own batch size unless the job file's kafka.properties sets one. */
class KafkaConnectorsTest {
    private static KafkaConnectors connectors(Map<String, String> properties) {
        Kafka kafka = new Kafka("127.0.0.1:9092", "g", "committed", Topics.of("j", new String[6]), properties);
        return new KafkaConnectors(
                "j", kafka, Delivery.of("exactly-once", Duration.ofMinutes(15)), new Limits(1 << 20));
    }

    @Test
    void sinksBatchUpTo256KiBUnlessTheJobSaysOtherwise() {
        var defaults = connectors(Map.of("security.protocol", "SASL_SSL")).sinkProperties();
        assertEquals("262144", defaults.get("batch.size"));
        assertEquals("SASL_SSL", defaults.get("security.protocol"), "pass-through properties still reach the sinks");
        assertEquals(
                "16384",
                connectors(Map.of("batch.size", "16384")).sinkProperties().get("batch.size"),
                "kafka.properties wins");
    }
}
