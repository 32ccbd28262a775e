package io.lstmforecast.job;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelStatus;
import io.lstmforecast.event.ModelUpdate;
import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The forecast job graph:
 * <pre>
 *   events source (parsed records, per-partition watermarks) -> route dead letters -> keyBy(entity) ─┐
 *   models control source -> validate bundle (parallelism 1) -> broadcast ─────────────────────────────┴>
 *     ForecastOperator (batched LSTM steps) -> forecasts;  alerts;  dead letters;  model status
 * </pre>
 * It takes its sources and sinks as arguments, so the same graph runs on Kafka and in tests.
 */
public final class ForecastJob {
    private ForecastJob() {}

    /** What the graph produces: forecasts, residual alerts, dead letters and model-swap outcomes. */
    public record Outputs(
            DataStream<Forecast> forecasts,
            DataStream<Alert> alerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<ModelStatus> modelStatus) {}

    /** Where the outputs go. */
    public record Sinks(
            Sink<Forecast> forecasts,
            Sink<Alert> alerts,
            Sink<DeadLetter> deadLetters,
            Sink<ModelStatus> modelStatus) {}

    /**
     * @param models control messages naming model bundles, or null for a job whose model never changes
     */
    public static Outputs build(
            StreamExecutionEnvironment env,
            Source<ParsedRecord, ?, ?> events,
            Source<byte[], ?, ?> models,
            ForecastOptions jobOptions) {
        ModelSpec spec =
                ModelBundle.fromZip(jobOptions.modelBundleZip(), "job model").spec();
        ModelValidator.checkServable(spec, jobOptions);
        ForecastOptions options = withEffectiveBaseline(jobOptions, spec);
        SingleOutputStreamOperator<Event> parsed = env.fromSource(events, eventWatermarks(options), "events")
                .uid("events-source")
                .process(new DeadLetterRouter())
                .name("route dead letters")
                .uid("route-dead-letters");
        // One reader for the control messages: the order of model swaps must be the order they were sent.
        DataStream<byte[]> control = (models != null
                        ? env.fromSource(models, WatermarkStrategy.forGenerator(ctx -> new NoEventTime()), "models")
                                .uid("models-source")
                        : env.fromSource(
                                new DataGeneratorSource<>(
                                        i -> new byte[0], 0, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO),
                                WatermarkStrategy.noWatermarks(),
                                "no models"))
                .setParallelism(1);
        SingleOutputStreamOperator<ModelUpdate> updates = control.process(new ModelValidator(options))
                .name("validate models")
                .uid("validate-models")
                .setParallelism(1);
        SingleOutputStreamOperator<Forecast> forecasts = parsed.keyBy(Event::entityId)
                .connect(updates.broadcast())
                .transform("forecast", TypeInformation.of(Forecast.class), new ForecastOperator(options))
                .uid("forecast");
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(forecasts.getSideOutput(ForecastOperator.REJECTED));
        return new Outputs(
                forecasts,
                forecasts.getSideOutput(ForecastOperator.ALERTS),
                deadLetters,
                updates.getSideOutput(ModelValidator.STATUS));
    }

    /**
     * The options with the baseline settled once for the job's life: the job's setting, else the one its model declares,
     * else persistence. A swapped-in model then keeps being measured against the same baseline. A job model that
     * declares another baseline than the job's setting is refused ({@link ModelContract}).
     */
    static ForecastOptions withEffectiveBaseline(ForecastOptions options, ModelSpec spec) {
        ModelContract.Mismatch m =
                ModelContract.served(spec, options.policy().baseline()).mismatch(spec);
        if (m != null) {
            throw new ModelFormatException("job setting " + m.setting() + " " + m.job() + " but the job's model "
                    + spec.name() + "@" + spec.version() + " declares " + m.model());
        }
        return options.withPolicy(options.policy()
                .withBaseline(Baseline.effective(options.policy().baseline(), spec.baseline())));
    }

    /** Builds the graph and attaches the sinks. */
    public static void build(
            StreamExecutionEnvironment env,
            Source<ParsedRecord, ?, ?> events,
            Source<byte[], ?, ?> models,
            ForecastOptions options,
            Sinks sinks) {
        Outputs outputs = build(env, events, models, options);
        outputs.forecasts().sinkTo(sinks.forecasts()).name("forecasts sink").uid("forecasts-sink");
        outputs.alerts().sinkTo(sinks.alerts()).name("alerts sink").uid("alerts-sink");
        outputs.deadLetters()
                .sinkTo(sinks.deadLetters())
                .name("dead-letter sink")
                .uid("dead-letter-sink");
        outputs.modelStatus()
                .sinkTo(sinks.modelStatus())
                .name("model status sink")
                .uid("model-status-sink")
                .setParallelism(1);
    }

    /** Event time comes from the parsed event; see {@link EventTimeWatermarks} for the guards against producers. */
    static WatermarkStrategy<ParsedRecord> eventWatermarks(ForecastOptions options) {
        return WatermarkStrategy.<ParsedRecord>forGenerator(ctx -> new EventTimeWatermarks(
                        options.eventTime().allowedLateness().toMillis(),
                        options.eventTime().maxEventTimeJump().toMillis(),
                        options.eventTime().idleTimeout().toMillis()))
                .withTimestampAssigner((r, kafkaTime) -> r.isEvent() ? r.event().timestamp() : Long.MIN_VALUE);
    }

    /**
     * Model messages have no event time. Their input must not hold back the forecast operator's watermark (the
     * minimum of its active inputs), so it declares itself idle from the start. It must not emit Long.MAX_VALUE
     * instead: when every events partition goes idle (a quiet night), Flink drops the idle input from the minimum,
     * the operator's watermark would jump to the end of time, and every event after the pause would be late.
     */
    static final class NoEventTime implements WatermarkGenerator<byte[]> {
        @Override
        public void onEvent(byte[] event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
