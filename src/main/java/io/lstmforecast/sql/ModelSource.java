package io.lstmforecast.sql;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import org.apache.flink.core.fs.FileSystem;

/**
 * Where LSTM_FORECAST's {@code model} argument points: a local path (a bundle directory or .zip), a {@code file:} URI,
 * or a zipped bundle on any file system the Flink cluster has a plugin for ({@code s3://}, {@code hdfs://}, ...), read
 * through Flink's {@link FileSystem} as the cluster's checkpoints are.
 */
final class ModelSource {
    private ModelSource() {}

    static ModelBundle read(String location) {
        if (location == null || location.isBlank()) {
            throw new ModelFormatException("LSTM_FORECAST needs the model argument: a bundle directory, .zip or URI");
        }
        URI uri = uriOrNull(location);
        if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) {
            // No scheme (a Windows drive letter counts as none): a path on this machine.
            return ModelBundle.read(Path.of(location));
        }
        if (uri.getScheme().equals("file")) {
            return ModelBundle.read(Path.of(uri));
        }
        return ModelBundle.fromZip(readAll(uri, ReadLimits.DEFAULT), location);
    }

    private static byte[] readAll(URI uri, ReadLimits limits) {
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(uri);
        try (InputStream in = path.getFileSystem().open(path)) {
            return ReadLimits.read(in, limits.maxBytes(), uri.toString());
        } catch (IOException e) {
            throw new ModelFormatException("bundle " + uri + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static URI uriOrNull(String location) {
        try {
            return new URI(location);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
