package io.lstmforecast.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.config.InvalidSettingException;
import io.lstmforecast.config.Kafka;
import io.lstmforecast.config.SettingsTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a job definition: the YAML of a job file ({@link JobFile}), then {@code key=value} overrides ({@link
 * Overrides}), then the settings records read their keys from the tree with defaults and checks ({@link
 * JobConfig#read}), and a key nobody read is refused ({@link UnknownKeys}). A problem is reported as {@link
 * InvalidJobException} in one sentence naming the key and what to write instead.
 */
public final class JobConfigLoader {
    /** Mappings whose keys belong to Kafka or Flink, passed through unchecked. */
    private static final Set<String> PASS_THROUGH = Set.of(Kafka.PROPERTIES, JobConfig.FLINK);

    private JobConfigLoader() {}

    /** A job definition that cannot be used. */
    public static final class InvalidJobException extends RuntimeException {
        public InvalidJobException(String message) {
            super(message);
        }
    }

    /** Accepts a job file path, a job directory, or a name under jobs/ (e.g. "sensors"). */
    public static Path resolve(String job) {
        Path p = Path.of(job);
        if (Files.isDirectory(p)) {
            p = p.resolve("job.yaml");
        } else if (!Files.exists(p) && !job.contains("/") && Files.isRegularFile(Path.of("jobs", job, "job.yaml"))) {
            p = Path.of("jobs", job, "job.yaml");
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidJobException("job definition '" + job + "' not found: give a job.yaml path, its directory,"
                    + " or a name under jobs/ (sensors, tracks)");
        }
        return p;
    }

    public static JobConfig load(Path file, List<String> overrides) {
        return load(JobFile.read(file), file, overrides);
    }

    /**
     * A job defined in code rather than in a file: {@code settings} maps dotted keys (as overrides write them) to
     * values, then {@code overrides} apply as on the command line, and the result is read and checked as a job file
     * would be. {@code file} is where the job would live: relative paths resolve against its directory, and messages
     * name it.
     */
    public static JobConfig define(Path file, Map<String, ?> settings, List<String> overrides) {
        ObjectNode root = JobFile.emptyTree();
        settings.forEach((key, value) -> Overrides.set(root, key, JobFile.valueOf(value)));
        return load(root, file, overrides);
    }

    private static JobConfig load(ObjectNode root, Path file, List<String> overrides) {
        for (String o : overrides) {
            Overrides.apply(root, o);
        }
        SettingsTree tree = new SettingsTree(root);
        JobConfig job;
        try {
            job = JobConfig.read(tree, file);
        } catch (InvalidSettingException e) {
            throw new InvalidJobException(e.getMessage());
        }
        String unknown = UnknownKeys.first(root, "", tree.known(), PASS_THROUGH);
        if (unknown != null) {
            throw new InvalidJobException(file + ": " + unknown);
        }
        return job;
    }
}
