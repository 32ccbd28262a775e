package io.lstmforecast.eval;

import io.lstmforecast.config.Combine;
import io.lstmforecast.job.JobConfigLoader;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.CombinationRule;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.ForecastPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The combination rule's constants compared on validation splits only, streamed through the job's code path: for each
 * {@link CombinationRule} of the grid, the served forecast's validation error on every data set whose trained bundle
 * is given, as a fraction of its baseline's (below 1: better than the baseline), their mean and their worst. The test
 * rows are never streamed. Prints a Markdown table (docs/EVALUATION.md shows it and the choice).
 *
 * <pre>
 *   java -cp target/lstm-forecast.jar io.lstmforecast.eval.CombinationGrid BUNDLES ETHUCY
 * </pre>
 *
 * BUNDLES holds the folders {@code evaluate --bundle-out} wrote: {@code taxi}, {@code ett24} (and any of ett48,
 * ett168, ett336, ett720), {@code eth}, {@code zara1}; ETHUCY the scene folders (their val/ splits). The shipped jobs
 * (jobs/sensors, jobs/tracks) are streamed on their generators under seed 2001, neither training's (1) nor the held-out
 * evaluation's (1001), every event of every entity from its first.
 */
public final class CombinationGrid {
    static final double[] ETAS = {0.02, 0.05, 0.1, 0.2};
    static final double[] PRIOR_EVENTS = {5, 20, 50, 100};
    static final int[] ETT_HORIZONS = {24, 48, 168, 336, 720};
    static final long JOB_SEED = 2001;
    /** The held-out seed of {@code evaluate --task job}. */
    static final long HELD_OUT_SEED = 1001;

    static final long JOB_EVENTS = 20_000;

    /** A data set's validation: the served error as a fraction of the baseline's, by a rule (null: the model alone). */
    record Validation(String name, Ratio ratio) {}

    interface Ratio {
        double of(CombinationRule rule) throws Exception;
    }

    private CombinationGrid() {}

    public static void main(String[] args) throws Exception {
        if ((args.length == 2 || args.length == 3)
                && args[0].equals("--ages")
                && (args.length == 2 || args[2].matches("[0-9]{1,18}"))) {
            ages(args[1], args.length == 3 ? Long.parseLong(args[2]) : HELD_OUT_SEED);
            return;
        }
        if (args.length != 2 || !Files.isDirectory(Path.of(args[0])) || !Files.isDirectory(Path.of(args[1]))) {
            System.err.println("error: give BUNDLES (the folders evaluate --bundle-out wrote: taxi, ett24, ..., eth,"
                    + " zara1) and ETHUCY (the scene folders), e.g. CombinationGrid /tmp/bundles data/ethucy; or --ages"
                    + " JOB [SEED] (JOB: sensors, tracks; SEED: the generator's, default 1001, the held-out one;"
                    + " 2001 for validation)");
            System.exit(2);
        }
        List<Validation> sets = validations(Path.of(args[0]), Path.of(args[1]), Path.of("data"));
        StringBuilder head = new StringBuilder("| rule (eta, prior events, prior, own evidence) |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Validation v : sets) {
            head.append(' ').append(v.name()).append(" |");
            rule.append("---|");
        }
        System.out.println(head + " mean | worst |");
        System.out.println(rule + "---|---|");
        row("the model alone (combine: model)", null, sets);
        // The prior pooled over all ages; per age; per age with the entity's own evidence from age 25 on.
        int[][] variants = {{0, 0}, {1, 0}, {1, 25}};
        for (int[] v : variants) {
            for (double eta : ETAS) {
                for (double prior : PRIOR_EVENTS) {
                    CombinationRule r = new CombinationRule(eta, prior, v[0] == 1, v[1]);
                    String label = String.format(
                            Locale.ROOT,
                            "%s, %s, %s",
                            eta,
                            prior,
                            v[0] == 0 ? "pooled" : v[1] == 0 ? "by age" : "by age, own from " + v[1]);
                    row(label, r, sets);
                }
            }
        }
    }

    /** The rule the job served before the prior was kept per age: the same constants, all ages pooled. */
    static final CombinationRule POOLED = new CombinationRule(0.05, 20, false);

    /**
     * A shipped job streamed on its generator under {@code seed} (1001: {@code evaluate --task job}'s held-out stream;
     * 2001: the validation stream), 60,000 events, its one-step skill by the age of the entity's state: served by
     * {@link #POOLED}, and by the default rule (the model alone beside each).
     */
    static void ages(String job, long seed) throws Exception {
        for (CombinationRule r : List.of(POOLED, CombinationRule.DEFAULT)) {
            ShippedJobEvaluation.Setting s =
                    ShippedJobEvaluation.of(JobConfigLoader.load(JobConfigLoader.resolve(job), List.of()), seed);
            EntityForecaster f = new EntityForecaster(s.bundle().model(), s.policy());
            f.useRule(r);
            GeneratedHoldout g = GeneratedHoldout.run(f, s.bundle().model(), s.generator(), 60_000, 50);
            System.out.println("\n" + job + ", served by " + r + "\n");
            System.out.println(g.ageTable(s.baseline().id()));
        }
    }

