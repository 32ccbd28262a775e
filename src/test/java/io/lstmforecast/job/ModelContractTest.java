package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one model/job check: which setting a model breaks first, with the job's value and the model's. */
class ModelContractTest {
    private static ModelSpec model(List<String> features, List<String> timeFeatures, String baseline) {
        ModelSpec s = RandomBundles.random(CellKind.LSTM, features, timeFeatures, 8, 1, 3, 1)
                .spec();
        return s.withBaselineAndTimeFeatures(baseline, s.timeFeatures());
    }

    private static final ModelSpec JOB_MODEL = model(List.of("x", "y"), List.of("hour-of-day"), "seasonal:24");

    @Test
    void theJobsOwnModelKeepsTheContractItDefines() {
        assertNull(
                ModelContract.served(JOB_MODEL, Baseline.parse("seasonal:24")).mismatch(JOB_MODEL));
        assertNull(ModelContract.served(JOB_MODEL, null).mismatch(JOB_MODEL), "no baseline setting: any is fine");
    }

    @Test
    void aModelBreaksTheFirstSettingItDiffersIn() {
        ModelContract contract = ModelContract.served(JOB_MODEL, Baseline.parse("seasonal:24"));
        assertEquals(
                new ModelContract.Mismatch("event.features", "[x, y]", "[y, x]"),
                contract.mismatch(model(List.of("y", "x"), List.of(), "persistence")));
        assertEquals(
                new ModelContract.Mismatch("event.time-features", "[hour-of-day]", "[hour-of-day, day-of-week]"),
                contract.mismatch(model(List.of("x", "y"), List.of("hour-of-day", "day-of-week"), "persistence")));
        assertEquals(
                new ModelContract.Mismatch("baseline", "seasonal:24", "persistence"),
                contract.mismatch(model(List.of("x", "y"), List.of("hour-of-day"), "persistence")));
        assertNull(
                contract.mismatch(model(List.of("x", "y"), List.of("hour-of-day"), null)),
                "a model that declares no baseline is measured against the job's");
    }
}
