package io.lstmforecast.io;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka producers, consumers and topic creation for the command-line tools (produce, tail, topics, demo). */
public final class KafkaClients {
    private KafkaClients() {}

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, String> properties) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Reads every partition of a topic from the beginning or the end, calling {@code onRecord} for
     * each record, until {@code keepGoing} says stop. read_committed shows only what an
     * exactly-once job has committed.
     */
    public static void follow(
            String bootstrap,
            Map<String, String> properties,
            String topic,
            boolean fromBeginning,
            boolean readCommitted,
            Consumer<ConsumerRecord<byte[], byte[]>> onRecord,
            java.util.function.BooleanSupplier keepGoing) {
        follow(bootstrap, properties, topic, fromBeginning ? Long.MAX_VALUE : 0, readCommitted, onRecord, keepGoing);
    }

    /**
     * As {@link #follow(String, Map, String, boolean, boolean, Consumer, java.util.function.BooleanSupplier)}, starting
     * {@code rewind} offsets before each partition's end (at its beginning when it holds fewer), so a viewer that
     * joins a long-running job sees recent history without reading all of it.
     */
    public static void follow(
            String bootstrap,
            Map<String, String> properties,
            String topic,
            long rewind,
            boolean readCommitted,
            Consumer<ConsumerRecord<byte[], byte[]>> onRecord,
            java.util.function.BooleanSupplier keepGoing) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var info = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (info == null || info.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + bootstrap);
            }
            List<TopicPartition> partitions = info.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(partitions);
            if (rewind == Long.MAX_VALUE) {
                c.seekToBeginning(partitions);
            } else if (rewind == 0) {
                c.seekToEnd(partitions);
            } else {
                Map<TopicPartition, Long> first = c.beginningOffsets(partitions);
                c.endOffsets(partitions).forEach((p, end) -> c.seek(p, Math.max(first.get(p), end - rewind)));
            }
            while (keepGoing.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    onRecord.accept(r);
                    if (!keepGoing.getAsBoolean()) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Creates the topics that do not exist yet (replication factor: the broker's default), with topic-level
     * configs such as message.timestamp.type; topics that exist already are left as they are.
     *
     * @return the topics this call created
     */
    public static List<String> createTopics(
            String bootstrap,
            Map<String, String> properties,
            int partitions,
            Map<String, String> configs,
            List<String> names)
            throws InterruptedException, ExecutionException {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> created = new java.util.ArrayList<>();
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> topics = names.stream()
                    .map(n -> new NewTopic(n, java.util.Optional.of(partitions), java.util.Optional.empty())
                            .configs(configs))
                    .toList();
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get();
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        return created;
    }
}
