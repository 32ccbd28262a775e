package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where an evaluation puts what it makes besides its figures.
 *
 * @param bundleOut the trained bundle's folder, or null: not written
 * @param plots     the PNG plots' folder, or null: none drawn
 * @param log       training progress and per-file notes
 */
public record EvaluationOutputs(Path bundleOut, Path plots, PrintStream log) {

    void save(ModelBundle b) throws IOException {
        if (bundleOut != null) {
            b.writeTo(bundleOut);
        }
    }

    boolean plotting() {
        return plots != null;
    }

    Path plot(String fileName) {
        return plots.resolve(fileName);
    }
}
