package io.lstmforecast.job;

import io.lstmforecast.config.EventFormat;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.event.ModelStatus;
import io.lstmforecast.event.ModelUpdate;
import io.lstmforecast.io.ModelControlMessage;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelRoot;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads and checks the bundle a control message names, off the forecasting path: only a bundle that loads
 * within the read limits, matches the job's features and runs a real forecast step goes on to the forecast
 * operators. Every message gets a status record (accepted, or rejected with the reason); a rejected model
 * changes nothing, so the old one keeps serving.
 *
 * <p>It keeps the serving model's name@version and fingerprint in operator state: a different model sent under
 * the serving name@version (a retrain whose version was left at its default) is rejected, because entity
 * state is matched to its model by that id.
 */
public final class ModelValidator extends ProcessFunction<byte[], ModelUpdate> implements CheckpointedFunction {
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status") {};
    /** Most scratch memory the forecast operator may allocate for one model at the job's batch size. */
    static final long MAX_SCRATCH_BYTES = 512L << 20;

    private final ForecastOptions options;
    private final ModelContract contract;
    private transient String servingId;
    private transient String servingFingerprint;
    private transient ListState<String> serving;

    /** {@code options} with the job's baseline settled ({@link ForecastJob#withEffectiveBaseline}). */
    public ModelValidator(ForecastOptions options) {
        this.options = options;
        this.contract = ModelContract.served(
                ModelBundle.fromZip(options.modelBundleZip(), "job model").spec(),
                options.policy().baseline());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        serving =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>("serving-model", Types.STRING));
        List<String> restored = new java.util.ArrayList<>();
        serving.get().forEach(restored::add);
        if (restored.size() == 2) {
            servingId = restored.get(0);
            servingFingerprint = restored.get(1);
        } else {
            ModelBundle start = ModelBundle.fromZip(options.modelBundleZip(), "job model");
            servingId = id(start.spec());
            servingFingerprint = start.fingerprint();
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        serving.update(List.of(servingId, servingFingerprint));
    }

    @Override
    public void processElement(byte[] message, Context ctx, Collector<ModelUpdate> out) {
        long now = System.currentTimeMillis();
        ModelControlMessage m;
        try {
            m = ModelControlMessage.parse(message, options.maxInlineModelBytes());
        } catch (RuntimeException e) {
            ctx.output(STATUS, ModelStatus.rejected(null, null, e.getMessage(), null, now));
            return;
        }
        try {
            ModelBundle bundle = m.inlineZip() != null
                    ? ModelBundle.fromZip(m.inlineZip(), "inline bundle", options.modelLimits())
                    : readConfined(m.location());
            check(bundle, m);
            tryRun(bundle, options);
            servingId = id(bundle.spec());
            servingFingerprint = bundle.fingerprint();
            out.collect(new ModelUpdate(bundle.spec().name(), bundle.spec().version(), bundle.toZip()));
            ctx.output(
                    STATUS,
                    ModelStatus.accepted(bundle.spec().name(), bundle.spec().version(), m.location(), now));
        } catch (ModelFormatException | IllegalArgumentException | IOException e) {
            ctx.output(STATUS, ModelStatus.rejected(m.name(), m.version(), e.getMessage(), m.location(), now));
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // The boundary: a bundle that makes a library fail in a way not foreseen is still only a rejected bundle.
            ctx.output(
                    STATUS,
                    ModelStatus.rejected(
                            m.name(), m.version(), "the bundle could not be loaded: " + e, m.location(), now));
        }
    }

    /** The bundle a message names, its own path and every file it reads confined to the model root. */
    private ModelBundle readConfined(String location) throws IOException {
        ModelRoot root = root();
        return root.read(root.bundle(location), options.modelLimits());
    }

    private void check(ModelBundle bundle, ModelControlMessage m) {
        ModelSpec spec = bundle.spec();
        if (!spec.version().equals(m.version())) {
            throw new IllegalArgumentException(
                    "the message names version " + m.version() + " but the bundle is version " + spec.version());
        }
        if (m.name() != null && !spec.name().equals(m.name())) {
            throw new IllegalArgumentException(
                    "the message names model " + m.name() + " but the bundle is " + spec.name());
        }
        // The events carry the job's features, the job computes its time features and scores skill against its
        // baseline, whatever model serves.
        ModelContract.Mismatch broken = contract.mismatch(spec);
        if (broken != null && broken.setting().equals(EventFormat.FEATURES)) {
            throw new IllegalArgumentException("the bundle's features " + broken.model() + " differ from the job's "
                    + broken.job() + "; the events carry the job's features");
        }
        if (broken != null) {
            throw new IllegalArgumentException(
                    "the bundle expects " + broken.setting() + " " + broken.model() + " but the job has " + broken.job()
                            + "; a model must be trained for the job's " + broken.setting());
        }
        if (id(spec).equals(servingId) && !bundle.fingerprint().equals(servingFingerprint)) {
            throw new IllegalArgumentException(
                    "the bundle is a different model under the serving name and version " + servingId
                            + "; entity state is matched to its model by name@version, so give the new model a new version");
        }
    }

    /** The checks of {@link #tryRun} that need no native code, for the job's own model when the graph is built. */
    public static void checkServable(ModelSpec spec, ForecastOptions options) {
        long perRow = (long) spec.numLayers() * spec.hiddenSize() * 10
                + spec.inputSize()
                + spec.projectionSize()
                + 2L * spec.horizon() * spec.targets().size();
        long scratch = 4L * perRow * options.batching().maxBatchSize();
        if (scratch > MAX_SCRATCH_BYTES) {
            throw new ModelFormatException("model " + id(spec) + " needs about " + (scratch >> 20)
                    + " MiB of scratch memory at" + " max-batch-size "
                    + options.batching().maxBatchSize() + "; the limit is "
                    + (MAX_SCRATCH_BYTES >> 20) + " MiB");
        }
        for (String t : spec.targets()) {
            if (!spec.features().contains(t)) {
                throw new ModelFormatException("target '" + t + "' of model " + id(spec) + " is not among its features "
                        + spec.features() + ", so events carry no actual value to score its forecasts against");
            }
        }
    }

    /**
     * Builds what the forecast operator will build and runs it once: the sizes are checked first
     * ({@link #checkServable}), then one entity takes one step with the features' means as input. A model that
     * passes cannot fail the operator when it is swapped in; one that fails is refused here with the reason.
     */
    public static void tryRun(ModelBundle bundle, ForecastOptions options) {
        ModelSpec spec = bundle.spec();
        checkServable(spec, options);
        ForecastModel model = bundle.model();
        EntityForecaster forecaster = new EntityForecaster(model, options.policy());
        float[] input = spec.normalisation().featureMean().clone();
        Forecast[] out = new Forecast[1];
        forecaster.advance(new EntityState[1], new Event[] {new Event("model-check", 0, input, null)}, 1, out, a -> {});
        for (float v : out[0].forecast()) {
            if (!Float.isFinite(v)) {
                throw new ModelFormatException("model " + id(spec) + " forecasts " + v
                        + " for an input at the feature means;" + " check its weights and normalisation");
            }
        }
    }

    private static String id(ModelSpec spec) {
        return spec.name() + "@" + spec.version();
    }

    /** The job's model root; without one only inline bundles are accepted. */
    private ModelRoot root() throws IOException {
        if (options.modelRoot() == null) {
            throw new IllegalArgumentException("this job takes inline bundles only (bundle_base64); set the job setting"
                    + " model-root to a directory to read bundles from files");
        }
        return ModelRoot.of(options.modelRoot());
    }
}
