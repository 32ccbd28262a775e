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
 * @param ownFrom     the entity's own evidence counts the forecasts its state made from this age (events) on: those
 *                    of a state still warming up from zeros say little about the state it has become (0: all)
 */
public record CombinationRule(double eta, double priorEvents, boolean byAge, int ownFrom) {
    public static final CombinationRule DEFAULT = new CombinationRule(0.05, 50, true, 25);

    public CombinationRule {
        if (!(eta > 0) || !(priorEvents >= 0) || ownFrom < 0) {
            throw new IllegalArgumentException("eta must be > 0, priorEvents and ownFrom >= 0");
        }
    }

    /** Counting all the entity's own evidence. */
    public CombinationRule(double eta, double priorEvents, boolean byAge) {
        this(eta, priorEvents, byAge, 0);
    }

    /** A fresh prior of this rule's kind. */
    PopulationPrior freshPrior(int horizon) {
        return byAge ? new PopulationPrior(horizon) : PopulationPrior.flat(horizon);
    }
}
