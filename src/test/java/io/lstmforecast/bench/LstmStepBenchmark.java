package io.lstmforecast.bench;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.RecurrentNetwork;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One LSTM step for B entities, four ways. Each invocation advances all B entities once, so the
 * time per entity-step is the score divided by B (scripts/jmh.sh prints both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LstmStepBenchmark {
    @Param({"1", "3"})
    int inputs;

    @Param({"16", "64", "128"})
    int hidden;

    @Param({"1", "16", "256"})
    int batch;

    RecurrentNetwork fused;
    float[] x;
    float[][] h;
    float[][] c;
    float[] xOne;
    float[][] hOne;
    float[][] cOne;
    float[] wIh;
    float[] wHh;
    float[] bias;
    INDArray[] gateWi;
    INDArray[] gateWh;
    INDArray[] gateB;
    INDArray xArr;
    INDArray hArr;
    INDArray cArr;

    @Setup
    public void setup() {
        Random rnd = new Random(1);
        Map<String, NpyArray> t = new HashMap<>();
        for (Map.Entry<String, int[]> e :
                CellKind.LSTM.layerTensors(0, inputs, hidden).entrySet()) {
            float[] v = new float[(int) NpyArray.elementCount(e.getValue())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (rnd.nextFloat() * 2 - 1) / (float) Math.sqrt(hidden);
            }
            t.put(e.getKey(), new NpyArray(e.getValue(), v));
        }
        fused = RecurrentNetwork.fromStateDict(t, "", CellKind.LSTM, inputs, hidden, 1, "bench");
        x = new float[batch * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        h = new float[1][batch * hidden];
        c = new float[1][batch * hidden];
        xOne = new float[inputs];
        hOne = new float[1][hidden];
        cOne = new float[1][hidden];
        wIh = t.get("weight_ih_l0").data();
        wHh = t.get("weight_hh_l0").data();
        bias = new float[4 * hidden];
        for (int r = 0; r < 4 * hidden; r++) {
            bias[r] = t.get("bias_ih_l0").data()[r] + t.get("bias_hh_l0").data()[r];
        }
        gateWi = new INDArray[4];
        gateWh = new INDArray[4];
        gateB = new INDArray[4];
        for (int g = 0; g < 4; g++) {
            gateWi[g] = Nd4j.create(
                            java.util.Arrays.copyOfRange(wIh, g * hidden * inputs, (g + 1) * hidden * inputs),
                            new long[] {hidden, inputs},
                            DataType.FLOAT)
                    .transpose()
                    .dup();
            gateWh[g] = Nd4j.create(
                            java.util.Arrays.copyOfRange(wHh, g * hidden * hidden, (g + 1) * hidden * hidden),
                            new long[] {hidden, hidden},
                            DataType.FLOAT)
                    .transpose()
                    .dup();
            gateB[g] = Nd4j.create(
                    java.util.Arrays.copyOfRange(bias, g * hidden, (g + 1) * hidden),
                    new long[] {1, hidden},
                    DataType.FLOAT);
        }
        xArr = Nd4j.create(x, new long[] {batch, inputs}, DataType.FLOAT);
        hArr = Nd4j.zeros(DataType.FLOAT, batch, hidden);
        cArr = Nd4j.zeros(DataType.FLOAT, batch, hidden);
    }

    /** The textbook form: one matmul per gate for x and for h, new arrays every step. */
    @Benchmark
    public INDArray textbook() {
        INDArray[] a = new INDArray[4];
        for (int g = 0; g < 4; g++) {
            a[g] = xArr.mmul(gateWi[g]).add(hArr.mmul(gateWh[g])).addRowVector(gateB[g]);
        }
        INDArray i = Transforms.sigmoid(a[0]);
        INDArray f = Transforms.sigmoid(a[1]);
        INDArray g = Transforms.tanh(a[2]);
        INDArray o = Transforms.sigmoid(a[3]);
        cArr = f.mul(cArr).add(i.mul(g));
        hArr = o.mul(Transforms.tanh(cArr));
        return hArr;
    }

    /** The engine's fused cell, called once per entity (batch of one). */
    @Benchmark
    public float[] fusedPerEntity() {
        float[] top = null;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, b * inputs, xOne, 0, inputs);
            top = fused.step(xOne, hOne, cOne, 1);
        }
        return top;
    }

    /** The engine's fused cell, all entities in one GEMM: what the job's batching operator runs. */
    @Benchmark
    public float[] fusedBatched() {
        return fused.step(x, h, c, batch);
    }

    /** Plain Java loops over float arrays, no ND4J. */
    @Benchmark
    public float[] plainJava() {
        int hd = hidden;
        float[] a = new float[4 * hd];
        float[] hh = h[0];
        float[] cc = c[0];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < 4 * hd; r++) {
                float s = bias[r];
                for (int k = 0; k < inputs; k++) {
                    s += wIh[r * inputs + k] * x[b * inputs + k];
                }
                for (int k = 0; k < hd; k++) {
                    s += wHh[r * hd + k] * hh[b * hd + k];
                }
                a[r] = s;
            }
            for (int j = 0; j < hd; j++) {
                float i = (float) (1 / (1 + Math.exp(-a[j])));
                float f = (float) (1 / (1 + Math.exp(-a[hd + j])));
                float g = (float) Math.tanh(a[2 * hd + j]);
                float o = (float) (1 / (1 + Math.exp(-a[3 * hd + j])));
                cc[b * hd + j] = f * cc[b * hd + j] + i * g;
                hh[b * hd + j] = o * (float) Math.tanh(cc[b * hd + j]);
            }
        }
        return hh;
    }
}
