package io.lstmforecast.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void aTransactionalProducerIsSeenOnlyWhenCommittedByAReadCommittedConsumer() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            kafka.createTopics(2, "t");
            assertEquals(Set.of("t"), kafka.admin().listTopics().names().get());
            Map<String, Object> pc = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "tx-1");
            try (KafkaProducer<String, String> p =
                    new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
                p.initTransactions();
                p.beginTransaction();
                p.send(new ProducerRecord<>("t", "k", "aborted"));
                p.abortTransaction();
                p.beginTransaction();
                p.send(new ProducerRecord<>("t", "k", "committed"));
                p.commitTransaction();
            }
            Map<String, Object> cc = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "g",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed");
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of("t"));
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                    }
                }
            }
            assertEquals(List.of("committed"), seen);
        }
    }
}
