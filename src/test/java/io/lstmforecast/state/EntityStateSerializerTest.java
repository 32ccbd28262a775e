package io.lstmforecast.state;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's own checks of a serializer (flink-core's SerializerTestBase): copies, serialization alone and in sequences,
 * with and without reuse, serialized copies, the serializer's snapshot and restore, duplicate, length, Java
 * serializability. The states cover every stage in the shapes the job produces: fresh, after many events, with and
 * without a baseline, intervals, cell state or re-warm inputs, two targets, a seasonal history by time, after alerts.
 */
class EntityStateSerializerTest extends SerializerTestBase<EntityState> {
    EntityStateSerializerTest() {
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a instanceof EntityState && b instanceof EntityState,
                        (a, b, checker) -> sameState((EntityState) a, (EntityState) b)));
    }

    @Override
    protected TypeSerializer<EntityState> createSerializer() {
        return EntityStateSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<EntityState> getTypeClass() {
        return EntityState.class;
    }

    @Override
    protected EntityState[] getTestData() {
        List<EntityState> states = new ArrayList<>();
        states.add(EntityState.empty(""));
        ModelBundle lstm = RandomBundles.random(CellKind.LSTM, List.of("value"), 8, 1, 3, 5);
        ModelBundle gru = RandomBundles.random(CellKind.GRU, List.of("a", "b"), 6, 2, 4, 6);
        states.add(after(lstm, ForecastPolicy.DEFAULT, 1));
        states.add(after(lstm, ForecastPolicy.DEFAULT.withRewarmEvents(3), 150));
        states.add(after(lstm, ForecastPolicy.DEFAULT.withBaseline(Baseline.parse("seasonal:1h")), 150));
        states.add(after(lstm, ForecastPolicy.DEFAULT.withBaseline(Baseline.parse("seasonal:4")), 40));
        states.add(after(lstm, ForecastPolicy.sigma(2, 0).withBaseline(Baseline.CONSTANT_VELOCITY), 200));
        states.add(
                after(lstm, ForecastPolicy.DEFAULT.withBaseline(Baseline.NONE).withIntervalCoverage(0), 30));
        states.add(after(gru, ForecastPolicy.DEFAULT, 120));
        // As a format 7 checkpoint restores: a history that does not say which baseline it was kept for.
        EntityState legacy = after(lstm, ForecastPolicy.DEFAULT, 20);
        BaselineHistory h = legacy.baseline();
        states.add(legacy.with(Stages.BASELINE, new BaselineHistory(h.seen(), h.meanGap(), h.values(), h.times())));
        return states.toArray(new EntityState[0]);
    }

    /** The entity's state after n events of a wave five minutes apart. */
    private static EntityState after(ModelBundle b, ForecastPolicy policy, int n) {
        EntityForecaster f = new EntityForecaster(b.model(), policy);
        int features = b.spec().features().size();
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < n; i++) {
            float[] x = new float[features];
            for (int j = 0; j < features; j++) {
                x[j] = (float) (Math.sin(i / (5.0 + j)) + (i % 37 == 0 ? 3 : 0));
            }
            f.advance(state, new Event[] {new Event("e", 300_000L * i, x, null)}, 1, out, a -> {});
        }
        return state[0];
    }

    /** Equal when the model ids and every stage's value are: records component by component, arrays by content. */
    static boolean sameState(EntityState a, EntityState b) {
        if (!a.modelId().equals(b.modelId())) {
            return false;
        }
        for (StageKind<?> kind : Stages.ALL) {
            if (!same(a.get(kind), b.get(kind))) {
                return false;
            }
        }
        return true;
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null || !a.getClass().isRecord() || a.getClass() != b.getClass()) {
            return Objects.deepEquals(a, b);
        }
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            try {
                if (!same(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                    return false;
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return true;
    }
}
