package io.lstmforecast.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code out = [in | 1] · W} for a batch of rows, as one ND4J GEMM.
 *
 * <p>W stacks the transposed weight matrices of an affine map over a last row of biases, so the
 * biases ride along in the same GEMM. The input and output matrices live in native memory and are
 * reused across calls: callers write rows through {@link #inputRow}, call {@link #apply} and read
 * rows back, with no allocation per call once every batch size has been seen.
 */
public final class PackedAffine {
    static {
        // Flink already runs one task thread per slot on every core; ND4J's own OpenMP and OpenBLAS
        // threads on top of that oversubscribe the cores (measured 2-4x slower per step here, see
        // docs/PERFORMANCE.md). Set OMP_NUM_THREADS to choose otherwise.
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
        }
    }

    private final int inWidth;
    private final int outWidth;
    private final INDArray weights;
    private int capacity;
    private INDArray input;
    private INDArray output;
    private FloatBuffer inputBuffer;
    private FloatBuffer outputBuffer;
    private INDArray[] inputViews;
    private INDArray[] outputViews;

    /** @param packed (inWidth + 1) x outWidth, row-major: weight rows then the bias row. */
    public PackedAffine(int inWidth, int outWidth, float[] packed, int initialBatch) {
        if (packed.length != (inWidth + 1) * outWidth) {
            throw new IllegalArgumentException("packed weights must be (in+1) x out");
        }
        this.inWidth = inWidth;
        this.outWidth = outWidth;
        this.weights = Nd4j.create(packed, new long[] {inWidth + 1, outWidth}, DataType.FLOAT);
        allocate(Math.max(1, initialBatch));
    }

    private void allocate(int rows) {
        capacity = rows;
        input = Nd4j.zeros(DataType.FLOAT, rows, inWidth + 1);
        output = Nd4j.zeros(DataType.FLOAT, rows, outWidth);
        inputBuffer = input.data().asNioFloat();
        outputBuffer = output.data().asNioFloat();
        // The constant-1 column that multiplies the bias row.
        for (int r = 0; r < rows; r++) {
            inputBuffer.put(r * (inWidth + 1) + inWidth, 1f);
        }
        inputViews = new INDArray[rows + 1];
        outputViews = new INDArray[rows + 1];
    }

    /** Makes room for {@code rows} rows; existing row contents are not kept. */
    public void ensureCapacity(int rows) {
        if (rows > capacity) {
            allocate(Math.max(rows, capacity * 2));
        }
    }

    public int inWidth() {
        return inWidth;
    }

    public int outWidth() {
        return outWidth;
    }

    /** Copies {@code len} values into row {@code row} of the input, starting at column {@code col}. */
    public void setInput(int row, int col, float[] src, int srcOffset, int len) {
        inputBuffer.put(row * (inWidth + 1) + col, src, srcOffset, len);
    }

    /** Runs the GEMM for the first {@code rows} rows. */
    public void apply(int rows) {
        if (inputViews[rows] == null) {
            inputViews[rows] = input.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            outputViews[rows] = output.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }
        Nd4j.gemm(inputViews[rows], weights, outputViews[rows], false, false, 1.0, 0.0);
    }

    /**
     * Runs the GEMM and then ND4J's native (vectorised) sigmoid over all outputs in place: one
     * call for the whole batch instead of one exp per gate value in Java.
     */
    public void applySigmoid(int rows) {
        apply(rows);
        Nd4j.getExecutioner().exec(new Sigmoid(outputViews[rows], outputViews[rows]));
    }

    /** Copies all of output row {@code row} into {@code dst} at {@code dstOffset}. */
    public void getOutput(int row, float[] dst, int dstOffset) {
        outputBuffer.get(row * outWidth, dst, dstOffset, outWidth);
    }

    /**
     * Packs PyTorch {@code nn.Linear}-layout blocks into one (in+1) x out matrix. Each block is a
     * weight of shape (outRows, blockIn) placed at rows [inOffset, inOffset+blockIn) and columns
     * [outOffset, outOffset+outRows), transposed; biases are added into the last row.
     */
    public static final class Packer {
        private final int inWidth;
        private final int outWidth;
        private final float[] packed;

        public Packer(int inWidth, int outWidth) {
            this.inWidth = inWidth;
            this.outWidth = outWidth;
            this.packed = new float[(inWidth + 1) * outWidth];
        }

        public Packer weight(float[] w, int wRowStart, int outRows, int blockIn, int inOffset, int outOffset) {
            for (int o = 0; o < outRows; o++) {
                for (int i = 0; i < blockIn; i++) {
                    packed[(inOffset + i) * outWidth + outOffset + o] = w[(wRowStart + o) * blockIn + i];
                }
            }
            return this;
        }

        public Packer bias(float[] b, int start, int count, int outOffset) {
            for (int o = 0; o < count; o++) {
                packed[inWidth * outWidth + outOffset + o] += b[start + o];
            }
            return this;
        }

        /** Multiplies columns [from, from+count) (weights and bias) by {@code factor}. */
        public Packer scaleColumns(int from, int count, float factor) {
            for (int r = 0; r <= inWidth; r++) {
                for (int o = from; o < from + count; o++) {
                    packed[r * outWidth + o] *= factor;
                }
            }
            return this;
        }

        public PackedAffine build(int initialBatch) {
            return new PackedAffine(inWidth, outWidth, packed, initialBatch);
        }
    }
}
