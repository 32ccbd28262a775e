package io.lstmforecast.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A NAB data file (CSV {@code timestamp,value}) with its labelled windows, and the job's residual
 * alerts run over it one event at a time: the detections NAB scores are the rows with an alert.
 */
public record Nab(String name, LocalDateTime[] times, double[] values, List<int[]> windows) {

    /** Loads every file of {@code dir} (e.g. nab/realKnownCause) with its windows from the labels file. */
    public static List<Nab> load(Path dataDir, String corpus) throws IOException {
        JsonNode labels = new ObjectMapper().readTree(dataDir.resolve("nab/labels/combined_windows.json").toFile());
        List<Nab> files = new ArrayList<>();
        try (var list = Files.list(dataDir.resolve("nab").resolve(corpus))) {
            for (Path csv : list.sorted().toList()) {
                List<String> lines = Files.readAllLines(csv);
                int n = lines.size() - 1;
                LocalDateTime[] times = new LocalDateTime[n];
                double[] values = new double[n];
                Map<LocalDateTime, Integer> row = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    String[] c = lines.get(i + 1).split(",");
                    times[i] = LocalDateTime.parse(c[0].trim().replace(' ', 'T'));
                    values[i] = Double.parseDouble(c[1]);
                    row.put(times[i], i);
                }
                List<int[]> windows = new ArrayList<>();
                for (JsonNode w : labels.get(corpus + "/" + csv.getFileName())) {
                    windows.add(new int[] {row.get(parse(w.get(0).asText())), row.get(parse(w.get(1).asText()))});
                }
                files.add(new Nab(csv.getFileName().toString(), times, values, windows));
            }
        }
        return files;
    }

    private static LocalDateTime parse(String labelTime) {
        return LocalDateTime.parse(labelTime.trim().replace(' ', 'T'));
    }

    /** The rows NAB does not score; the detector may learn from them. */
    public int probation() {
        return NabScorer.probationaryLength(values.length);
    }

    /** Rows where the job's residual alert fires when the file streams through {@code bundle}'s model. */
    public boolean[] alerts(ModelBundle bundle, ForecastPolicy policy) {
        EntityForecaster forecaster = new EntityForecaster(bundle.model(), policy);
        boolean[] detections = new boolean[values.length];
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        long t0 = 1_000_000_000_000L;
        for (int i = 0; i < values.length; i++) {
            int row = i;
            Event e = new Event(name, t0 + i * 60_000L, new float[] {(float) values[i]}, null);
            forecaster.advance(state, new Event[] {e}, 1, out, a -> detections[row] = true);
        }
        return detections;
    }
}
