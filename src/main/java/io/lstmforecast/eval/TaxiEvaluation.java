package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.ForecastPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** NYC taxi, 5 steps ahead: the series method trained on the first 10000 points and scored, streamed, on the rest. */
public final class TaxiEvaluation {
    private TaxiEvaluation() {}

    /** {@code data}: the shared data folder (nyc_taxi/nyc_taxi.csv under it). */
    public static Evaluation run(Path data, SeriesMethod.Settings s, EvaluationOutputs out) throws Exception {
        Path csv = data.resolve("nyc_taxi/nyc_taxi.csv");
        double[] counts = NycTaxi.counts(csv);
        long[] times = NycTaxi.times(csv);
        // Validation: the last fifth of the training points; the test points (10000 on) never choose anything.
        int validationFrom = NycTaxi.SCORED_FROM * 4 / 5;
        ModelBundle b = out.trained(() -> SeriesMethod.train(
                s,
                "nyc-taxi",
                "passengers",
                counts,
                times,
                validationFrom,
                NycTaxi.SCORED_FROM,
                NycTaxi.AHEAD,
                "NYC taxi, trained on points [0, 8000), stopped on [8000, 10000)",
                out.log()));
        StreamedSeries streamed = StreamedSeries.stream(b.model(), counts, times, ForecastPolicy.DEFAULT);
        double[] forecast = streamed.forecastFor(NycTaxi.AHEAD);
        double lstm = NycTaxi.mape(counts, forecast);
        double validation = NycTaxi.mape(counts, forecast, validationFrom, NycTaxi.SCORED_FROM);
        double[] modelForecast = streamed.modelForecastFor(NycTaxi.AHEAD);
        double model = NycTaxi.mape(counts, modelForecast);
        double modelValidation = NycTaxi.mape(counts, modelForecast, validationFrom, NycTaxi.SCORED_FROM);
        double[] persistence = NycTaxi.persistence(counts);
        double baseline = NycTaxi.mape(counts, persistence);
        double baselineValidation = NycTaxi.mape(counts, persistence, validationFrom, NycTaxi.SCORED_FROM);
        if (out.plotting()) {
            // Two weeks around the January 2015 blizzard (the scored part starts at point 10000, 25 January).
            SeriesReport.plot(streamed, "NYC taxi", NycTaxi.AHEAD, 9800, 9800 + 14 * 48, List.of())
                    .write(out.plot("taxi.png"));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mape", lstm);
        figures.put("model_mape", model);
        figures.put("baseline_mape", baseline);
        figures.put("validation_mape", validation);
        figures.put("model_validation_mape", modelValidation);
        figures.put("baseline_validation_mape", baselineValidation);
        String intervals = SeriesReport.intervalRows(streamed, NycTaxi.SCORED_FROM, "passengers", figures);
        return new Evaluation(
                String.format(
                                Locale.ROOT,
                                """
                | NYC taxi, 5 steps (2.5 h) ahead, MAPE (streamed) | validation (points 8000..9999) | test (points 10000 on) |
                |---|---|---|
                | served (what the job serves; %s) | %.4f | %.4f |
                | the model alone | %.4f | %.4f |
                | 5-step persistence (the baseline) | %.4f | %.4f |
                | published: HTM (Cui et al. 2016) | | ~0.08 |
                | published: online LSTM (Cui et al. 2016) | | ~0.10 |
                | published: 5-step persistence | | 0.32 |

                """,
                                SeriesReport.describe(s),
                                validation,
                                lstm,
                                modelValidation,
                                model,
                                baselineValidation,
                                baseline)
                        + intervals,
                figures);
    }
}
