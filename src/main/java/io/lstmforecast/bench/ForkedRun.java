package io.lstmforecast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One configuration measured in a JVM of its own, as JMH forks. In one JVM the later runs inherit the earlier runs'
 * compiled code and heap: a no-op run measured after an LSTM run read 89k events/s, measured before it 55k, and
 * the LSTM run likewise, so the order of the runs, not the kernels, decided their ratio (docs/PERFORMANCE.md).
 */
final class ForkedRun {
    private ForkedRun() {}

    /**
     * Runs {@code command} (this bench command line, started anew) with {@code --run run --result FILE} and reads the
     * figures it wrote. Its console output and errors are this process's.
     */
    static Measurement measure(List<String> command, int run) throws IOException, InterruptedException {
        Path result = Files.createTempFile("lstm-forecast-bench-run" + run + "-", ".bin");
        try {
            List<String> line = new ArrayList<>(command);
            line.add("--run=" + run);
            line.add("--result=" + result);
            int code = new ProcessBuilder(line).inheritIO().start().waitFor();
            if (code != 0 || Files.size(result) == 0) {
                throw new IllegalStateException(
                        "run " + run + " failed in its own JVM (exit code " + code + "); its errors are above");
            }
            return Measurement.readFrom(result);
        } finally {
            Files.deleteIfExists(result);
        }
    }
}
