package io.lstmforecast.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The NYC taxi demand stream (30-minute passenger counts) and the protocol of Cui, Ahmad and
 * Hawkins (2016): predict 5 steps (2.5 h) ahead while streaming; MAPE = mean |error| / mean |truth|
 * over the points from index 10000 on.
 */
public final class NycTaxi {
    public static final int AHEAD = 5;
    public static final int SCORED_FROM = 10_000;

    private NycTaxi() {}

    /** The passenger counts; the file has two extra header lines after the first. */
    public static double[] counts(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return lines.stream()
                .skip(3)
                .filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.split(",")[1]))
                .toArray();
    }

    /** The time of each count (the file's local times read as UTC), epoch millis. */
    public static long[] times(Path csv) throws IOException {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        List<String> lines = Files.readAllLines(csv);
        return lines.stream()
                .skip(3)
                .filter(l -> !l.isBlank())
                .mapToLong(l -> LocalDateTime.parse(l.split(",")[0], format)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli())
                .toArray();
    }

    /** forecast[t] is the prediction for point t made AHEAD steps earlier; scored from point 10000 on. */
    public static double mape(double[] truth, double[] forecast) {
        return mape(truth, forecast, SCORED_FROM, truth.length);
    }

    /** MAPE over points [from, to). */
    public static double mape(double[] truth, double[] forecast, int from, int to) {
        double err = 0;
        double sum = 0;
        for (int t = from; t < to; t++) {
            err += Math.abs(forecast[t] - truth[t]);
            sum += Math.abs(truth[t]);
        }
        return err / sum;
    }

    public static double[] persistence(double[] truth) {
        double[] f = new double[truth.length];
        for (int t = AHEAD; t < truth.length; t++) {
            f[t] = truth[t - AHEAD];
        }
        return f;
    }
}
