package io.lstmforecast.job;

import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.EntityStateSerializer;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The per-entity forecaster, keyed by entity id: applies each entity's events in event-time order,
 * one LSTM step per event, and emits one forecast per applied event.
 *
 * <p>Ordering. Events wait in {@code pending} until the watermark passes their time, because an
 * LSTM state is a function of the order of its inputs: applying events as they arrive would make
 * it depend on network timing. An event that arrives when the watermark has already passed its
 * time can no longer be applied in order and is dead-lettered as {@code late}; a second event with
 * the entity and timestamp of one already pending or applied is dead-lettered as {@code duplicate}
 * (the first arrival wins). Every event ends as exactly one forecast or one dead letter.
 *
 * <p>Batching. One ND4J call costs microseconds whatever its size, so the events that a watermark
 * releases are not stepped one by one: they are collected into a batch of up to
 * {@code maxBatchSize} entities, at most one event per entity (a second event of an entity closes
 * the batch first, so order within an entity holds), and the whole batch takes one GEMM per layer.
 * A batch is flushed before the watermark that released it is forwarded, before every checkpoint
 * barrier and at end of input, so no event is ever held in operator memory across a checkpoint:
 * exactly-once needs no extra state. Rows are independent, so results do not depend on batching.
 */
public final class ForecastOperator extends AbstractStreamOperator<Forecast>
        implements OneInputStreamOperator<Event, Forecast>, Triggerable<String, VoidNamespace>, BoundedOneInput {
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-events") {
    };

    private final ForecastOptions options;

    private transient ValueState<EntityState> entity;
    private transient MapState<Long, Event> pending;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient EntityForecaster forecaster;
    private transient Batch batch;
    private transient Counter forecasts;
    private transient Histogram batchSizes;
    private transient DeadLetterRouter.DeadLetterCounters deadLetters;

    public ForecastOperator(ForecastOptions options) {
        this.options = options;
    }

    @Override
    public void open() throws Exception {
        super.open();
        forecaster = new EntityForecaster(ModelBundle.fromZip(options.modelBundleZip(), "job model").model());
        ValueStateDescriptor<EntityState> entityDescriptor = new ValueStateDescriptor<>("entity", EntityStateSerializer.INSTANCE);
        if (!options.stateTtl().isZero()) {
            // Entities come and go: without a TTL every entity ever seen would stay in state forever.
            entityDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(options.stateTtl())
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        entity = getRuntimeContext().getState(entityDescriptor);
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, TypeInformation.of(Event.class)));
        timers = getInternalTimerService("pending-events", VoidNamespaceSerializer.INSTANCE, this);
        batch = new Batch(options.maxBatchSize());
        forecasts = getMetricGroup().counter("forecasts");
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        deadLetters = new DeadLetterRouter.DeadLetterCounters(getMetricGroup());
    }

    @Override
    public void processElement(StreamRecord<Event> record) throws Exception {
        Event event = record.getValue();
        long time = event.timestamp();
        EntityState state = entity.value();
        if (pending.contains(time) || (state != null && state.lastEventTime() == time)) {
            reject(event, DeadLetterReason.DUPLICATE, "an event of entity '" + event.entityId() + "' with timestamp "
                    + time + " was already received; the first one is applied");
            return;
        }
        long watermark = timers.currentWatermark();
        if (time <= watermark || (state != null && time < state.lastEventTime())) {
            reject(event, DeadLetterReason.LATE, "event time " + time + " is at or behind the watermark " + watermark
                    + ": it arrived more than the allowed lateness " + options.allowedLateness() + " late");
            return;
        }
        pending.put(time, event);
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
    }

    /** The watermark passed an event's time: it joins the batch (the key context is the event's entity). */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        String key = timer.getKey();
        Event event = pending.get(timer.getTimestamp());
        if (event == null) {
            return;
        }
        pending.remove(timer.getTimestamp());
        if (batch.contains(key) || batch.isFull()) {
            flush();
            setCurrentKey(key);
        }
        batch.add(key, entity.value(), event);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    }

    /**
     * As {@link AbstractStreamOperator#processWatermark}: fire the due timers, then forward the
     * watermark; with the batch they released flushed in between, so forecasts never trail it.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        timeServiceManager.advanceWatermark(mark);
        flush();
        output.emitWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    private void flush() throws Exception {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        forecaster.advance(batch.states, batch.events, n, batch.forecasts);
        for (int i = 0; i < n; i++) {
            setCurrentKey(batch.keys[i]);
            entity.update(batch.states[i]);
            output.collect(new StreamRecord<>(batch.forecasts[i], batch.events[i].timestamp()));
        }
        forecasts.inc(n);
        batchSizes.update(n);
        batch.clear();
    }

    private void reject(Event event, DeadLetterReason reason, String detail) {
        deadLetters.count(reason);
        output.collect(REJECTED, new StreamRecord<>(new DeadLetter(reason, detail, event.origin()), event.timestamp()));
    }

    /** The entities waiting for one model step, in the order their events were released. */
    private static final class Batch {
        final String[] keys;
        final EntityState[] states;
        final Event[] events;
        final Forecast[] forecasts;
        final Set<String> members = new HashSet<>();
        int size;

        Batch(int capacity) {
            keys = new String[capacity];
            states = new EntityState[capacity];
            events = new Event[capacity];
            forecasts = new Forecast[capacity];
        }

        boolean contains(String key) {
            return members.contains(key);
        }

        boolean isFull() {
            return size == keys.length;
        }

        int size() {
            return size;
        }

        void add(String key, EntityState state, Event event) {
            keys[size] = key;
            states[size] = state;
            events[size] = event;
            members.add(key);
            size++;
        }

        void clear() {
            java.util.Arrays.fill(states, 0, size, null);
            java.util.Arrays.fill(events, 0, size, null);
            java.util.Arrays.fill(forecasts, 0, size, null);
            members.clear();
            size = 0;
        }
    }
}
