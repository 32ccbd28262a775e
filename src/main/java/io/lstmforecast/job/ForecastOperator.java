package io.lstmforecast.job;

import io.lstmforecast.config.Ordering;
import io.lstmforecast.event.Alert;
import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelUpdate;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.EntityStateSerializer;
import io.lstmforecast.state.PopulationPrior;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The per-entity forecaster. Input 1 is the events, keyed by entity id; input 2 is the broadcast
 * stream of validated model updates. Each entity's events are applied in order (arrival or event time), one
 * LSTM step per event, and every applied event gives one forecast.
 *
 * <p>Ordering ({@link Ordering}). With {@code arrival}, an event is applied as soon as it arrives: Kafka keeps one
 * key's records in order within a partition, so for a topic keyed by entity this is the same order on every replay,
 * and nothing waits for a watermark. With {@code event-time}, events wait in {@code pending} until the watermark passes
 * their time, so that producers may reorder events within a key: an LSTM state is a function of the order of its
 * inputs. {@link Admission} decides which events are duplicates, late or out of order; every event ends as exactly one
 * forecast or one dead letter.
 *
 * <p>Batching. One ND4J call costs microseconds whatever its size, so events are collected into a batch of up to
 * {@code maxBatchSize} entities, at most one event per entity (a second event of an entity closes the batch first,
 * so order within an entity holds and the ordering checks compare with applied state), and the whole batch takes
 * one GEMM per layer. The batch is flushed when full, {@code maxBatchDelay} of processing time after its first
 * event (arrival ordering), before a watermark is forwarded (event-time ordering: the events it released), before
 * every checkpoint barrier, before a model swap and at end of input, so no event is held in operator memory across
 * a checkpoint. Rows are independent, so results do not depend on batching.
 *
 * <p>Models. The current model is kept in broadcast state, so every parallel instance restores
 * the same model after a failure or rescale. Entity state remembers which model wrote it; see
 * {@link EntityForecaster#advance} for what a swap does to it.
 *
 * <p>Population prior. What every entity of an instance has shown about the model against the baseline
 * ({@link PopulationPrior}) is the instance's, kept in operator state ({@link StoredPrior}); a swap to a model of the
 * same horizon keeps it, one of another horizon starts a new one.
 *
 * <p>Expiry. An entity whose last event lies more than the state TTL of event time behind the
 * watermark is cleared and counted: entities come and go, and state must not grow forever.
 */
public final class ForecastOperator extends AbstractStreamOperator<Forecast>
        implements TwoInputStreamOperator<Event, ModelUpdate, Forecast>,
                Triggerable<String, VoidNamespace>,
                BoundedMultiInput {
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-events") {};
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts") {};
    static final MapStateDescriptor<String, byte[]> MODEL_STATE = new MapStateDescriptor<>(
            "current-model", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final String CURRENT = "current";
    private final ForecastOptions options;

    private transient BroadcastState<String, byte[]> modelState;
    private transient StoredPrior storedPrior;
    private transient ValueState<EntityState> entity;
    private transient MapState<Long, Event> pending;
    private transient InternalTimerService<VoidNamespace> releaseTimers;
    private transient InternalTimerService<VoidNamespace> expiryTimers;
    private transient ModelContract contract;
    private transient EntityForecaster forecaster;
    private transient Batch batch;
    /** Batches flushed so far: a max-batch-delay timer only flushes the batch that was open when it was set. */
    private transient long flushes;

    private transient Counter forecasts;
    private transient Counter expired;
    private transient Counter alerts;
    private transient Counter modelSwaps;
    private transient Histogram batchSizes;
    private transient Histogram latencyMillis;
    private transient Counter eventsIn;
    private transient double rollingAbsError;
    private transient DeadLetterRouter.DeadLetterCounters deadLetters;
    private transient String servingModel;
    private transient PlausibleValues plausible;

    public ForecastOperator(ForecastOptions options) {
        this.options = options;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelState = context.getOperatorStateStore().getBroadcastState(MODEL_STATE);
        var task = getRuntimeContext().getTaskInfo();
        storedPrior = new StoredPrior(context, task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        storedPrior.snapshot(forecaster.prior());
    }

    @Override
    public void open() throws Exception {
        super.open();
        contract = ModelContract.served(
                ModelBundle.fromZip(options.modelBundleZip(), "job model").spec(),
                options.policy().baseline());
        byte[] restored = modelState.get(CURRENT);
        try {
            useModel(restored != null ? restored : options.modelBundleZip());
        } catch (RuntimeException e) {
            // A swapped-in model that an older release accepted but this one cannot build must not fail every restart.
            LOG.error("the model restored from state cannot be built; serving the job's own model instead", e);
            useModel(options.modelBundleZip());
        }
        entity = getRuntimeContext().getState(new ValueStateDescriptor<>("entity", EntityStateSerializer.INSTANCE));
        pending = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("pending", Types.LONG, TypeInformation.of(Event.class)));
        releaseTimers = getInternalTimerService("pending-events", VoidNamespaceSerializer.INSTANCE, this);
        expiryTimers = getInternalTimerService("entity-expiry", VoidNamespaceSerializer.INSTANCE, new Expiry());
        batch = new Batch(options.batching().maxBatchSize());
        forecasts = getMetricGroup().counter("forecasts");
        expired = getMetricGroup().counter("expiredEntities");
        alerts = getMetricGroup().counter("alerts");
        modelSwaps = getMetricGroup().counter("modelSwaps");
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        latencyMillis = getMetricGroup().histogram("forecastLatencyMs", new DescriptiveStatisticsHistogram(1000));
        eventsIn = getMetricGroup().counter("events");
        getMetricGroup().meter("eventsPerSecond", new MeterView(eventsIn));
        // Mean |one-step error| over the last ~1000 scored events of the serving model, across its entities.
        getMetricGroup().gauge("rollingMae", () -> rollingAbsError);
        getMetricGroup().gauge("modelVersion", () -> servingModel);
        // Share of recent one-step actual values inside their published prediction interval (first target), ~1000
        // events.
        getMetricGroup().gauge("intervalCoverage", () -> forecaster.realisedCoverage());
        // Mean one-step skill (1 - MAE(model) / MAE(baseline), first target) of the last ~1000 forecasts; NaN without a
        // baseline. Below 0: the serving model loses to the naive baseline.
        getMetricGroup().gauge("skill", () -> forecaster.recentSkill());
        deadLetters = new DeadLetterRouter.DeadLetterCounters(getMetricGroup());
    }

    /**
     * Serves the model of bundle {@code zip}, if it keeps the job's {@link ModelContract}, with the population prior
     * learnt so far (restored from state at the first model) when it has the same horizon.
     */
    private void useModel(byte[] zip) {
        ModelBundle bundle = ModelBundle.fromZip(zip, "model");
        ModelContract.Mismatch m = contract.mismatch(bundle.spec());
        if (m != null) {
            throw new ModelFormatException(
                    "model " + bundle.spec().name() + "@" + bundle.spec().version() + " expects " + m.setting() + " "
                            + m.model() + " but the job has " + m.job());
        }
        ForecastModel model = bundle.model();
        PlausibleValues bounds = new PlausibleValues(options.plausible(), bundle.spec());
        EntityForecaster previous = forecaster;
        forecaster =
                new EntityForecaster(options.lastValueKernel() ? model.lastValueKernel() : model, options.policy());
        int horizon = forecaster.prior().horizon();
        PopulationPrior prior = previous != null ? previous.prior() : storedPrior.restored(horizon);
        if (prior != null && prior.horizon() == horizon) {
            forecaster.usePrior(prior);
        }
        servingModel = forecaster.modelId();
        plausible = bounds;
        rollingAbsError = 0;
    }

    /** The population prior the serving model's forecaster combines with (read by tests). */
    PopulationPrior prior() {
        return forecaster.prior();
    }

    @Override
    public void processElement1(StreamRecord<Event> record) throws Exception {
        Event event = record.getValue();
        eventsIn.inc();
        String implausible = plausible.why(event.features());
        if (implausible != null) {
            reject(event, DeadLetterReason.OUT_OF_RANGE, implausible);
            return;
        }
        if (options.batching().ordering() == Ordering.ARRIVAL) {
            admit((String) getCurrentKey(), event);
            return;
        }
        if (admitted(Admission.Moment.HOLD, event) != null) {
            pending.put(event.timestamp(), event);
            releaseTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, event.timestamp());
        }
    }

    /** A validated model: events released before it use the old model, events after it the new one. */
    @Override
    public void processElement2(StreamRecord<ModelUpdate> record) throws Exception {
        flush();
        try {
            useModel(record.getValue().bundleZip());
        } catch (RuntimeException e) {
            // The validator ran this model; if it cannot be built or served here after all, the old one stays.
            LOG.error(
                    "model {}@{} passed validation but cannot be served; the old model keeps serving",
                    record.getValue().name(),
                    record.getValue().version(),
                    e);
            return;
        }
        modelState.put(CURRENT, record.getValue().bundleZip());
        modelSwaps.inc();
    }

    /** The watermark passed an event's time: it joins the batch (the key context is its entity). */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Event event = pending.get(timer.getTimestamp());
        if (event == null) {
            return;
        }
        pending.remove(timer.getTimestamp());
        admit(timer.getKey(), event);
    }

    /**
     * Puts an event of entity {@code key} (the current key) into the batch if it passes {@link Admission} (events
     * released by the watermark pass by construction, unless the job switched from arrival ordering).
     */
    private void admit(String key, Event event) throws Exception {
        if (batch.contains(key) || batch.isFull()) {
            flush();
            setCurrentKey(key);
        }
        StoredState stored = admitted(Admission.Moment.APPLY, event);
        if (stored == null) {
            return;
        }
        EntityState state = stored.state();
        // One watermark can release an event after its entity's expiry time: expire first, as a slower watermark would
        // have.
        if (expireIfIdle(state, event.timestamp())) {
            state = null;
        }
        batch.add(key, state, event);
        if (options.batching().ordering() == Ordering.ARRIVAL) {
            closeBatchInTime();
        }
    }

    /**
     * The current entity's stored state if {@code event} passes {@link Admission} at {@code moment}; otherwise null,
     * and the event is dead-lettered with the reason (an unreadable state is cleared, so one damaged entity neither
     * fails the task nor stops its later events).
     */
    private StoredState admitted(Admission.Moment moment, Event event) throws Exception {
        StoredState stored = StoredState.read(entity);
        boolean held = moment == Admission.Moment.HOLD && pending.contains(event.timestamp());
        Admission.Verdict verdict = Admission.decide(
                moment,
                event,
                stored.forAdmission(held),
                releaseTimers.currentWatermark(),
                options.eventTime().allowedLateness());
        if (verdict.admitted()) {
            return stored;
        }
        if (stored.unreadable()) {
            entity.clear();
        }
        reject(event, verdict.reason(), verdict.detail());
        return null;
    }

    /**
     * Arrival ordering: the event that opens a batch sets a processing-time timer for max-batch-delay, so no event
     * waits longer than that for others to share its model step; with a delay of zero every event is stepped at once.
     */
    private void closeBatchInTime() throws Exception {
        long delay = options.batching().maxBatchDelay().toMillis();
        if (delay == 0) {
            flush();
        } else if (batch.size() == 1) {
            long open = flushes;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + delay, t -> {
                if (flushes == open) {
                    flush();
                }
            });
        }
    }

    /** Clears the current entity and counts it when it has been idle for the state TTL at event time {@code now}. */
    private boolean expireIfIdle(EntityState state, long now) {
        long ttl = options.eventTime().stateTtl().toMillis();
        if (ttl == 0 || state == null || state.lastEventTime() + ttl > now) {
            return false;
        }
        entity.clear();
        expired.inc();
        return true;
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

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
    public void endInput(int inputId) throws Exception {
        flush();
    }

    private void flush() throws Exception {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        forecaster.advance(batch.states, batch.events, n, batch.forecasts, this::alert);
        long ttl = options.eventTime().stateTtl().toMillis();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            setCurrentKey(batch.keys[i]);
            entity.update(batch.states[i]);
            if (ttl > 0) {
                expiryTimers.registerEventTimeTimer(
                        VoidNamespace.INSTANCE, expiryTime(batch.events[i].timestamp(), ttl));
            }
            output.collect(new StreamRecord<>(batch.forecasts[i], batch.events[i].timestamp()));
            track(batch.forecasts[i], batch.events[i], now);
        }
        forecasts.inc(n);
        batchSizes.update(n);
        batch.clear();
        flushes++;
    }

    /** Latency from the event's Kafka timestamp to its forecast, and the model's rolling error. */
    private void track(Forecast f, Event e, long now) {
        if (e.origin() != null && e.origin().kafkaTimestamp() > 0) {
            latencyMillis.update(now - e.origin().kafkaTimestamp());
        }
        if (f.previousError() != null) {
            rollingAbsError += (Math.abs(f.previousError()[0]) - rollingAbsError) / 1000.0;
        }
    }

    /** Expiry timers are rounded up to an eighth of the TTL so that a busy entity shares a few of them. */
    private static long expiryTime(long lastEvent, long ttl) {
        long grain = Math.max(1, ttl / 8);
        long due = lastEvent + ttl;
        return due + (grain - Math.floorMod(due, grain)) % grain;
    }

    private void alert(Alert a) {
        alerts.inc();
        output.collect(ALERTS, new StreamRecord<>(a, a.eventTime()));
    }

    private void reject(Event event, DeadLetterReason reason, String detail) {
        deadLetters.count(reason);
        output.collect(REJECTED, new StreamRecord<>(new DeadLetter(reason, detail, event.origin()), event.timestamp()));
    }

    /** Clears an entity once the watermark is a whole TTL past its last event. */
    private final class Expiry implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
            // A batch may hold this entity's newer event: apply it before judging idleness.
            flush();
            setCurrentKey(timer.getKey());
            if (pending.isEmpty()) {
                StoredState stored = StoredState.read(entity);
                if (stored.unreadable()) {
                    entity.clear(); // unreadable and idle: nothing is lost by forgetting it now
                    expired.inc();
                } else {
                    expireIfIdle(stored.state(), timer.getTimestamp());
                }
            }
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }

    /** The entities waiting for one model step, in the order their events were released. */
    private static final class Batch {
        final String[] keys;
        final EntityState[] states;
        final Event[] events;
        final Forecast[] forecasts;
        final java.util.Set<String> members = new java.util.HashSet<>();
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
