package io.lstmforecast.model;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code out = [in | 1] · W} for a batch of rows, as one single-precision GEMM on ND4J's arrays.
 *
 * <p>W stacks the transposed weight matrices of an affine map over a last row of biases, so the
 * biases ride along in the same GEMM. The input and output matrices are ND4J arrays in native memory,
 * reused across calls: callers write rows through {@link #setInput}, call {@link #apply} and read
 * rows back, with no allocation per call once every batch size has been seen.
 *
 * <p>The GEMM is one {@code cblas_sgemm} into the OpenBLAS that ND4J's CPU backend loads and runs for
 * {@code Nd4j.gemm}. Called directly, it skips the op object, op context and shape buffers that
 * {@code Nd4j.gemm} builds on every call: about 10 µs a call, which at a batch of a few entities was most
 * of the step (docs/PERFORMANCE.md, "The LSTM step").
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

    /**
     * OpenBLAS's sgemm packs all of W on every call (measured 7-8 µs at 68 x 256, whatever the rows), while sgemv
     * streams W once per row (0.7 µs a row): a loop of sgemv is faster up to about a dozen rows. The small batches
     * of arrival ordering at low rates live there (docs/PERFORMANCE.md, "The LSTM step").
     */
    static final int GEMV_MAX_ROWS = 12;

    private final int inWidth;
    private final int outWidth;
    // The arrays own the native memory the pointers below address: they are kept so that it is not freed.
    private final INDArray weights;
    private final FloatPointer weightsPointer;
    private int capacity;
    private INDArray input;
    private INDArray output;
    private FloatPointer inputPointer;
    private FloatPointer outputPointer;
    /** Cursors over one row of the input and output, for the sgemv path; they share the arrays' memory. */
    private FloatPointer inputRow;

    private FloatPointer outputRow;
    private FloatBuffer inputBuffer;
    private FloatBuffer outputBuffer;

    /** @param packed (inWidth + 1) x outWidth, row-major: weight rows then the bias row. */
    public PackedAffine(int inWidth, int outWidth, float[] packed, int initialBatch) {
        if (packed.length != (inWidth + 1) * outWidth) {
            throw new IllegalArgumentException("packed weights must be (in+1) x out");
        }
        this.inWidth = inWidth;
        this.outWidth = outWidth;
        this.weights = Nd4j.create(packed, new long[] {inWidth + 1, outWidth}, DataType.FLOAT);
        this.weightsPointer = (FloatPointer) weights.data().addressPointer();
        allocate(Math.max(1, initialBatch));
    }

    private void allocate(int rows) {
        capacity = rows;
        input = Nd4j.zeros(DataType.FLOAT, rows, inWidth + 1);
        output = Nd4j.zeros(DataType.FLOAT, rows, outWidth);
        inputPointer = (FloatPointer) input.data().addressPointer();
        outputPointer = (FloatPointer) output.data().addressPointer();
        inputRow = new FloatPointer(inputPointer);
        outputRow = new FloatPointer(outputPointer);
        inputBuffer = input.data().asNioFloat();
        outputBuffer = output.data().asNioFloat();
        // The constant-1 column that multiplies the bias row.
        for (int r = 0; r < rows; r++) {
            inputBuffer.put(r * (inWidth + 1) + inWidth, 1f);
        }
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

    /**
     * out[0, rows) = in[0, rows) · W. Up to {@link #GEMV_MAX_ROWS} rows, one {@code cblas_sgemv} a row
     * (out_r = Wᵀ in_r); above, one {@code cblas_sgemm}.
     */
    public void apply(int rows) {
        int k = inWidth + 1;
        if (rows > GEMV_MAX_ROWS) {
            openblas_nolapack.cblas_sgemm(
                    openblas_nolapack.CblasRowMajor,
                    openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans,
                    rows,
                    outWidth,
                    k,
                    1f,
                    inputPointer,
                    k,
                    weightsPointer,
                    outWidth,
                    0f,
                    outputPointer,
                    outWidth);
            return;
        }
        for (int r = 0; r < rows; r++) {
            openblas_nolapack.cblas_sgemv(
                    openblas_nolapack.CblasRowMajor,
                    openblas_nolapack.CblasTrans,
                    k,
                    outWidth,
                    1f,
                    weightsPointer,
                    outWidth,
                    inputRow.position((long) r * k),
                    1,
                    0f,
                    outputRow.position((long) r * outWidth),
                    1);
        }
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
        /**
         * OpenBLAS's sgemm packs all of W on every call (measured 7-8 µs at 68 x 256, whatever the rows), while sgemv
         * streams W once per row (0.7 µs a row): a loop of sgemv is faster up to about a dozen rows. The small batches
         * of arrival ordering at low rates live there (docs/PERFORMANCE.md, "The LSTM step").
         */
        static final int GEMV_MAX_ROWS = 12;

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

        public PackedAffine build(int initialBatch) {
            return new PackedAffine(inWidth, outWidth, packed, initialBatch);
        }
    }
}
