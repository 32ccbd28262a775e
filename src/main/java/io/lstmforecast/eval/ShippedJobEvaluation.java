package io.lstmforecast.eval;

import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.state.ForecastPolicy;

/**
 * A shipped job's model against the job's baseline on its generator's data under another seed than training used
 * (train uses the seed, this 1000 + the seed), streamed as the job runs it.
 */
public final class ShippedJobEvaluation {
    private ShippedJobEvaluation() {}

    /** The job's model, the job's policy with its effective baseline, and its generator under {@code generatorSeed}. */
    record Setting(ModelBundle bundle, ForecastPolicy policy, Baseline baseline, EventGenerator generator) {}

    static Setting of(JobConfig jc, long generatorSeed) throws EvaluationInputException {
        ModelBundle b = ForecastJobRunner.model(jc);
        Baseline baseline = Baseline.effective(jc.policy().baseline(), b.spec().baseline());
        if (baseline.isNone()) {
            throw new EvaluationInputException(
                    "job " + jc.name() + " has baseline none: there is nothing to score its model"
                            + " against; give it a baseline (persistence, constant-velocity, seasonal:PERIOD)");
        }
        ForecastPolicy policy = ForecastJobRunner.options(jc, b).policy().withBaseline(baseline);
        return new Setting(b, policy, baseline, Generators.forJob(jc.name(), 20, generatorSeed, 1_700_000_000_000L));
    }

    public static Evaluation run(JobConfig jc, long seed, long events) throws Exception {
        Setting s = of(jc, 1000 + seed);
        ModelBundle b = s.bundle();
        Baseline baseline = s.baseline();
        GeneratedHoldout r = GeneratedHoldout.run(b.model(), s.policy(), s.generator(), events, 50);
        return new Evaluation(
                r.table(
                                jc.name() + " (" + b.spec().name() + "@"
                                        + b.spec().version() + "), held-out generated data",
                                baseline.id())
                        + "\n" + r.ageTable(baseline.id()),
                r.figures());
    }
}
