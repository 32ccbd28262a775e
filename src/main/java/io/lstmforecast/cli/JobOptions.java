package io.lstmforecast.cli;

import io.lstmforecast.job.JobConfig;
import io.lstmforecast.job.JobConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that runs or feeds a job shares: which job file, and overrides of its settings. */
final class JobOptions {
    @Option(
            names = "--job",
            defaultValue = "sensors",
            paramLabel = "JOB",
            description =
                    "Job definition: a job.yaml, its directory, or a name under jobs/ (sensors, tracks). Default: ${DEFAULT-VALUE}.")
    String job;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (overrides kafka.bootstrap-servers).")
    String bootstrap;

    @Option(names = "--parallelism", paramLabel = "N", description = "Overrides parallelism.")
    Integer parallelism;

    @Option(
            names = "--delivery",
            paramLabel = "MODE",
            description = "exactly-once or at-least-once (overrides delivery).")
    String delivery;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Overrides any job setting by its dotted key, e.g. --set allowed-lateness=30s --set kafka.start=earliest.")
    List<String> set = new ArrayList<>();

    /** Reads the job file with the flags applied; {@code extra} overrides come first, so flags win. */
    JobConfig load(List<String> extra) {
        List<String> overrides = new ArrayList<>(extra);
        if (bootstrap != null) {
            overrides.add("kafka.bootstrap-servers=" + bootstrap);
        }
        if (parallelism != null) {
            overrides.add("parallelism=" + parallelism);
        }
        if (delivery != null) {
            overrides.add("delivery=" + delivery);
        }
        overrides.addAll(set);
        try {
            return JobConfigLoader.load(JobConfigLoader.resolve(locate(job)), overrides);
        } catch (JobConfigLoader.InvalidJobException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    /** Job names resolve under jobs/ in the working directory, or beside the jar's target/ folder. */
    static String locate(String job) {
        if (job.contains("/") || job.endsWith(".yaml") || Files.isDirectory(Path.of("jobs", job))) {
            return job;
        }
        try {
            Path jar = Path.of(JobOptions.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path candidate = jar.getParent().getParent().resolve("jobs").resolve(job);
            return Files.isDirectory(candidate) ? candidate.toString() : job;
        } catch (Exception e) {
            return job;
        }
    }
}
