package io.lstmforecast.io;

import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.event.RecordOrigin;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Parses in the Kafka source, so that watermarks are generated per partition from event time. */
public final class ParsingDeserializationSchema implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private final EventParser parser;

    public ParsingDeserializationSchema(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ParsedRecord> out) {
        out.collect(parser.parse(
                new RecordOrigin(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value())));
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
