package io.lstmforecast.state;

import io.lstmforecast.model.ForecastModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stages of an entity's state, registered in one place: each kind with its slot, codec and how it is built, the
 * order in which they advance, and which version of each stage's codec every checkpoint format holds. Adding a stage:
 * declare its kind here (the next free index), put it in {@link #ALL} where it advances, and add a format to {@link
 * #FORMATS} that holds it.
 */
public final class Stages {
    private Stages() {}

    public static final StageKind<Memory> MEMORY =
            new StageKind<>(0, "memory", Memory.EMPTY, new MemoryStage.Codec(), MemoryStage::new, false);
    public static final StageKind<Long> ALERTS =
            new StageKind<>(1, "alerts", EntityState.NEVER_ALERTED, new AlertStage.Codec(), AlertStage::new, false);
    public static final StageKind<BaselineHistory> BASELINE =
            new StageKind<>(2, "baseline", BaselineHistory.NONE, new BaselineStage.Codec(), BaselineStage::new, false);
    public static final StageKind<AnomalyLikelihood> LIKELIHOOD = new StageKind<>(
            3, "likelihood", AnomalyLikelihood.empty(0, 0), new LikelihoodStage.Codec(), LikelihoodStage::new, false);
    public static final StageKind<IntervalState> INTERVALS =
            new StageKind<>(4, "intervals", IntervalState.OFF, new IntervalStage.Codec(), IntervalStage::new, false);
    public static final StageKind<SkillTracker> SKILL =
            new StageKind<>(5, "skill", SkillTracker.OFF, new SkillStage.Codec(), SkillStage::new, false);
    public static final StageKind<PendingForecasts> PENDING =
            new StageKind<>(6, "pending", PendingForecasts.NONE, new PendingStage.Codec(), PendingStage::new, false);
    public static final StageKind<CombinationWeights> COMBINATION = new StageKind<>(
            7, "combination", CombinationStage.OFF, new CombinationStage.Codec(), CombinationStage::new, true);

    /**
     * In the order they advance on an event. The baseline first: its forecast (and the model's, corrected by it) is
     * what the rest see; a stage that serves another forecast comes next; then the ring of pending forecasts takes the
     * forecasts served; the likelihood before the alert rules that read it; the scoring stages read the ring as it was
     * before the event; the memory last, as it keeps the forecast served and the error the others read before it.
     */
    public static final List<StageKind<?>> ALL =
            List.of(BASELINE, COMBINATION, PENDING, LIKELIHOOD, ALERTS, INTERVALS, SKILL, MEMORY);

    /** Slots in an entity's state: one more than the highest index. */
    static final int SLOTS = ALL.stream().mapToInt(StageKind::index).max().orElse(-1) + 1;

    /** A stage's codec at one version, as a format holds it. */
    record Part(StageKind<?> kind, int version) {}

    /** The format {@link EntityStateSerializer} writes. */
    static final int CURRENT_FORMAT = 8;

    /**
     * What each stage-composed format holds, in the order written: the memory first (the others may store times as
     * ages before its last event), then the others. Formats 1 to 7 predate stages ({@link LegacyFormats}).
     */
    static final Map<Integer, List<Part>> FORMATS = Map.of(
            8,
            List.of(
                    new Part(MEMORY, 1),
                    new Part(ALERTS, 1),
                    new Part(BASELINE, 1),
                    new Part(LIKELIHOOD, 1),
                    new Part(INTERVALS, 1),
                    new Part(SKILL, 1),
                    new Part(PENDING, 1),
                    new Part(COMBINATION, 1)));

    /** What the stages of a forecaster for this model and policy are built for. */
    static Setup setup(ForecastModel model, ForecastPolicy policy) {
        return Setup.of(model, policy, ALL.stream().anyMatch(StageKind::replacesForecast));
    }

    /** The stages of a forecaster, in the order they advance. */
    static List<Stage<?>> build(Setup setup) {
        List<Stage<?>> stages = new ArrayList<>();
        for (StageKind<?> kind : ALL) {
            stages.add(kind.build().apply(setup));
        }
        return stages;
    }
}
