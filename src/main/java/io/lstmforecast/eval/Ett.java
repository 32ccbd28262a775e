package io.lstmforecast.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * An ETT hourly file ({@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}) and the Informer protocol (Zhou et al. 2021),
 * univariate: the target OT alone; rows [0, 8640) train, [8640, 11520) validation, [11520, 14400) test (12, 4 and
 * 4 months); a z-score fitted on the training rows (population std, as sklearn's StandardScaler); MSE and MAE on the
 * scaled values, averaged over every forecast whose targets all lie in the scored range and over all its steps.
 *
 * @param times  each row's time, epoch millis (the file's local times read as UTC)
 * @param values the target column
 */
public record Ett(long[] times, double[] values) {
    public static final int TRAIN_END = 8640;
    public static final int VALIDATION_END = 11_520;
    public static final int TEST_END = 14_400;
    public static final String TARGET = "OT";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** An ETT file that cannot be read; the message says what was expected. */
    public static final class EttFormatException extends EvaluationInputException {
        EttFormatException(String message) {
            super(message);
        }
    }

    /** The first {@link #TEST_END} rows of {@code csv}'s date and OT columns. */
    public static Ett load(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new EttFormatException(
                    "ETT file " + csv + " not found; give an ETT CSV such as ETTh1.csv (date,...,OT)");
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> header = lines.isEmpty()
                ? List.of()
                : Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
        int column = header.indexOf(TARGET);
        if (header.isEmpty() || !header.get(0).equals("date") || column < 0) {
            throw new EttFormatException(
                    csv + ": the header must start with 'date' and have an '" + TARGET + "' column, not " + header);
        }
        if (lines.size() - 1 < TEST_END) {
            throw new EttFormatException(csv + " has " + (lines.size() - 1) + " rows; the Informer split needs "
                    + TEST_END + " hourly rows (train, validation, test)");
        }
        long[] times = new long[TEST_END];
        double[] values = new double[TEST_END];
        for (int i = 0; i < TEST_END; i++) {
            String[] c = lines.get(i + 1).split(",");
            try {
                times[i] = LocalDateTime.parse(c[0].trim(), DATE)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
                values[i] = Double.parseDouble(c[column].trim());
            } catch (DateTimeParseException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new EttFormatException(
                        csv + " line " + (i + 2) + ": expected 'yyyy-MM-dd HH:mm:ss' and a number in " + TARGET
                                + ", got '" + lines.get(i + 1) + "'");
            }
        }
        return new Ett(times, values);
    }

    public double mean() {
        return Arrays.stream(values, 0, TRAIN_END).average().orElseThrow();
    }

    /** Population standard deviation of the training rows. */
    public double std() {
        double m = mean();
        return Math.sqrt(
                Arrays.stream(values, 0, TRAIN_END).map(v -> (v - m) * (v - m)).sum() / TRAIN_END);
    }

    /** Mean squared and absolute error on the z-scored values over {@code windows} forecasts of {@code horizon} steps. */
    public record Errors(double mse, double mae, long windows) {}

    /**
     * Errors of the forecasts {@code byOrigin[t][k - 1]} (made at row t for row t + k) whose targets t+1 .. t+horizon
     * all lie in rows [from, to): origins from - 1 to to - 1 - horizon.
     */
    public Errors errors(double[][] byOrigin, int horizon, int from, int to) {
        double std = std();
        double se = 0;
        double ae = 0;
        long windows = 0;
        for (int t = from - 1; t + horizon < to; t++) {
            for (int k = 1; k <= horizon; k++) {
                double e = (byOrigin[t][k - 1] - values[t + k]) / std;
                se += e * e;
                ae += Math.abs(e);
            }
            windows++;
        }
        long n = windows * horizon;
        return new Errors(se / n, ae / n, windows);
    }

    /** Persistence: every step of the forecast made at row t is the value at t. */
    public double[][] persistence(int horizon) {
        return StreamedSeries.persistence(values, horizon);
    }
}
