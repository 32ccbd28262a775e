package io.lstmforecast.job;

import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ParsedRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The forecast job graph:
 * <pre>
 *   source (parsed records, per-partition watermarks) -> route dead letters -> keyBy(entity)
 *     -> ForecastOperator (batched LSTM steps) -> forecasts sink;   parse failures + late + duplicate -> dead-letter sink
 * </pre>
 * It takes its source and sinks as arguments, so the same graph runs on Kafka and in tests.
 */
public final class ForecastJob {
    private ForecastJob() {
    }

    /** The job's two outputs: one forecast per applied event, one dead letter per record that was not applied. */
    public record Outputs(DataStream<Forecast> forecasts, DataStream<DeadLetter> deadLetters) {
    }

    public static Outputs build(StreamExecutionEnvironment env, Source<ParsedRecord, ?, ?> source, ForecastOptions options) {
        DataStream<ParsedRecord> records = env.fromSource(source, watermarks(options), "events")
                .uid("events-source");
        SingleOutputStreamOperator<Event> events = records.process(new DeadLetterRouter())
                .name("route dead letters").uid("route-dead-letters");
        SingleOutputStreamOperator<Forecast> forecasts = events
                .keyBy(Event::entityId)
                .transform("forecast", TypeInformation.of(Forecast.class), new ForecastOperator(options))
                .uid("forecast");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(forecasts.getSideOutput(ForecastOperator.REJECTED));
        return new Outputs(forecasts, deadLetters);
    }

    /** Builds the graph and attaches the sinks. */
    public static void build(StreamExecutionEnvironment env, Source<ParsedRecord, ?, ?> source, ForecastOptions options,
                             Sink<Forecast> forecastSink, Sink<DeadLetter> deadLetterSink) {
        Outputs outputs = build(env, source, options);
        outputs.forecasts().sinkTo(forecastSink).name("forecasts sink").uid("forecasts-sink");
        outputs.deadLetters().sinkTo(deadLetterSink).name("dead-letter sink").uid("dead-letter-sink");
    }

    /**
     * Event time comes from the parsed event; dead letters carry no event time and must not move
     * the watermark, so they report Long.MIN_VALUE.
     */
    static WatermarkStrategy<ParsedRecord> watermarks(ForecastOptions options) {
        WatermarkStrategy<ParsedRecord> strategy = WatermarkStrategy
                .<ParsedRecord>forBoundedOutOfOrderness(options.allowedLateness())
                .withTimestampAssigner((r, kafkaTime) -> r.isEvent() ? r.event().timestamp() : Long.MIN_VALUE);
        return options.idleTimeout().isZero() ? strategy : strategy.withIdleness(options.idleTimeout());
    }
}
