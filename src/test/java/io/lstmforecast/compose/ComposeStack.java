package io.lstmforecast.compose;

import static io.lstmforecast.cluster.StandaloneCluster.freePort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's docker-compose.yml, driven from tests with whichever Compose this machine has: `docker compose`
 * (v2) or Debian's `docker-compose` (1.29). The project name is given on the command line, the images come from
 * scripts/compose-standins, and the published ports are free ports of 127.0.0.1.
 */
final class ComposeStack implements AutoCloseable {
    static final String PROJECT = "lstm-forecast-it";

    private final Path repo = Path.of("").toAbsolutePath();
    private final List<String> compose;
    private final Map<String, String> env = new HashMap<>();
    private final int kafkaPort;
    private final int restPort;
    private final int prometheusPort;

    ComposeStack() throws IOException {
        compose =
                run(List.of("docker", "compose", "version"), Map.of(), 1, false).exitCode() == 0
                        ? List.of("docker", "compose")
                        : List.of("docker-compose");
        kafkaPort = freePort();
        restPort = freePort();
        prometheusPort = freePort();
        env.put("KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("FLINK_REST_PORT", String.valueOf(restPort));
        env.put("PROMETHEUS_PORT", String.valueOf(prometheusPort));
        env.put("GRAFANA_PORT", String.valueOf(freePort()));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String flinkRest() {
        return "http://127.0.0.1:" + restPort;
    }

    String prometheus() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    /** Builds the stand-in images (scripts/compose-standins) and uses them: MAVEN_IMAGE, FLINK_IMAGE, ... */
    void useStandIns() {
        String variables = expectSuccess(run(List.of("scripts/compose-standins", "--print-env"), Map.of(), 30, true));
        for (String line : variables.strip().split("\n")) {
            String[] kv = line.split("=", 2);
            env.put(kv[0], kv[1]);
        }
    }

    /** Runs `compose ARGS...` (up to 15 minutes), failing with its output when it fails. */
    String compose(String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-p", PROJECT));
        command.addAll(List.of(args));
        return expectSuccess(run(command, env, 15, false));
    }

    /** What the services logged, for the test report. */
    void saveLogs(Path file, String... services) throws IOException {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-p", PROJECT, "logs", "--no-color"));
        command.addAll(List.of(services));
        Files.createDirectories(file.getParent());
        Files.writeString(file, run(command, env, 5, false).output());
    }

    /** Stops and removes the containers, the network and the volumes (the checkpoints too). */
    @Override
    public void close() {
        compose("down", "--volumes", "--remove-orphans", "--timeout", "20");
    }

    private record Result(List<String> command, int exitCode, String output) {}

    private Result run(List<String> command, Map<String, String> extraEnv, int minutes, boolean stderrToConsole) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().putAll(extraEnv);
        try {
            Path out = Files.createTempFile("compose", ".out");
            pb.redirectOutput(out.toFile());
            if (stderrToConsole) {
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            } else {
                pb.redirectErrorStream(true);
            }
            Process p = pb.start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + minutes + " min");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Result(command, p.exitValue(), output);
        } catch (IOException e) {
            return new Result(command, 127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String expectSuccess(Result r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", r.command()) + " failed with exit code " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
