package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.ForecastPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ETT hourly, OT, the Informer split: the series method against persistence, MSE and MAE on z-scored values. */
public final class EttEvaluation {
    private EttEvaluation() {}

    /** {@code csv}: an ETT hourly file; {@code horizon}: hours forecast. */
    public static Evaluation run(Path csv, int horizon, SeriesMethod.Settings s, EvaluationOutputs out)
            throws Exception {
        Ett ett = Ett.load(csv);
        if (!s.direct() && horizon > 1) {
            out.log().println("note: a recursive head is fed back " + horizon + " times");
        }
        ModelBundle b = out.trained(() -> SeriesMethod.train(
                s,
                "ett-" + Ett.TARGET,
                Ett.TARGET,
                ett.values(),
                ett.times(),
                Ett.TRAIN_END,
                Ett.VALIDATION_END,
                horizon,
                "ETT " + Ett.TARGET + ", " + horizon + " hours, Informer split",
                out.log()));
        StreamedSeries streamed = StreamedSeries.stream(b.model(), ett.values(), ett.times(), ForecastPolicy.DEFAULT);
        double[][] persistence = ett.persistence(horizon);
        Ett.Errors val = ett.errors(streamed.forecast(), horizon, Ett.TRAIN_END, Ett.VALIDATION_END);
        Ett.Errors test = ett.errors(streamed.forecast(), horizon, Ett.VALIDATION_END, Ett.TEST_END);
        Ett.Errors modelVal = ett.errors(streamed.model(), horizon, Ett.TRAIN_END, Ett.VALIDATION_END);
        Ett.Errors modelTest = ett.errors(streamed.model(), horizon, Ett.VALIDATION_END, Ett.TEST_END);
        Ett.Errors baseVal = ett.errors(persistence, horizon, Ett.TRAIN_END, Ett.VALIDATION_END);
        Ett.Errors baseTest = ett.errors(persistence, horizon, Ett.VALIDATION_END, Ett.TEST_END);
        if (out.plotting()) {
            SeriesReport.plot(
                            streamed,
                            "ETT " + Ett.TARGET,
                            1,
                            Ett.VALIDATION_END,
                            Ett.VALIDATION_END + 14 * 24,
                            List.of())
                    .write(out.plot("ett.png"));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("horizon", horizon);
        figures.put("mse", test.mse());
        figures.put("mae", test.mae());
        figures.put("model_mse", modelTest.mse());
        figures.put("model_mae", modelTest.mae());
        figures.put("baseline_mse", baseTest.mse());
        figures.put("baseline_mae", baseTest.mae());
        figures.put("windows", test.windows());
        figures.put("validation_mse", val.mse());
        figures.put("validation_mae", val.mae());
        figures.put("model_validation_mse", modelVal.mse());
        figures.put("model_validation_mae", modelVal.mae());
        figures.put("baseline_validation_mse", baseVal.mse());
        figures.put("baseline_validation_mae", baseVal.mae());
        String published = horizon == 24
                ? "| published (Informer, Table 1, univariate): Informer | | 0.098 / 0.247 |\n"
                        + "| published: LSTMa | | 0.114 / 0.272 |\n"
                : "";
        String intervals = SeriesReport.intervalRows(streamed, Ett.VALIDATION_END, Ett.TARGET, figures);
        return new Evaluation(
                String.format(
                                Locale.ROOT,
                                """
                | ETT %s, %d hours ahead, MSE / MAE (z-scored, streamed) | validation (rows 8640..11519) | test (rows 11520..14399, %d windows) |
                |---|---|---|
                | served (what the job serves; %s) | %.4f / %.4f | %.4f / %.4f |
                | the model alone | %.4f / %.4f | %.4f / %.4f |
                | persistence (the baseline) | %.4f / %.4f | %.4f / %.4f |
                """,
                                Ett.TARGET,
                                horizon,
                                test.windows(),
                                SeriesReport.describe(s),
                                val.mse(),
                                val.mae(),
                                test.mse(),
                                test.mae(),
                                modelVal.mse(),
                                modelVal.mae(),
                                modelTest.mse(),
                                modelTest.mae(),
                                baseVal.mse(),
                                baseVal.mae(),
                                baseTest.mse(),
                                baseTest.mae())
                        + published + "\n" + intervals,
                figures);
    }
}
