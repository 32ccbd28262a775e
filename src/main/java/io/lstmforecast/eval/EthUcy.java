package io.lstmforecast.eval;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.state.CombinationRule;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * ETH/UCY pedestrian trajectories (tab-separated {@code frame ped x y}, metres, frames 10 apart =
 * 0.4 s) and the Social-LSTM/Social-GAN protocol: observe 8 positions, predict the next 12; windows
 * slide one frame; only pedestrians present in all 20 frames count; ADE is the mean Euclidean error
 * over the 12 predictions, FDE the error at the last one.
 *
 * <p>The model sees per-step displacements (dx, dy) rather than absolute positions, as relative
 * coordinates are what transfers between scenes; positions are the last observed one plus the sum
 * of the forecast displacements.
 */
public final class EthUcy {
    static final int FRAME_STEP = 10;
    public static final int OBSERVED = 8;
    public static final int PREDICTED = 12;

    private EthUcy() {}

    /** Each pedestrian's runs of consecutive frames, as [t][x, y]. */
    public static List<double[][]> tracks(List<Path> files) throws IOException {
        List<double[][]> tracks = new ArrayList<>();
        for (Path f : files) {
            Map<Integer, TreeMap<Integer, double[]>> byPed = new TreeMap<>();
            try (Stream<String> lines = Files.lines(f)) {
                lines.filter(l -> !l.isBlank()).forEach(l -> {
                    String[] c = l.trim().split("\\s+");
                    int frame = (int) Double.parseDouble(c[0]);
                    int ped = (int) Double.parseDouble(c[1]);
                    byPed.computeIfAbsent(ped, k -> new TreeMap<>())
                            .put(frame, new double[] {Double.parseDouble(c[2]), Double.parseDouble(c[3])});
                });
            }
            for (TreeMap<Integer, double[]> frames : byPed.values()) {
                List<double[]> run = new ArrayList<>();
                Integer previous = null;
                for (Map.Entry<Integer, double[]> e : frames.entrySet()) {
                    if (previous != null && e.getKey() - previous != FRAME_STEP) {
                        tracks.add(run.toArray(double[][]::new));
                        run = new ArrayList<>();
                    }
                    run.add(e.getValue());
                    previous = e.getKey();
                }
                tracks.add(run.toArray(double[][]::new));
            }
        }
        return tracks;
    }

    /** Per-step displacements of a track, optionally rotated by {@code angle} (data augmentation). */
    public static double[][] displacements(double[][] track, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[][] d = new double[Math.max(0, track.length - 1)][];
        for (int t = 1; t < track.length; t++) {
            double dx = track[t][0] - track[t - 1][0];
            double dy = track[t][1] - track[t - 1][1];
            d[t - 1] = new double[] {cos * dx - sin * dy, sin * dx + cos * dy};
        }
        return d;
    }

    /** ADE and FDE in metres over {@code windows} pedestrian windows. */
    public record Result(double ade, double fde, long windows) {}

    /** A forecaster of the 12 future positions from the 8 observed ones. */
    public interface Predictor {
        double[][] predict(double[][] observed);
    }

    /** Several forecasters side by side (the served forecast and the model's own), the 12 positions of each. */
    public interface Predictors {
        double[][][] predict(double[][] observed);
    }

    public static Result evaluate(List<double[][]> tracks, Predictor predictor) {
        return evaluate(tracks, observed -> new double[][][] {predictor.predict(observed)}, 1)[0];
    }

    /** ADE and FDE of each of the {@code count} forecasts {@code predictors} make per window. */
    public static Result[] evaluate(List<double[][]> tracks, Predictors predictors, int count) {
        double[] ade = new double[count];
        double[] fde = new double[count];
        long n = 0;
        for (double[][] track : tracks) {
            for (int start = 0; start + OBSERVED + PREDICTED <= track.length; start++) {
                double[][] observed = java.util.Arrays.copyOfRange(track, start, start + OBSERVED);
                double[][][] predicted = predictors.predict(observed);
                for (int p = 0; p < count; p++) {
                    double sum = 0;
                    double last = 0;
                    for (int k = 0; k < PREDICTED; k++) {
                        double[] truth = track[start + OBSERVED + k];
                        last = Math.hypot(predicted[p][k][0] - truth[0], predicted[p][k][1] - truth[1]);
                        sum += last;
                    }
                    ade[p] += sum / PREDICTED;
                    fde[p] += last;
                }
                n++;
            }
        }
        Result[] r = new Result[count];
        for (int p = 0; p < count; p++) {
            r[p] = new Result(ade[p] / n, fde[p] / n, n);
        }
        return r;
    }

    /** Constant velocity from the last two observed positions: the "Linear"-style baseline. */
    public static double[][] constantVelocity(double[][] observed) {
        double[] last = observed[OBSERVED - 1];
        double vx = last[0] - observed[OBSERVED - 2][0];
        double vy = last[1] - observed[OBSERVED - 2][1];
        double[][] p = new double[PREDICTED][];
        for (int k = 0; k < PREDICTED; k++) {
            p[k] = new double[] {last[0] + vx * (k + 1), last[1] + vy * (k + 1)};
        }
        return p;
    }

    /**
     * The job's code path: each window a fresh entity of one {@link EntityForecaster} (default policy, the bundle's
     * baseline), fed the 7 observed displacements as events 0.4 s apart; the forecast after the last one, summed onto
     * the last observed position: {served, the model's own}.
     */
    public static Predictors streamed(ForecastModel model) {
        return streamed(model, CombinationRule.DEFAULT);
    }

    /** The same, served by the combination {@code rule} (evaluations compare rules; the job serves the default). */
    public static Predictors streamed(ForecastModel model, CombinationRule rule) {
        EntityForecaster forecaster = new EntityForecaster(model, ForecastPolicy.DEFAULT);
        forecaster.useRule(rule);
        return observed -> {
            EntityState[] state = new EntityState[1];
            Forecast[] out = new Forecast[1];
            for (int t = 1; t < OBSERVED; t++) {
                float[] d = {
                    (float) (observed[t][0] - observed[t - 1][0]), (float) (observed[t][1] - observed[t - 1][1])
                };
                Event e = new Event("pedestrian", 1_000_000_000_000L + t * 400L, d, null);
                forecaster.advance(state, new Event[] {e}, 1, out, alert -> {});
            }
            return new double[][][] {
                positions(observed, out[0].forecast()), positions(observed, StreamedSeries.modelForecast(out[0]))
            };
        };
    }

    /** The last observed position plus the running sum of the forecast displacements. */
    private static double[][] positions(double[][] observed, float[] displacements) {
        double[][] p = new double[PREDICTED][];
        double x = observed[OBSERVED - 1][0];
        double y = observed[OBSERVED - 1][1];
        for (int k = 0; k < PREDICTED; k++) {
            x += displacements[2 * k];
            y += displacements[2 * k + 1];
            p[k] = new double[] {x, y};
        }
        return p;
    }
}
