package io.lstmforecast.train;

import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.io.EventCsv;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training series per entity: rows of feature values and each row's event time, from a CSV or a shipped job's generator.
 *
 * @param source   where they came from, for the report and the bundle's description
 * @param features the column names, in the order of each row's values
 */
public record TrainingData(String source, List<String> features, List<double[][]> rows, List<long[]> times) {

    /** The features each shipped job's generator produces, by job name. */
    public static final Map<String, List<String>> GENERATED_FEATURES =
            Map.of("sensors", List.of("temperature"), "tracks", List.of("x", "y", "z"));

    /** {@code steps} events per entity from the generator of the shipped job {@code job} (a key of {@link #GENERATED_FEATURES}). */
    public static TrainingData generated(String job, int entities, int steps, long seed) {
        EventGenerator g = Generators.forJob(job, entities, seed, 1_700_000_000_000L);
        Map<String, List<GeneratedEvent>> byEntity = new LinkedHashMap<>();
        for (long i = 0; i < (long) entities * steps; i++) {
            GeneratedEvent e = g.next();
            byEntity.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e);
        }
        return of(job + " generator (" + entities + " x " + steps + " steps)", GENERATED_FEATURES.get(job), byEntity);
    }

    /**
     * A CSV with header entity,timestamp,&lt;features&gt;, one series per entity in file order.
     *
     * @throws IllegalArgumentException a row that does not fit the header; the message says which and why
     */
    public static TrainingData csv(Path csv) throws IOException {
        String[] header;
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            header = r.readLine().split(",");
        }
        List<String> features = List.of(header).subList(2, header.length).stream()
                .map(String::trim)
                .toList();
        Map<String, List<GeneratedEvent>> byEntity = new LinkedHashMap<>();
        Iterator<GeneratedEvent> it = EventCsv.read(csv, features.size());
        while (it.hasNext()) {
            GeneratedEvent e = it.next();
            byEntity.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e);
        }
        return of(csv.toString(), features, byEntity);
    }

    /** The columns of {@code names} among the features, in their order; an unknown name fails, naming it. */
    public int[] columns(List<String> names) {
        int[] columns = new int[names.size()];
        for (int k = 0; k < columns.length; k++) {
            columns[k] = features.indexOf(names.get(k));
            if (columns[k] < 0) {
                throw new IllegalArgumentException("'" + names.get(k) + "' is not one of the columns " + features);
            }
        }
        return columns;
    }

    private static TrainingData of(String source, List<String> features, Map<String, List<GeneratedEvent>> byEntity) {
        List<double[][]> rows = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        for (List<GeneratedEvent> series : byEntity.values()) {
            double[][] r = new double[series.size()][];
            long[] t = new long[series.size()];
            for (int i = 0; i < r.length; i++) {
                float[] v = series.get(i).values();
                t[i] = series.get(i).timestamp();
                r[i] = new double[v.length];
                for (int k = 0; k < v.length; k++) {
                    r[i][k] = v[k];
                }
            }
            rows.add(r);
            times.add(t);
        }
        return new TrainingData(source, features, rows, times);
    }
}
