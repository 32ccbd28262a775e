package io.lstmforecast.eval;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.state.CombinationRule;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A univariate series streamed through {@link EntityForecaster} as one entity, one event per row, exactly as
 * the job's operator runs it: what was forecast at each row (every horizon step, with its interval) and
 * where an alert fired.
 *
 * @param values   the series
 * @param horizon  steps per forecast
 * @param forecast [row][k - 1]: the k-step forecast the job served at that row (for row + k)
 * @param model    [row][k - 1]: the model's own k-step forecast at that row ({@link #modelForecast})
 * @param lower    likewise the interval's lower bound (NaN while the intervals learn or when they are off)
 * @param upper    likewise the upper bound
 * @param alerts   rows at which an alert fired
 */
public record StreamedSeries(
        double[] values,
        int horizon,
        double[][] forecast,
        double[][] model,
        double[][] lower,
        double[][] upper,
        boolean[] alerts) {

    /**
     * The model's own forecast in a record the job emitted: {@link Forecast#modelForecast()} where the job serves a
     * combination with its baseline, else the served {@link Forecast#forecast()}, which is then the model's. The one
     * place the evaluations read it.
     */
    public static float[] modelForecast(Forecast f) {
        return f.modelForecast() == null ? f.forecast() : f.modelForecast();
    }

    /** The series with rows a minute apart (for models without time features). */
    public static StreamedSeries stream(ForecastModel model, double[] values, ForecastPolicy policy) {
        return stream(model, values, policy, state -> {});
    }

    /** The same, showing {@code afterEach} the entity's state after each row (its hidden state, say). */
    public static StreamedSeries stream(
            ForecastModel model, double[] values, ForecastPolicy policy, Consumer<EntityState> afterEach) {
        long[] times = new long[values.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1_000_000_000_000L + i * 60_000L;
        }
        return stream(model, values, times, policy, afterEach);
    }

    /** The series with each row's event time (epoch millis), from which the job computes a model's time features. */
    public static StreamedSeries stream(ForecastModel model, double[] values, long[] times, ForecastPolicy policy) {
        return stream(model, values, times, policy, state -> {});
    }

    /** The same, served by the combination {@code rule} (evaluations compare rules; the job serves the default). */
    public static StreamedSeries stream(
            ForecastModel model, double[] values, long[] times, ForecastPolicy policy, CombinationRule rule) {
        EntityForecaster forecaster = new EntityForecaster(model, policy);
        forecaster.useRule(rule);
        return stream(forecaster, model, values, times, state -> {});
    }

    private static StreamedSeries stream(
            ForecastModel model,
            double[] values,
            long[] times,
            ForecastPolicy policy,
            Consumer<EntityState> afterEach) {
        return stream(new EntityForecaster(model, policy), model, values, times, afterEach);
    }

    private static StreamedSeries stream(
            EntityForecaster forecaster,
            ForecastModel model,
            double[] values,
            long[] times,
            Consumer<EntityState> afterEach) {
        int horizon = model.horizon();
        int n = values.length;
        double[][] forecast = new double[n][];
        double[][] own = new double[n][];
        double[][] lower = new double[n][];
        double[][] upper = new double[n][];
        boolean[] alerts = new boolean[n];
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < n; i++) {
            int row = i;
            Event e = new Event("series", times[i], new float[] {(float) values[i]}, null);
            forecaster.advance(state, new Event[] {e}, 1, out, a -> alerts[row] = true);
            afterEach.accept(state[0]);
            forecast[i] = toDouble(out[0].forecast());
            own[i] = toDouble(modelForecast(out[0]));
            lower[i] = out[0].lower() == null ? nan(horizon) : toDouble(out[0].lower());
            upper[i] = out[0].upper() == null ? nan(horizon) : toDouble(out[0].upper());
        }
        return new StreamedSeries(values, horizon, forecast, own, lower, upper, alerts);
    }

    /** The k-step forecast served for each row, made k rows earlier (NaN for the first k rows); likewise the bounds. */
    public double[] forecastFor(int k) {
        return shifted(forecast, k);
    }

    /** The model's own k-step forecast for each row, made k rows earlier (NaN for the first k rows). */
    public double[] modelForecastFor(int k) {
        return shifted(model, k);
    }

    /**
     * Mean squared error of the forecasts {@code byOrigin} ({@link #forecast} or {@link #model}, or a baseline's in
     * their layout) over every step of those whose targets all lie in rows [from, to): origins from - 1 to
     * to - 1 - horizon.
     */
    public double meanSquaredError(double[][] byOrigin, int from, int to) {
        double se = 0;
        long n = 0;
        for (int t = from - 1; t + horizon < to; t++) {
            for (int k = 1; k <= horizon; k++) {
                double e = byOrigin[t][k - 1] - values[t + k];
                se += e * e;
                n++;
            }
        }
        return se / n;
    }

    public double[] lowerFor(int k) {
        return shifted(lower, k);
    }

    public double[] upperFor(int k) {
        return shifted(upper, k);
    }

    /** Share of rows in [from, length) whose value lies inside the k-step interval published for it. */
    public double coverage(int k, int from) {
        double[] lo = lowerFor(k);
        double[] hi = upperFor(k);
        int in = 0;
        for (int i = from; i < values.length; i++) {
            in += lo[i] <= values[i] && values[i] <= hi[i] ? 1 : 0;
        }
        return (double) in / (values.length - from);
    }

    /** Mean width (upper - lower) of the k-step intervals published for rows in [from, length), in the data's units. */
    public double meanWidth(int k, int from) {
        double[] lo = lowerFor(k);
        double[] hi = upperFor(k);
        double sum = 0;
        for (int i = from; i < values.length; i++) {
            sum += hi[i] - lo[i];
        }
        return sum / (values.length - from);
    }

    /** The k-step forecast for each row of {@code byOrigin}'s layout, made k rows earlier (NaN for the first k rows). */
    static double[] shifted(double[][] byOrigin, int k) {
        double[] v = new double[byOrigin.length];
        Arrays.fill(v, Double.NaN);
        for (int i = k; i < v.length; i++) {
            v[i] = byOrigin[i - k][k - 1];
        }
        return v;
    }

    /** Persistence in the forecasts' layout: every step of the forecast made at row t is the value at t. */
    public static double[][] persistence(double[] values, int horizon) {
        double[][] f = new double[values.length][horizon];
        for (int t = 0; t < values.length; t++) {
            Arrays.fill(f[t], values[t]);
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] nan(int n) {
        double[] d = new double[n];
        Arrays.fill(d, Double.NaN);
        return d;
    }
}
