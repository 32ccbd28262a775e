package io.lstmforecast.io;

import io.lstmforecast.config.JobSettings;
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
import org.apache.kafka.clients.producer.ProducerRecord;

/** The job's Kafka sources and sinks, built from a job definition ({@link JobSettings}). */
public final class KafkaConnectors {
    private KafkaConnectors() {
    }

    /**
     * The events source. {@code bounded} stops at the offsets that are latest when the job starts
     * (for replays and `demo --events`); otherwise the source runs until the job is stopped.
     */
    public static KafkaSource<ParsedRecord> events(JobSettings job, EventParser parser, boolean bounded) {
        var b = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(job.kafka().bootstrapServers())
                .setTopics(job.kafka().topics().events())
                .setGroupId(job.kafka().groupId())
                .setStartingOffsets(startingOffsets(job.kafka().start()))
                .setDeserializer(new ParsingDeserializationSchema(parser))
                .setProperties(clientProperties(job))
                // New partitions of the events topic are picked up without a restart.
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("isolation.level", "read_committed");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** The models control topic: raw messages, read from the start so the newest model wins after a fresh start. */
    public static KafkaSource<byte[]> models(JobSettings job, boolean bounded) {
        var b = KafkaSource.<byte[]>builder()
                .setBootstrapServers(job.kafka().bootstrapServers())
                .setTopics(job.kafka().topics().models())
                .setGroupId(job.kafka().groupId() + "-models")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setValueOnlyDeserializer(new RawBytes())
                .setProperties(clientProperties(job));
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    public static KafkaSink<Forecast> forecasts(JobSettings job) {
        return sink(job, job.kafka().topics().forecasts(), "forecasts", f -> utf8(f.entityId()), OutputJson::forecast);
    }

    /** Dead letters keep the original record's key; both are cut to fit max-output-record-bytes. */
    public static KafkaSink<DeadLetter> deadLetters(JobSettings job) {
        int max = job.limits().maxOutputRecordBytes();
        return sink(job, job.kafka().topics().deadLetters(), "dead-letters", d -> OutputJson.deadLetterKey(d, max),
                d -> OutputJson.deadLetter(d, max - max / 4));
    }

    public static KafkaSink<Alert> alerts(JobSettings job) {
        return sink(job, job.kafka().topics().alerts(), "alerts", a -> utf8(a.entityId()), OutputJson::alert);
    }

    public static KafkaSink<ModelStatus> modelStatus(JobSettings job) {
        return sink(job, job.kafka().topics().modelStatus(), "model-status", OutputJson::modelStatusKey, OutputJson::modelStatus);
    }

    private static <T> KafkaSink<T> sink(JobSettings job, String topic, String purpose, SerializableFunction<T, byte[]> key,
                                         SerializableFunction<T, byte[]> value) {
        // The Kafka timestamp is when the record is written (null: the producer's clock), not the event time, which the
        // record carries in its body: replayed history stamped with its event time falls under the topic's time-based
        // retention and is deleted at the next retention check, before a consumer may have read it.
        KafkaRecordSerializationSchema<T> schema = (element, context, timestamp) ->
                new ProducerRecord<>(topic, null, null, key.apply(element), value.apply(element));
        var b = KafkaSink.<T>builder()
                .setBootstrapServers(job.kafka().bootstrapServers())
                .setRecordSerializer(schema)
                .setKafkaProducerConfig(clientProperties(job));
        if (job.delivery().exactlyOnce()) {
            // Transactions commit on checkpoint completion; their timeout must outlive a checkpoint interval plus a restart.
            b.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix("lstm-forecast-" + job.name() + "-" + purpose)
                    .setProperty("transaction.timeout.ms", String.valueOf(job.delivery().transactionTimeout().toMillis()));
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

    /** The job's pass-through Kafka properties (security settings and the like). */
    public static Properties clientProperties(JobSettings job) {
        Properties p = new Properties();
        p.putAll(job.kafka().properties());
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
