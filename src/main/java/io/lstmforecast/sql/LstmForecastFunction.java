package io.lstmforecast.sql;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.job.ModelContract;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.EntityStateSerializer;
import io.lstmforecast.state.ForecastPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;

/**
 * {@code LSTM_FORECAST}: the forecast job's per-entity step as a Flink SQL process table function (FLIP-440).
 *
 * <pre>
 * SELECT * FROM LSTM_FORECAST(
 *   input =&gt; TABLE events PARTITION BY id, on_time =&gt; DESCRIPTOR(ts), model =&gt; '/models/sensors.zip')
 * </pre>
 *
 * <p>Each partition key is an entity; its rows are applied in arrival order, one model step each, by the same
 * {@link EntityForecaster} the DataStream job runs, and each gives one output row ({@link ForecastRows}). A row the job
 * would dead-letter (a null or non-finite feature, a time at or before the entity's last applied one, an unreadable
 * state) gives a row whose {@code error} column says why and changes nothing: a bad row never fails the query.
 *
 * <p>State. The entity's state is kept in the job's own binary format ({@link EntityStateSerializer}) as one BYTES
 * value, so it is checkpointed, carried through savepoints and readable by the job's code. An entity silent for
 * {@code state_ttl} of event time (the watermark passes its last event plus the TTL) is forgotten, as in the job.
 *
 * <p>The numeric arguments are DOUBLE: write {@code coverage => 0.8e0} or {@code CAST(0.8 AS DOUBLE)}. Flink 2.2's
 * generated code for a process table function does not convert a DECIMAL or INT literal to a DOUBLE parameter (the
 * query fails to compile), and a process table function must have one static signature, so it cannot take any type.
 *
 * <p>Features come from the input's columns named as the model's features or, when it has none of those, from an
 * array column named {@code values} in the model's feature order. The model and forecaster are built once per
 * function instance, at its first row.
 */
@DataTypeHint(ForecastRows.TYPE)
public final class LstmForecastFunction extends ProcessTableFunction<Row> {
    /** The name the docs, scripts and the {@code sql} command register this function under. */
    public static final String NAME = "LSTM_FORECAST";

    private static final String EXPIRY_TIMER = "expire";

    /**
     * The columns the function adds, with their SQL types, for a sink table's DDL: the sink takes the partition
     * column(s) first, then these, then {@code rowtime TIMESTAMP_LTZ(3)} (docs/sql.md).
     */
    public static final String OUTPUT_COLUMNS = ForecastRows.COLUMNS;

    /** One entity's state: {@link EntityState} as {@link EntityStateSerializer} writes it; null before its first row. */
    public static final class EntityBytes {
        public byte[] state;
    }

    private transient ForecastArguments arguments;
    private transient EntityForecaster forecaster;
    private transient ModelSpec spec;
    private transient long ttlMillis;
    private transient Columns columns;
    private transient EntityState[] states;
    private transient Event[] events;
    private transient Forecast[] out;
    private transient List<Alert> alerts;
    private transient DataOutputSerializer buffer;

