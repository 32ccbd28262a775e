package io.lstmforecast.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A NAB data file (CSV {@code timestamp,value}) with its labelled windows as inclusive row ranges. The
 * detections NAB scores are the rows at which the job raised an alert while the file streamed through it.
 */
public record Nab(String name, LocalDateTime[] times, double[] values, List<int[]> windows) {

    /** A corpus folder or labels file that cannot be read as NAB's. */
    public static final class NabFormatException extends EvaluationInputException {
        public NabFormatException(String message) {
            super(message);
        }
    }

    /**
     * Loads every CSV file of {@code corpus} (e.g. nab/realKnownCause) with its windows from {@code labels} (NAB's
     * combined_windows.json), where they are listed under {@code <folder name>/<file name>} as NAB does.
     */
    public static List<Nab> load(Path corpus, Path labelsFile) throws IOException {
        if (!Files.isDirectory(corpus)) {
            throw new NabFormatException(
                    "corpus " + corpus + " is not a folder; give a folder of NAB CSV files (timestamp,value)");
        }
        if (!Files.isRegularFile(labelsFile)) {
            throw new NabFormatException(
                    "labels file " + labelsFile + " not found; give NAB's labels/combined_windows.json");
        }
        JsonNode labels;
        try {
            labels = new ObjectMapper().readTree(labelsFile.toFile());
        } catch (IOException e) {
            throw new NabFormatException("labels file " + labelsFile + " is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        String folder = corpus.toAbsolutePath().normalize().getFileName().toString();
        List<Nab> files = new ArrayList<>();
        try (var list = Files.list(corpus)) {
            for (Path csv :
                    list.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                String key = folder + "/" + csv.getFileName();
                JsonNode windows = labels.get(key);
                if (windows == null || !windows.isArray()) {
                    throw new NabFormatException("labels file " + labelsFile + " has no windows for '" + key
                            + "'; NAB lists each file under <folder name>/<file name>");
                }
                files.add(read(csv, windows));
            }
        }
        if (files.isEmpty()) {
            throw new NabFormatException("corpus " + corpus + " holds no .csv files");
        }
        return files;
    }

    private static Nab read(Path csv, JsonNode labelled) throws IOException {
        List<String> lines =
                Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        int n = lines.size() - 1;
        LocalDateTime[] times = new LocalDateTime[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            String[] c = lines.get(i + 1).split(",");
            try {
                times[i] = parse(c[0]);
                values[i] = Double.parseDouble(c[1]);
            } catch (DateTimeParseException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new NabFormatException(
                        csv + " line " + (i + 2) + " is not 'timestamp,value': " + lines.get(i + 1));
            }
        }
        List<int[]> windows = new ArrayList<>();
        for (JsonNode w : labelled) {
            // A window's ends are row times; a bound between rows takes the rows inside it.
            int from = Arrays.binarySearch(times, parse(w.get(0).asText()));
            int to = Arrays.binarySearch(times, parse(w.get(1).asText()));
            from = from >= 0 ? from : -from - 1;
            to = to >= 0 ? to : -to - 2;
            if (from <= to) {
                windows.add(new int[] {from, to});
            }
        }
        return new Nab(csv.getFileName().toString(), times, values, windows);
    }

    private static LocalDateTime parse(String time) {
        return LocalDateTime.parse(time.trim().replace(' ', 'T'));
    }

    /** The rows NAB does not score; the detector may learn from them. */
    public int probation() {
        return NabScorer.probationaryLength(values.length);
    }
}
