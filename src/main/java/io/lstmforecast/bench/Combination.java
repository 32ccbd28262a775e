package io.lstmforecast.bench;

import io.lstmforecast.config.Batching;
import java.util.ArrayList;
import java.util.List;

/** One combination of bench's list options: the configuration one run measures. */
public record Combination(
        String kernel, String ordering, int hidden, int entities, String state, String batch, String delivery) {
    public static final String LSTM = "lstm";
    /** Forecast = last value in the same pipeline: the pipeline's ceiling. */
    public static final String NOOP = "noop";

    /** The model step in the SQL form, LSTM_FORECAST over the same topics ({@link SqlRun}); throughput mode only. */
    public static final String SQL = "sql";

    public static final List<String> KERNELS = List.of(LSTM, NOOP, SQL);
    /** Cross-entity batching on (the default batch size) or off (one entity per step). */
    public static final List<String> BATCHING = List.of("on", "off");

    /** Every combination of the plan's lists, kernels innermost, so an LSTM run and its no-op run come one after the other. */
    public static List<Combination> all(BenchPlan p) {
        List<Combination> all = new ArrayList<>();
        for (String o : p.orderings()) {
            for (int h : p.hidden()) {
                for (int k : p.entities()) {
                    for (String s : p.states()) {
                        for (String b : p.batches()) {
                            for (String d : p.deliveries()) {
                                for (String kern : p.kernels()) {
                                    all.add(new Combination(kern, o, h, k, s, b, d));
                                }
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    /** The same configuration with the other kernel: the pair whose ratio is reported. */
    Combination withKernel(String k) {
        return new Combination(k, ordering, hidden, entities, state, batch, delivery);
    }

    boolean lastValueKernel() {
        return kernel.equals(NOOP);
    }

    int maxBatchSize() {
        return batch.equals("on") ? Batching.DEFAULT_MAX_BATCH_SIZE : 1;
    }
}
