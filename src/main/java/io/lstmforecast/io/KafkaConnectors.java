package io.lstmforecast.io;

import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.Limits;
import io.lstmforecast.event.Alert;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelStatus;
import io.lstmforecast.event.ParsedRecord;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job's Kafka sources and sinks, built from the parts of its definition they need.
 *
 * @param jobName  names the sinks' transactions
 * @param kafka    brokers, consumer group, topics and client properties
 * @param delivery exactly-once (transactions) or at-least-once
 * @param limits   the dead-letter size cap
 */
public record KafkaConnectors(String jobName, Kafka kafka, Delivery delivery, Limits limits) {
    /**
     * Producer batches of the sinks, per partition, unless {@code kafka.properties} sets {@code batch.size}. The
     * client's 16 KiB holds about 35 forecasts, so at tens of thousands of forecasts a second the broker handled a
     * produce request per few dozen records, and the sinks' producers and the broker's request handlers were a quarter
     * of the process: with 256 KiB the pipeline's ceiling nearly doubled (docs/PERFORMANCE.md, "fifth pass"). A batch
     * is still sent after linger.ms (the client's 5 ms) however full it is, so latency at low rates is unchanged.
     */
    public static final int SINK_BATCH_BYTES = 256 * 1024;

    /**
     * The events source. {@code bounded} stops at the offsets that are latest when the job starts
     * (for replays and `demo --events`); otherwise the source runs until the job is stopped.
     */
    public KafkaSource<ParsedRecord> events(EventParser parser, boolean bounded) {
        var b = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.topics().events())
                .setGroupId(kafka.groupId())
                .setStartingOffsets(startingOffsets(kafka.start()))
                .setDeserializer(new ParsingDeserializationSchema(parser))
                .setProperties(clientProperties())
                // New partitions of the events topic are picked up without a restart.
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("isolation.level", "read_committed");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** The models control topic: raw messages, read from the start so the newest model wins after a fresh start. */
    public KafkaSource<byte[]> models(boolean bounded) {
        var b = KafkaSource.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.topics().models())
                .setGroupId(kafka.groupId() + "-models")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setValueOnlyDeserializer(new RawBytes())
                .setProperties(clientProperties());
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    public KafkaSink<Forecast> forecasts() {
        return sink(kafka.topics().forecasts(), "forecasts", f -> utf8(f.entityId()), OutputJson::forecast);
    }

    /** Dead letters keep the original record's key; both are cut to fit max-output-record-bytes. */
    public KafkaSink<DeadLetter> deadLetters() {
        int max = limits.maxOutputRecordBytes();
        return sink(
                kafka.topics().deadLetters(),
                "dead-letters",
                d -> OutputJson.deadLetterKey(d, max),
                d -> OutputJson.deadLetter(d, max - max / 4));
    }

    public KafkaSink<Alert> alerts() {
        return sink(kafka.topics().alerts(), "alerts", a -> utf8(a.entityId()), OutputJson::alert);
    }

    public KafkaSink<ModelStatus> modelStatus() {
        return sink(kafka.topics().modelStatus(), "model-status", OutputJson::modelStatusKey, OutputJson::modelStatus);
    }

    private <T> KafkaSink<T> sink(
            String topic, String purpose, SerializableFunction<T, byte[]> key, SerializableFunction<T, byte[]> value) {
        // The Kafka timestamp is when the record is written (null: the producer's clock), not the event time, which the
        // record carries in its body: replayed history stamped with its event time falls under the topic's time-based
        // retention and is deleted at the next retention check, before a consumer may have read it.
        KafkaRecordSerializationSchema<T> schema = (element, context, timestamp) ->
                new ProducerRecord<>(topic, null, null, key.apply(element), value.apply(element));
        var b = KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(schema)
                .setKafkaProducerConfig(sinkProperties());
        if (delivery.exactlyOnce()) {
            // Transactions commit on checkpoint completion; their timeout must outlive a checkpoint interval plus a
            // restart.
            b.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix("lstm-forecast-" + jobName + "-" + purpose)
                    .setProperty(
                            "transaction.timeout.ms",
                            String.valueOf(delivery.transactionTimeout().toMillis()));
        } else {
            b.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        return b.build();
    }

    static OffsetsInitializer startingOffsets(String start) {
        return switch (start) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /** The sinks' producer properties: the job's pass-through ones over the sinks' own defaults. */
    Properties sinkProperties() {
        Properties p = clientProperties();
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(SINK_BATCH_BYTES));
        return p;
    }

    /** The job's pass-through Kafka properties (security settings and the like). */
    private Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(kafka.properties());
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Control messages stay bytes until the validator parses them, so a malformed one cannot fail the source. */
    static final class RawBytes implements DeserializationSchema<byte[]> {
        @Override
        public byte[] deserialize(byte[] message) {
            return message == null ? new byte[0] : message;
        }

        @Override
        public boolean isEndOfStream(byte[] next) {
            return false;
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
