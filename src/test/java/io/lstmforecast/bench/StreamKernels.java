package io.lstmforecast.bench;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The same event stream (N events round-robin over K entities, one feature, one LSTM layer of H)
 * through four ways of keeping per-entity LSTM state, single-threaded, without Kafka or Flink:
 * the job's batched EntityForecaster, the same one event at a time, a textbook per-event step (one
 * ND4J matmul per gate, new arrays) and DL4J's rnnTimeStep with each entity's state swapped in and
 * out. Run with scripts/stream-kernels.sh [H] [K] [N].
 */
public final class StreamKernels {
    public static void main(String[] args) {
        int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        float[] values = new float[events];
        for (int i = 0; i < events; i++) {
            values[i] = (float) Math.sin(i * 0.01);
        }
        ModelBundle bundle = RandomBundles.random(CellKind.LSTM, List.of("v"), hidden, 1, 1, 3);
        System.out.printf(Locale.ROOT, "| kernel | H | entities | events | events/s |%n|---|---|---|---|---|%n");
        for (int round = 0; round < 2; round++) {
            boolean report = round == 1;
            run(
                    "job kernel: EntityForecaster, batches of 256",
                    hidden,
                    entities,
                    events,
                    report,
                    () -> forecaster(bundle, values, entities, 256));
            run(
                    "EntityForecaster, one event at a time",
                    hidden,
                    entities,
                    events,
                    report,
                    () -> forecaster(bundle, values, entities, 1));
            run(
                    "textbook per-event step (8 ND4J mmuls)",
                    hidden,
                    entities,
                    events,
                    report,
                    () -> textbook(hidden, values, entities));
            run(
                    "DL4J rnnTimeStep, state swapped per entity",
                    hidden,
                    entities,
                    events,
                    report,
                    () -> dl4j(hidden, values, entities));
        }
    }

    private static void run(String name, int h, int k, int n, boolean report, Runnable r) {
        long start = System.nanoTime();
        r.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (report) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.0f |%n", name, h, k, n, n / seconds);
        }
    }

    static void forecaster(ModelBundle bundle, float[] values, int entities, int maxBatch) {
        EntityForecaster f = new EntityForecaster(bundle.model(), ForecastPolicy.DEFAULT);
        Map<String, EntityState> state = new HashMap<>();
        EntityState[] states = new EntityState[maxBatch];
        Event[] batch = new Event[maxBatch];
        Forecast[] out = new Forecast[maxBatch];
        Set<String> inBatch = new HashSet<>();
        int n = 0;
        for (int i = 0; i <= values.length; i++) {
            String id = i < values.length ? "e" + (i % entities) : null;
            if (n > 0 && (i == values.length || n == maxBatch || inBatch.contains(id))) {
                f.advance(states, batch, n, out, a -> {});
                for (int b = 0; b < n; b++) {
                    state.put(batch[b].entityId(), states[b]);
                }
                n = 0;
                inBatch.clear();
            }
            if (id != null) {
                batch[n] = new Event(id, i, new float[] {values[i]}, null);
                states[n++] = state.get(id);
                inBatch.add(id);
            }
        }
    }

    static void textbook(int hidden, float[] values, int entities) {
        INDArray[] wx = new INDArray[4];
        INDArray[] wh = new INDArray[4];
        INDArray[] b = new INDArray[4];
        for (int g = 0; g < 4; g++) {
            wx[g] = Nd4j.rand(DataType.FLOAT, 1, hidden).subi(0.5).divi(Math.sqrt(hidden));
            wh[g] = Nd4j.rand(DataType.FLOAT, hidden, hidden).subi(0.5).divi(Math.sqrt(hidden));
            b[g] = Nd4j.zeros(DataType.FLOAT, 1, hidden);
        }
        Map<Integer, INDArray[]> state = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            INDArray[] hc = state.computeIfAbsent(i % entities, e ->
                    new INDArray[] {Nd4j.zeros(DataType.FLOAT, 1, hidden), Nd4j.zeros(DataType.FLOAT, 1, hidden)});
            INDArray x = Nd4j.scalar(DataType.FLOAT, values[i]).reshape(1, 1);
            INDArray[] a = new INDArray[4];
            for (int g = 0; g < 4; g++) {
                a[g] = x.mmul(wx[g]).add(hc[0].mmul(wh[g])).add(b[g]);
            }
            INDArray c = Transforms.sigmoid(a[1])
                    .mul(hc[1])
                    .add(Transforms.sigmoid(a[0]).mul(Transforms.tanh(a[2])));
            hc[0] = Transforms.sigmoid(a[3]).mul(Transforms.tanh(c));
            hc[1] = c;
        }
    }

    static void dl4j(int hidden, float[] values, int entities) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new LSTM.Builder()
                        .nIn(1)
                        .nOut(hidden)
                        .activation(Activation.TANH)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY)
                        .nIn(hidden)
                        .nOut(1)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Map<Integer, Map<String, INDArray>> state = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            Map<String, INDArray> s = state.get(i % entities);
            if (s == null) {
                net.rnnClearPreviousState();
            } else {
                net.rnnSetPreviousState(0, s);
            }
            net.rnnTimeStep(Nd4j.scalar(DataType.FLOAT, values[i]).reshape(1, 1, 1));
            state.put(i % entities, new HashMap<>(net.rnnGetPreviousState(0)));
        }
    }
}
