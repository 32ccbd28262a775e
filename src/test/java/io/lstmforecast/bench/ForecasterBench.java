package io.lstmforecast.bench;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * EntityForecaster alone, without Flink or Kafka: N entities round-robin in batches of 256 (random LSTM, H=64, default
 * policy), printing per round of N events the events/s and the bytes the thread allocated per event. Arguments:
 * entities, rounds, horizon. Test scope, as StreamKernels.
 */
public final class ForecasterBench {
    private ForecasterBench() {}

    public static void main(String[] args) {
        int entities = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int horizon = Integer.parseInt(args[2]);
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("value"), 64, 1, horizon, 7);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        EntityState[] all = new EntityState[entities];
        String[] ids = new String[entities];
        for (int i = 0; i < entities; i++) ids[i] = "e" + i;
        int batch = 256;
        EntityState[] states = new EntityState[batch];
        Event[] events = new Event[batch];
        Forecast[] out = new Forecast[batch];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long a0 = mx.getThreadAllocatedBytes(tid);
            long n = 0;
            for (int start = 0; start < entities; start += batch) {
                int k = Math.min(batch, entities - start);
                for (int j = 0; j < k; j++) {
                    int e = start + j;
                    states[j] = all[e];
                    events[j] = new Event(ids[e], 1000L * r, new float[] {(float) Math.sin(r / 5.0 + e)}, null);
                }
                f.advance(states, events, k, out, a -> {});
                for (int j = 0; j < k; j++) all[start + j] = states[j];
                n += k;
            }
            long t1 = System.nanoTime();
            long a1 = mx.getThreadAllocatedBytes(tid);
            System.out.printf(
                    "round %d: %.0f events/s, %.0f bytes allocated per event%n",
                    r, n / ((t1 - t0) / 1e9), (double) (a1 - a0) / n);
        }
    }
}
