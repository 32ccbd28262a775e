package io.lstmforecast.job;

import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.EntityStateSerializer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The per-entity forecaster: keyed by entity id, it applies each entity's events in event-time
 * order, one LSTM step per event, and emits a forecast per applied event.
 *
 * <p>Events wait in {@code pending} until the watermark passes their time, because the LSTM state
 * is a function of the order of events: applying them as they arrive would make the state depend on
 * network timing. An event that arrives when the watermark has already passed its time can no
 * longer be applied in order and is dead-lettered as {@code late}; a second event with the same
 * entity and timestamp as one already pending or applied is dead-lettered as {@code duplicate}
 * (the first arrival wins). Every event thus ends as exactly one forecast or one dead letter.
 */
public final class ForecastFunction extends KeyedProcessFunction<String, Event, Forecast> {
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-events") {
    };

    private final ForecastOptions options;

    private transient ValueState<EntityState> entity;
    private transient MapState<Long, Event> pending;
    private transient EntityForecaster forecaster;
    private transient EntityState[] stateRow;
    private transient Event[] eventRow;
    private transient Forecast[] forecastRow;
    private transient Counter forecasts;
    private transient DeadLetterRouter.DeadLetterCounters deadLetters;

    public ForecastFunction(ForecastOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext context) {
        forecaster = new EntityForecaster(ModelBundle.fromZip(options.modelBundleZip(), "job model").model());
        ValueStateDescriptor<EntityState> entityDescriptor = new ValueStateDescriptor<>("entity", EntityStateSerializer.INSTANCE);
        if (!options.stateTtl().isZero()) {
            // Entities come and go: without a TTL, every entity ever seen would stay in state forever.
            entityDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(options.stateTtl())
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        entity = getRuntimeContext().getState(entityDescriptor);
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, TypeInformation.of(Event.class)));
        stateRow = new EntityState[1];
        eventRow = new Event[1];
        forecastRow = new Forecast[1];
        forecasts = getRuntimeContext().getMetricGroup().counter("forecasts");
        deadLetters = new DeadLetterRouter.DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Forecast> out) throws Exception {
        long time = event.timestamp();
        EntityState state = entity.value();
        if (pending.contains(time) || (state != null && state.lastEventTime() == time)) {
            reject(ctx, event, DeadLetterReason.DUPLICATE, "an event of entity '" + event.entityId()
                    + "' with timestamp " + time + " was already received; the first one is applied");
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (time <= watermark || (state != null && time < state.lastEventTime())) {
            reject(ctx, event, DeadLetterReason.LATE, "event time " + time + " is at or behind the watermark "
                    + watermark + ": it arrived more than the allowed lateness " + options.allowedLateness() + " late");
            return;
        }
        pending.put(time, event);
        ctx.timerService().registerEventTimeTimer(time);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Forecast> out) throws Exception {
        Event event = pending.get(time);
        if (event == null) {
            return;
        }
        pending.remove(time);
        stateRow[0] = entity.value();
        eventRow[0] = event;
        forecaster.advance(stateRow, eventRow, 1, forecastRow);
        entity.update(stateRow[0]);
        forecasts.inc();
        out.collect(forecastRow[0]);
    }

    private void reject(Context ctx, Event event, DeadLetterReason reason, String detail) {
        deadLetters.count(reason);
        ctx.output(REJECTED, new DeadLetter(reason, detail, event.origin()));
    }

}
