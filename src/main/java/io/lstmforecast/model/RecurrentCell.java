package io.lstmforecast.model;

/**
 * One recurrent layer that advances a batch of entities by one time step.
 *
 * <p>Arrays are row-major with one row per entity: {@code x} is batch x inputSize, {@code h} and
 * {@code c} are batch x hiddenSize and are updated in place. Cells without a cell state (GRU)
 * ignore {@code c}. Rows are independent: the result for one entity never depends on which other
 * entities share its batch.
 */
public interface RecurrentCell {
    int inputSize();

    int hiddenSize();

    CellKind kind();

    void step(float[] x, float[] h, float[] c, int batch);
}
