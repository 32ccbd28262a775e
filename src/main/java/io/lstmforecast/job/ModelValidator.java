package io.lstmforecast.job;

import io.lstmforecast.event.ModelStatus;
import io.lstmforecast.event.ModelUpdate;
import io.lstmforecast.io.ModelControlMessage;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads and checks the bundle a control message names, off the forecasting path: only a bundle
 * that loads completely, matches the job's features and builds a runnable model goes on to the
 * forecast operators. Every message gets a status record (accepted, or rejected with the reason);
 * a rejected model changes nothing, so the old one keeps serving.
 */
public final class ModelValidator extends ProcessFunction<byte[], ModelUpdate> {
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status") {
    };

    private final List<String> jobFeatures;
    private final int maxInlineBytes;

    public ModelValidator(List<String> jobFeatures, int maxInlineBytes) {
        this.jobFeatures = List.copyOf(jobFeatures);
        this.maxInlineBytes = maxInlineBytes;
    }

    @Override
    public void processElement(byte[] message, Context ctx, Collector<ModelUpdate> out) {
        long now = System.currentTimeMillis();
        ModelControlMessage m;
        try {
            m = ModelControlMessage.parse(message, maxInlineBytes);
        } catch (IllegalArgumentException e) {
            ctx.output(STATUS, ModelStatus.rejected(null, null, e.getMessage(), null, now));
            return;
        }
        try {
            ModelBundle bundle = m.inlineZip() != null ? ModelBundle.fromZip(m.inlineZip(), "inline bundle")
                    : ModelBundle.read(localPath(m.location()));
            check(bundle.spec(), m);
            // Building allocates the native buffers once here, proving the model runs before any operator switches.
            bundle.model();
            out.collect(new ModelUpdate(bundle.spec().name(), bundle.spec().version(), bundle.toZip()));
            ctx.output(STATUS, ModelStatus.accepted(bundle.spec().name(), bundle.spec().version(), m.location(), now));
        } catch (ModelFormatException | IllegalArgumentException | IOException e) {
            ctx.output(STATUS, ModelStatus.rejected(m.name(), m.version(), e.getMessage(), m.location(), now));
        }
    }

    private void check(ModelSpec spec, ModelControlMessage m) {
        if (!spec.version().equals(m.version())) {
            throw new IllegalArgumentException("the message names version " + m.version() + " but the bundle is version "
                    + spec.version());
        }
        if (m.name() != null && !spec.name().equals(m.name())) {
            throw new IllegalArgumentException("the message names model " + m.name() + " but the bundle is " + spec.name());
        }
        if (!spec.features().equals(jobFeatures)) {
            throw new IllegalArgumentException("the bundle's features " + spec.features() + " differ from the job's "
                    + jobFeatures + "; the events carry the job's features");
        }
    }

    private static Path localPath(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(location));
        }
        if (location.contains("://")) {
            throw new IllegalArgumentException("only file: URIs and paths are supported, not " + location
                    + "; mount the bundle on the TaskManagers or send it inline");
        }
        return Path.of(location);
    }
}
