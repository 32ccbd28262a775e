package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where an evaluation puts what it makes besides its figures.
 *
 * @param bundleOut the trained bundle's folder, or null: not written
 * @param plots     the PNG plots' folder, or null: none drawn
 * @param log       training progress and per-file notes
 * @param bundleIn  a bundle an earlier run of the same task trained (its {@code bundleOut}), evaluated instead of
 *                  training one; null: train
 */
public record EvaluationOutputs(Path bundleOut, Path plots, PrintStream log, Path bundleIn) {

    public EvaluationOutputs(Path bundleOut, Path plots, PrintStream log) {
        this(bundleOut, plots, log, null);
    }

    /** The bundle {@code bundleIn} names, else the one {@code train} makes; written to {@code bundleOut} if named. */
    ModelBundle trained(Supplier<ModelBundle> train) throws IOException {
        ModelBundle b = bundleIn != null ? ModelBundle.read(bundleIn) : train.get();
        if (bundleOut != null) {
            b.writeTo(bundleOut);
        }
        return b;
    }

    boolean plotting() {
        return plots != null;
    }

    Path plot(String fileName) {
        return plots.resolve(fileName);
    }
}
