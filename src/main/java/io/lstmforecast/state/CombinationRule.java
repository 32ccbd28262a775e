package io.lstmforecast.state;

/**
 * The constants of the online combination ({@link CombinationWeights}): the learning rate per event of evidence, how
 * many events of an entity's own evidence the job-wide prior is worth, and whether that prior is kept per age of the
 * entity's state ({@link PopulationPrior#AGES}) or pooled over all ages. The job serves {@link #DEFAULT}, chosen on the
 * validation splits streamed through the job's code path (docs/EVALUATION.md); other rules are for that comparison.
 *
 * @param eta         learning rate of the weights per event of evidence
 * @param priorEvents events of an entity's own evidence the prior counts as
 * @param byAge       the prior a young entity starts from is what states of its age have shown, not all states
 */
public record CombinationRule(double eta, double priorEvents, boolean byAge) {
    public static final CombinationRule DEFAULT = new CombinationRule(0.05, 20, true);

    public CombinationRule {
        if (!(eta > 0) || !(priorEvents >= 0)) {
            throw new IllegalArgumentException("eta must be > 0 and priorEvents >= 0");
        }
    }

    /** A fresh prior of this rule's kind. */
    PopulationPrior freshPrior(int horizon) {
        return byAge ? new PopulationPrior(horizon) : PopulationPrior.flat(horizon);
    }
}
