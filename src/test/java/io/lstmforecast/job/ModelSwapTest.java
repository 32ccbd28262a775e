package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelStatus;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.ImportFixtures;
import io.lstmforecast.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Hot model swaps through the control stream on a MiniCluster: no forecast lost, each names its model. */
class ModelSwapTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final List<String> FEATURES = List.of("x", "y");

    @Test
    void aSwapResetsStateOfAnIncompatibleModelAndABadModelIsRejected() throws Exception {
        ModelBundle v1 = RandomBundles.random(CellKind.LSTM, FEATURES, 16, 1, 3, 42);
        ModelBundle v2 = withVersion(RandomBundles.random(CellKind.LSTM, FEATURES, 8, 1, 3, 43), v1, "2", null);
        ModelBundle wrongFeatures = RandomBundles.random(CellKind.LSTM, List.of("x", "y", "z"), 8, 1, 3, 44);
        Run run = run(v1, List.of(inline(wrongFeatures, "1"), inline(v2, "2")));

        assertEquals(run.events.size(), run.forecasts.size(), "one forecast per event across the swap");
        assertEquals(
                List.of("rejected", "accepted"),
                run.status.stream().map(ModelStatus::status).toList());
        assertTrue(
                run.status.get(0).reason().contains("features"),
                run.status.get(0).reason());
        assertTrue(run.forecasts.stream().anyMatch(f -> f.modelVersion().equals("1")), "old model served first");
        assertTrue(run.forecasts.stream().anyMatch(f -> f.modelVersion().equals("2")), "new model served after");
        assertMatches(run, v1, v2, false);
    }

    @Test
    void aBundleExpectingOtherTimeFeaturesOrAnotherBaselineIsRejectedAndTheOldModelKeepsServing() throws Exception {
        ModelBundle v1 = RandomBundles.random(CellKind.LSTM, FEATURES, 16, 1, 3, 42);
        ModelBundle calendar = RandomBundles.random(CellKind.LSTM, FEATURES, List.of("hour-of-day"), 16, 1, 3, 46);
        ModelBundle timed = new ModelBundle(calendar.spec().withVersion("3", null), calendar.weights());
        ModelBundle seasonal = new ModelBundle(
                v1.spec().withVersion("4", null).withBaselineAndTimeFeatures("seasonal:24", null), v1.weights());
        Run run = run(v1, List.of(inline(timed, "3"), inline(seasonal, "4")));
        assertEquals(
                List.of("rejected", "rejected"),
                run.status.stream().map(ModelStatus::status).toList());
        assertEquals(
                "the bundle expects event.time-features [hour-of-day] but the job has []; a model must be trained for the"
                        + " job's event.time-features",
                run.status.get(0).reason());
        assertTrue(
                run.status
                        .get(1)
                        .reason()
                        .startsWith("the bundle expects baseline seasonal:24 but the job has persistence"),
                run.status.get(1).reason());
        assertEquals(run.events.size(), run.forecasts.size());
        assertTrue(run.forecasts.stream().allMatch(f -> f.modelVersion().equals("1")), "the old model kept serving");
        assertMatches(run, v1, v1, true);
        // The job's default baseline, persistence, rides along every record.
        for (Forecast f : run.forecasts) {
            assertEquals("persistence", f.baseline());
            assertEquals(f.actual()[0], f.baselineForecast()[0]);
            assertEquals(f.actual()[1], f.baselineForecast()[FEATURES.size() * 2 + 1]);
        }
    }

    @Test
    void aModelThatDeclaresTheOldStateCompatibleContinuesIt() throws Exception {
        ModelBundle v1 = RandomBundles.random(CellKind.LSTM, FEATURES, 16, 1, 3, 42);
        ModelBundle v2 =
                withVersion(RandomBundles.random(CellKind.LSTM, FEATURES, 16, 1, 3, 45), v1, "2", List.of("1"));
        Run run = run(v1, List.of(inline(v2, "2")));
        assertEquals(run.events.size(), run.forecasts.size());
        assertTrue(run.forecasts.stream().anyMatch(f -> f.modelVersion().equals("2")));
        assertMatches(run, v1, v2, true);
    }

    @Test
    void aSwapToAnUploadedPyTorchBundleServesItLikeAnNpzBundle(@TempDir Path tmp) throws Exception {
        ModelBundle v1 = RandomBundles.random(CellKind.LSTM, FEATURES, 16, 1, 3, 42);
        // model.json + weights.pt, the file torch.save wrote, zipped as a user uploads it.
        byte[] upload = ImportFixtures.bundleZip("lstm_xy.pt", v1.spec().name(), "2", 3, tmp);
        Run run = run(v1, List.of(HostileInputs.message("2", upload)));
        assertEquals(
                List.of("accepted"),
                run.status.stream().map(ModelStatus::status).toList());
        assertEquals(run.events.size(), run.forecasts.size(), "one forecast per event across the swap");
        assertTrue(
                run.forecasts.stream().anyMatch(f -> f.modelVersion().equals("2")),
                "the .pt model serves after the swap");
        assertMatches(run, v1, ModelBundle.fromZip(upload, "upload"), false);
    }

    /** Replays each entity: model 1 until its first forecast by model 2, then model 2 from reset or kept state. */
    static void assertMatches(Run run, ModelBundle v1, ModelBundle v2, boolean keepState) {
        Map<String, List<Forecast>> byEntity =
                run.forecasts.stream().collect(Collectors.groupingBy(Forecast::entityId));
        Map<String, List<Event>> events = run.events.stream()
                .sorted(Comparator.comparingLong(Event::timestamp))
                .collect(Collectors.groupingBy(Event::entityId));
        for (Map.Entry<String, List<Forecast>> e : byEntity.entrySet()) {
            List<Forecast> fs = e.getValue();
            fs.sort(Comparator.comparingLong(Forecast::step));
            ForecastModel m1 = v1.model();
            ForecastModel m2 = v2.model();
            float[][] h = new float[m1.numLayers()][m1.hiddenSize()];
            float[][] c = new float[m1.numLayers()][m1.hiddenSize()];
            boolean swapped = false;
            for (int i = 0; i < fs.size(); i++) {
                Forecast f = fs.get(i);
                ForecastModel m = f.modelVersion().equals("1") ? m1 : m2;
                if (m == m2 && !swapped) {
                    swapped = true;
                    if (!keepState) {
                        h = new float[m2.numLayers()][m2.hiddenSize()];
                        c = new float[m2.numLayers()][m2.hiddenSize()];
                        assertNull(f.previousError(), "a reset state has no forecast to score");
                        assertNull(f.lower(), "a reset state's intervals restart: nothing scored yet");
                    } else if (i > m1.horizon()) {
                        assertNotNull(f.lower(), "a continued state keeps its intervals");
                    }
                }
                assertTrue(!swapped || m == m2, "never back to the old model");
                float[] expected = new float[m.horizon() * FEATURES.size()];
                m.step(events.get(e.getKey()).get(i).features(), h, c, 1, expected);
                float diff = SharedData.maxAbsDiff(expected, f.forecast());
                assertTrue(
                        diff <= 1e-5f,
                        e.getKey() + " step " + f.step() + " (model " + f.modelVersion() + ") differs by " + diff);
            }
        }
    }

    static ModelBundle withVersion(ModelBundle b, ModelBundle nameFrom, String version, List<String> compatible) {
        var spec = b.spec();
        var renamed = new io.lstmforecast.model.bundle.ModelSpec(
                spec.formatVersion(),
                nameFrom.spec().name(),
                version,
                spec.cell(),
                spec.hiddenSize(),
                spec.numLayers(),
                spec.projectionSize(),
                spec.features(),
                spec.targets(),
                spec.normalisation(),
                spec.horizon(),
                spec.horizonMode(),
                spec.prefixes(),
                spec.description(),
                spec.residual(),
                compatible);
        return new ModelBundle(renamed, b.weights());
    }

    static byte[] inline(ModelBundle b, String version) throws Exception {
        String json = "{\"version\":\"" + version + "\",\"bundle_base64\":\""
                + Base64.getEncoder().encodeToString(b.toZip()) + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    record Run(List<Event> events, List<Forecast> forecasts, List<ModelStatus> status) {}

    /** Events at a bounded rate over about three seconds; the control messages 0.8 s apart from the start. */
    static Run run(ModelBundle initial, List<byte[]> control) throws Exception {
        List<Event> events = ForecastJobTest.events(4, 225, 7);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().setAutoWatermarkInterval(20);
        ArrayList<io.lstmforecast.event.ParsedRecord> data = new ArrayList<>(ForecastJobTest.records(events));
        var eventSource = new DataGeneratorSource<>(
                i -> data.get(i.intValue()),
                data.size(),
                RateLimiterStrategy.perSecond(300),
                TypeInformation.of(io.lstmforecast.event.ParsedRecord.class));
        ArrayList<byte[]> messages = new ArrayList<>(control);
        var controlSource = new DataGeneratorSource<>(
                i -> {
                    Thread.sleep(800);
                    return messages.get(i.intValue());
                },
                messages.size(),
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        // Two source readers split each entity's events: event-time ordering puts them back in order.
        ForecastOptions options = ForecastOptions.of(
                        initial.toZip(), Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO)
                .withOrdering(Ordering.EVENT_TIME, Batching.DEFAULT.maxBatchDelay())
                .withPolicy(ForecastJobTest.MODEL_SERVED);
        ForecastJob.Outputs out = ForecastJob.build(env, eventSource, controlSource, options);
        List<Forecast> forecasts = new ArrayList<>();
        List<ModelStatus> status = new ArrayList<>();
        try (CloseableIterator<Forecast> f = out.forecasts().collectAsync();
                CloseableIterator<ModelStatus> s = out.modelStatus().collectAsync()) {
            env.execute("model-swap-test");
            f.forEachRemaining(forecasts::add);
            s.forEachRemaining(status::add);
        }
        return new Run(events, forecasts, status);
    }
}
