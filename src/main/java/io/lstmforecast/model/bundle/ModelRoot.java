package io.lstmforecast.model.bundle;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The directory a job reads model bundles from (job setting {@code model-root}). Every file of a bundle, not only
 * the bundle's own path, is opened through {@link #read}: its real path (every symbolic link resolved) must lie
 * inside the root's real path, and the file is then opened at that real path without following links, so a link
 * swapped in between the check and the open is refused by the kernel instead of followed.
 */
public final class ModelRoot {
    private final Path real;

    private ModelRoot(Path real) {
        this.real = real;
    }

    /** The root at {@code dir}, which must exist. */
    public static ModelRoot of(String dir) throws IOException {
        return new ModelRoot(Path.of(dir).toRealPath());
    }

    /** The real path of the bundle a control message names (a file: URI or a path), if it lies inside the root. */
    public Path bundle(String location) throws IOException {
        Path path;
        if (location.startsWith("file:")) {
            path = Path.of(URI.create(location));
        } else if (location.contains("://")) {
            throw new IllegalArgumentException("only file: URIs and paths are supported, not " + location
                    + "; mount the bundle on the TaskManagers or send it inline");
        } else {
            path = Path.of(location);
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("bundle " + location + " does not exist");
        }
        return inside(path, "bundle " + location);
    }

    /** Reads a bundle directory or .zip inside the root, every file of it confined to the root. */
    public ModelBundle read(Path bundle, ReadLimits limits) {
        return ModelBundle.read(bundle, limits, this);
    }

    /**
     * Reads one file of a bundle: {@code file}'s real path must be a regular file inside the root. The reason names
     * the link when {@code file} is one, since that is what a user has to fix.
     */
    byte[] readFile(Path file, ReadLimits limits) throws IOException {
        String what = Files.isSymbolicLink(file)
                ? file + " (a symbolic link to " + Files.readSymbolicLink(file) + ")"
                : file.toString();
        if (!Files.exists(file)) {
            throw new ModelFormatException(what + " does not exist");
        }
        Path target = inside(file, what);
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(what + " is not a regular file");
        }
        try (InputStream in = Channels.newInputStream(
                Files.newByteChannel(target, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            return ReadLimits.read(in, limits.maxBytes(), what);
        }
    }

    private Path inside(Path path, String what) throws IOException {
        Path target = path.toRealPath();
        if (!target.startsWith(real)) {
            throw new ModelFormatException(what + " is outside the model root " + real
                    + (target.equals(path.toAbsolutePath().normalize()) ? "" : " (it resolves to " + target + ")")
                    + " (job setting model-root)");
        }
        return target;
    }

    @Override
    public String toString() {
        return real.toString();
    }
}