    private static void row(String label, CombinationRule r, List<Validation> sets) throws Exception {
        StringBuilder line = new StringBuilder("| " + label + " |");
        double sum = 0;
        double worst = 0;
        for (Validation v : sets) {
            double ratio = v.ratio().of(r);
            sum += ratio;
            worst = Math.max(worst, ratio);
            line.append(String.format(Locale.ROOT, " %.4f |", ratio));
        }
        System.out.println(line + String.format(Locale.ROOT, " %.4f | %.4f |", sum / sets.size(), worst));
        System.out.flush();
    }

    /** The policy a candidate streams with: intervals change no forecast, so they are left out. */
    private static ForecastPolicy policy(CombinationRule r) {
        ForecastPolicy p = ForecastPolicy.DEFAULT.withIntervalCoverage(0);
        return r == null ? p.withCombine(Combine.MODEL) : p;
    }

    static List<Validation> validations(Path bundles, Path ethucy, Path data) throws Exception {
        List<Validation> sets = new ArrayList<>();
        Path taxi = bundles.resolve("taxi");
        if (Files.isDirectory(taxi)) {
            ForecastModel m = ModelBundle.read(taxi).model();
            Path csv = data.resolve("nyc_taxi/nyc_taxi.csv");
            int from = NycTaxi.SCORED_FROM * 4 / 5;
            double[] counts = Arrays.copyOf(NycTaxi.counts(csv), NycTaxi.SCORED_FROM);
            long[] times = Arrays.copyOf(NycTaxi.times(csv), NycTaxi.SCORED_FROM);
            double base = NycTaxi.mape(counts, NycTaxi.persistence(counts), from, NycTaxi.SCORED_FROM);
            sets.add(new Validation("taxi MAPE", r -> {
                StreamedSeries s = StreamedSeries.stream(m, counts, times, policy(r), rule(r));
                return NycTaxi.mape(counts, s.forecastFor(NycTaxi.AHEAD), from, NycTaxi.SCORED_FROM) / base;
            }));
        }
        Ett ett = Ett.load(data.resolve("ett/ETTh1.csv"));
        Ett upToTest = new Ett(
                Arrays.copyOf(ett.times(), Ett.VALIDATION_END), Arrays.copyOf(ett.values(), Ett.VALIDATION_END));
        for (int h : ETT_HORIZONS) {
            Path dir = bundles.resolve("ett" + h);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            ForecastModel m = ModelBundle.read(dir).model();
            double base = upToTest.errors(upToTest.persistence(h), h, Ett.TRAIN_END, Ett.VALIDATION_END)
                    .mse();
            sets.add(new Validation("ETTh1 H=" + h + " MSE", r -> {
                StreamedSeries s = StreamedSeries.stream(m, upToTest.values(), upToTest.times(), policy(r), rule(r));
                return upToTest.errors(s.forecast(), h, Ett.TRAIN_END, Ett.VALIDATION_END)
                                .mse()
                        / base;
            }));
        }
        for (String scene : List.of("eth", "zara1")) {
            Path dir = bundles.resolve(scene);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            ForecastModel m = ModelBundle.read(dir).model();
            List<double[][]> val = EthUcy.tracks(EthUcyEvaluation.files(
                    EthUcyEvaluation.scene(ethucy.resolve(scene), scene).resolve("val")));
            double base = EthUcy.evaluate(val, EthUcy::constantVelocity).ade();
            sets.add(new Validation(scene + " ADE", r -> {
                EthUcy.Predictors p = r == null ? EthUcy.streamed(m, CombinationRule.DEFAULT) : EthUcy.streamed(m, r);
                // [0]: served, [1]: the model alone.
                return EthUcy.evaluate(val, p, 2)[r == null ? 1 : 0].ade() / base;
            }));
        }
        for (String job : List.of("sensors", "tracks")) {
            sets.add(new Validation(job + " MAE", r -> {
                ShippedJobEvaluation.Setting s = ShippedJobEvaluation.of(
                        JobConfigLoader.load(JobConfigLoader.resolve(job), List.of()), JOB_SEED);
                EntityForecaster f = new EntityForecaster(
                        s.bundle().model(), r == null ? s.policy().withCombine(Combine.MODEL) : s.policy());
                f.useRule(rule(r));
                GeneratedHoldout g = GeneratedHoldout.run(f, s.bundle().model(), s.generator(), JOB_EVENTS, 0);
                return Arrays.stream(g.modelMae()).sum()
                        / Arrays.stream(g.baselineMae()).sum();
            }));
        }
        return sets;
    }

    private static CombinationRule rule(CombinationRule r) {
        return r == null ? CombinationRule.DEFAULT : r;
    }
}
