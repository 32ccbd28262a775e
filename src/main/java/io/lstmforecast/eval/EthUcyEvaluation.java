package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** An ETH/UCY scene, observe 8 and predict 12: the track method against constant velocity, ADE and FDE in metres. */
public final class EthUcyEvaluation {
    private static final List<String> PARTS = List.of("train", "val", "test");

    private EthUcyEvaluation() {}

    /**
     * {@code dir} if it holds train/, val/ and test/ of ETH/UCY .txt files; else an exception whose message starts
     * with {@code origin}, where the folder was named.
     */
    public static Path scene(Path dir, String origin) throws IOException {
        for (String part : PARTS) {
            Path p = dir.resolve(part);
            if (!Files.isDirectory(p) || files(p).isEmpty()) {
                throw new EvaluationInputException(
                        origin + ": " + p + " is not a folder of .txt files; a scene folder holds train/, val/"
                                + " and test/ with ETH/UCY files (frame ped x y, tab-separated)");
            }
        }
        return dir;
    }

    /** Trains on the scene's train/ (stopping on val/) and scores on test/; {@code root} as {@link #scene} returns it. */
    public static Evaluation run(Path root, TrackMethod.Settings s, EvaluationOutputs out) throws Exception {
        String scene = root.toAbsolutePath().normalize().getFileName().toString();
        List<double[][]> train;
        List<double[][]> val;
        List<double[][]> test;
        try {
            train = EthUcy.tracks(files(root.resolve("train")));
            val = EthUcy.tracks(files(root.resolve("val")));
            test = EthUcy.tracks(files(root.resolve("test")));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new EvaluationInputException(root + ": a line is not 'frame ped x y' (" + e.getMessage() + ")");
        }
        ModelBundle b = out.trained(() -> TrackMethod.train(
                s,
                train,
                val,
                "ethucy-" + scene,
                "ETH/UCY leave-one-out (" + scene + "), displacements per 0.4 s",
                out.log()));
        // [0]: what the job serves, [1]: the model alone.
        EthUcy.Result[] lstmTest = EthUcy.evaluate(test, EthUcy.streamed(b.model()), 2);
        EthUcy.Result[] lstmVal = EthUcy.evaluate(val, EthUcy.streamed(b.model()), 2);
        EthUcy.Result lstm = lstmTest[0];
        EthUcy.Result cv = EthUcy.evaluate(test, EthUcy::constantVelocity);
        EthUcy.Result cvVal = EthUcy.evaluate(val, EthUcy::constantVelocity);
        if (out.plotting()) {
            EthUcy.Predictors served = EthUcy.streamed(b.model());
            plotTracks(test, observed -> served.predict(observed)[0], scene, out);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("ade", lstm.ade());
        figures.put("fde", lstm.fde());
        figures.put("model_ade", lstmTest[1].ade());
        figures.put("model_fde", lstmTest[1].fde());
        figures.put("baseline_ade", cv.ade());
        figures.put("baseline_fde", cv.fde());
        figures.put("windows", lstm.windows());
        figures.put("validation_ade", lstmVal[0].ade());
        figures.put("validation_fde", lstmVal[0].fde());
        figures.put("model_validation_ade", lstmVal[1].ade());
        figures.put("model_validation_fde", lstmVal[1].fde());
        figures.put("baseline_validation_ade", cvVal.ade());
        figures.put("baseline_validation_fde", cvVal.fde());
        String published = switch (scene) {
            case "eth" -> "| published (Social GAN, Table 1): LSTM / Linear | | 1.09 / 2.41 ; 1.33 / 2.94 |\n";
            case "zara1" -> "| published (Social GAN, Table 1): LSTM / Linear | | 0.41 / 0.88 ; 0.62 / 1.21 |\n";
            default -> "";
        };
        return new Evaluation(
                String.format(
                                Locale.ROOT,
                                """
                | ETH/UCY %s (observe 8, predict 12), ADE / FDE in metres | validation (val/, %d windows) | test (test/, %d windows) |
                |---|---|---|
                | served (what the job serves; H=%d, lr %s, %s%s head, displacements, %d rotations, speed scales %s%s%s%s) | %.3f / %.3f | %.3f / %.3f |
                | the model alone | %.3f / %.3f | %.3f / %.3f |
                | constant velocity (the baseline) | %.3f / %.3f | %.3f / %.3f |
                """,
                                scene,
                                lstmVal[0].windows(),
                                lstm.windows(),
                                s.hidden(),
                                s.learningRate(),
                                s.residual() ? "residual " : "",
                                s.direct() ? "direct" : "recursive",
                                s.rotations(),
                                s.speedScales(),
                                s.mirror() ? ", mirrored" : "",
                                s.inputNoise() > 0 ? ", input noise " + s.inputNoise() + " m" : "",
                                s.streamedChoice() ? ", epoch chosen on the served val ADE" : "",
                                lstmVal[0].ade(),
                                lstmVal[0].fde(),
                                lstm.ade(),
                                lstm.fde(),
                                lstmVal[1].ade(),
                                lstmVal[1].fde(),
                                lstmTest[1].ade(),
                                lstmTest[1].fde(),
                                cvVal.ade(),
                                cvVal.fde(),
                                cv.ade(),
                                cv.fde())
                        + published,
                figures);
    }

    /** Observed path, true future and forecast for a few test windows, each in its own file. */
    private static void plotTracks(
            List<double[][]> test, EthUcy.Predictor predictor, String scene, EvaluationOutputs out) throws IOException {
        int drawn = 0;
        for (double[][] track : test) {
            if (track.length < EthUcy.OBSERVED + EthUcy.PREDICTED || drawn >= 3) {
                continue;
            }
            double[][] observed = Arrays.copyOfRange(track, 0, EthUcy.OBSERVED);
            double[][] future = Arrays.copyOfRange(track, EthUcy.OBSERVED, EthUcy.OBSERVED + EthUcy.PREDICTED);
            double[][] predicted = predictor.predict(observed);
            new LinePlot(scene + ": observed 8 positions, true next 12 and the forecast", "x (m)", "y (m)")
                    .add("observed", column(observed, 0), column(observed, 1), true)
                    .add("true future", column(future, 0), column(future, 1), true)
                    .add("forecast", column(predicted, 0), column(predicted, 1), true)
                    .write(out.plot(scene + "-track-" + (++drawn) + ".png"));
        }
    }

    private static double[] column(double[][] rows, int c) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][c];
        }
        return v;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }
}
