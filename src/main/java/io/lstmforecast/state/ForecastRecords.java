package io.lstmforecast.state;

import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.Baseline;
import java.util.List;

/** Builds the forecast record of an event from what its stages did: the forecast served and the entity's new state. */
final class ForecastRecords {
    private final String modelName;
    private final String modelVersion;
    private final List<String> targets;
    private final int horizon;
    private final Baseline baseline;

    ForecastRecords(Setup setup) {
        this.modelName = setup.model().spec().name();
        this.modelVersion = setup.model().spec().version();
        this.targets = List.copyOf(setup.model().spec().targets());
        this.horizon = setup.horizon();
        this.baseline = setup.baseline();
    }

    Forecast build(Step step, EntityState after) {
        Memory m = after.memory();
        boolean scored = m.error().count() > 0;
        float[] f = step.forecast;
        IntervalState intervals = after.intervals();
        boolean bounded = intervals.ready();
        boolean none = baseline.isNone();
        return new Forecast(
                step.event.entityId(),
                step.event.timestamp(),
                modelName,
                modelVersion,
                m.steps(),
                targets,
                horizon,
                step.actual,
                f,
                step.oneStepError,
                scored ? m.error().mae() : null,
                scored ? m.error().rmse() : null,
                bounded ? intervals.bound(f, -1) : null,
                bounded ? intervals.bound(f, 1) : null,
                none ? null : baseline.id(),
                step.baselineForecast,
                none ? null : after.skill().baselineMaeOrNull(),
                none ? null : after.skill().skillOrNull(),
                step.weights == null ? null : step.modelForecast,
                step.weights);
    }
}