    public void eval(
            Context ctx,
            @StateHint(name = "entity") EntityBytes entity,
            @ArgumentHint(
                            value = {ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.REQUIRE_ON_TIME},
                            name = "input")
                    Row input,
            @ArgumentHint(name = "model") String model,
            @ArgumentHint(name = "baseline", isOptional = true) String baseline,
            @ArgumentHint(name = "coverage", isOptional = true) Double coverage,
            @ArgumentHint(name = "alerts", isOptional = true) String alertMethod,
            @ArgumentHint(name = "alert_sigmas", isOptional = true) Double alertSigmas,
            @ArgumentHint(name = "alert_likelihood", isOptional = true) Double alertLikelihood,
            @ArgumentHint(name = "state_ttl", isOptional = true) String stateTtl,
            @ArgumentHint(name = "combine", isOptional = true) String combine)
            throws IOException {
        prepare(
                ctx,
                new ForecastArguments(
                        model, baseline, coverage, alertMethod, alertSigmas, alertLikelihood, stateTtl, combine));
        Long time = ctx.timeContext(Long.class).time();
        String entityId = columns.entity(input);
        if (time == null || entityId == null) {
            reject(
                    DeadLetterReason.MISSING_FIELD,
                    time == null ? "the row has no event time (its on_time column is null)" : "the entity is null");
            return;
        }
        float[] features = new float[columns.featureCount()];
        Columns.Rejection bad = columns.features(input, features);
        if (bad != null) {
            reject(bad.reason(), bad.detail());
            return;
        }
        EntityState state;
        try {
            state = entity.state == null ? null : read(entity.state);
        } catch (IOException | RuntimeException e) {
            entity.state = null;
            reject(
                    DeadLetterReason.BAD_STATE,
                    "the stored state of entity '" + entityId + "' could not be read (" + e.getMessage()
                            + "); it was cleared and the entity starts afresh with its next row");
            return;
        }
        if (state != null && time <= state.lastEventTime()) {
            boolean same = time == state.lastEventTime();
            reject(
                    same ? DeadLetterReason.DUPLICATE : DeadLetterReason.OUT_OF_ORDER,
                    same
                            ? "a row of entity '" + entityId + "' with time " + time + " was already applied"
                            : "time " + time + " is before the last row already applied to entity '" + entityId + "' ("
                                    + state.lastEventTime() + ")");
            return;
        }
        if (state != null && ttlMillis > 0 && state.lastEventTime() + ttlMillis <= time) {
            state = null; // idle for the TTL: forgotten, as the job forgets it
        }
        states[0] = state;
        events[0] = new Event(entityId, time, features, null);
        alerts.clear();
        forecaster.advance(states, events, 1, out, alerts::add);
        entity.state = write(states[0]);
        if (ttlMillis > 0) {
            ctx.timeContext(Long.class).registerOnTime(EXPIRY_TIMER, time + ttlMillis);
        }
        collect(ForecastRows.of(out[0], alerts));
    }

    /** The watermark passed the entity's last row plus the TTL with no newer row: the entity is forgotten. */
    public void onTimer(OnTimerContext ctx, @StateHint(name = "entity") EntityBytes entity) {
        ctx.clearAllState();
    }

    /** Builds the model and forecaster at the first row (scalar arguments reach only eval); later rows reuse them. */
    private void prepare(Context ctx, ForecastArguments args) {
        if (args.equals(arguments)) {
            return;
        }
        ForecastPolicy policy = args.policy();
        ModelBundle bundle = ModelSource.read(args.model());
        ModelSpec s = bundle.spec();
        ModelContract.Mismatch m = new ModelContract(
                        s.features(), s.timeFeatures() == null ? List.of() : s.timeFeatures(), policy.baseline())
                .mismatch(s);
        if (m != null) {
            throw new ModelFormatException("LSTM_FORECAST argument " + m.setting() + " is " + m.job() + " but model "
                    + s.name() + "@" + s.version() + " declares " + m.model());
        }
        // As the job: the baseline is settled once, the argument's, else the model's, else persistence.
        policy = policy.withBaseline(Baseline.effective(policy.baseline(), s.baseline()));
        DataType input = ctx.tableSemanticsFor("input").dataType();
        columns = Columns.resolve(input, ctx.tableSemanticsFor("input").partitionByColumns(), s.features());
        forecaster = new EntityForecaster(bundle.model(), policy);
        spec = s;
        ttlMillis = args.ttl().toMillis();
        states = new EntityState[1];
        events = new Event[1];
        out = new Forecast[1];
        alerts = new ArrayList<>();
        buffer = new DataOutputSerializer(2048);
        arguments = args;
    }

    private void reject(DeadLetterReason reason, String detail) {
        collect(ForecastRows.rejected(spec.name(), spec.version(), reason, detail));
    }

    private static EntityState read(byte[] bytes) throws IOException {
        return EntityStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    }

    private byte[] write(EntityState s) throws IOException {
        buffer.clear();
        EntityStateSerializer.INSTANCE.serialize(s, buffer);
        return buffer.getCopyOfBuffer();
    }
}
