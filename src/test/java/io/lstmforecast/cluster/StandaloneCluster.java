package io.lstmforecast.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's scripts/kafka-broker and scripts/flink-cluster, driven from tests: a real Kafka broker
 * process and a real Flink standalone session cluster (JobManager and TaskManager JVMs) on free ports, with
 * their files in one directory. What the scripts print goes to the test output, so a failing start is explained.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path repo;
    private final Path dir;
    private final Map<String, String> env = new HashMap<>();
    private final int kafkaPort;
    private final int restPort;
    private final int prometheusPort;

    /** @param extraEnv more environment for the processes (e.g. a variable a job file refers to) */
    public StandaloneCluster(Path dir, Map<String, String> extraEnv) throws IOException {
        this.repo = Path.of("").toAbsolutePath();
        this.dir = dir;
        this.kafkaPort = freePort();
        this.restPort = freePort();
        env.putAll(extraEnv);
        env.put("LSTM_STANDALONE_DIR", dir.toString());
        // -Dcluster.start-timeout=SECONDS: how long each process may take to become ready, for a loaded machine.
        String startTimeout = System.getProperty("cluster.start-timeout");
        if (startTimeout != null) {
            env.put("START_TIMEOUT", startTimeout);
        }
        env.put("KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        env.put("FLINK_REST_PORT", String.valueOf(restPort));
        env.put("FLINK_RPC_PORT", String.valueOf(freePort()));
        this.prometheusPort = freePort();
        env.put("FLINK_PROMETHEUS_PORTS", prometheusPort + "-" + (prometheusPort + PROMETHEUS_PORTS - 1));
    }

    /** Ports in the Prometheus reporter's range: the JobManager and each TaskManager take the first free one. */
    public static final int PROMETHEUS_PORTS = 8;

    /** The ports the cluster's processes may serve Prometheus metrics on (/metrics), lowest first. */
    public List<Integer> prometheusPorts() {
        return java.util.stream.IntStream.range(prometheusPort, prometheusPort + PROMETHEUS_PORTS)
                .boxed()
                .toList();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String restAddress() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path dir() {
        return dir;
    }

    public void startKafka() {
        script("kafka-broker", "start");
    }

    /** Controlled shutdown of the broker; its data stays, so {@link #startKafka()} brings the same broker back. */
    public void stopKafka() {
        script("kafka-broker", "stop");
    }

    public void startFlink() {
        script("flink-cluster", "start");
    }

    public void startTaskManager() {
        script("flink-cluster", "start-taskmanager");
    }

    /** SIGKILL of the newest TaskManager: a crash, with no chance to clean up. */
    public void killTaskManager() {
        script("flink-cluster", "kill-taskmanager");
    }

    /**
     * Flink's own SQL Client in embedded mode against this cluster ({@code scripts/flink-cluster sql-client ARGS}), run in
     * the repository's root as the docs run it; fails when the client exits with an error (e.g. a statement failed).
     */
    public void sqlClient(String... args) {
        List<String> all = new ArrayList<>(List.of("sql-client"));
        all.addAll(List.of(args));
        script("flink-cluster", all.toArray(String[]::new));
    }

    /** The pids of the running TaskManagers, from the scripts' pid files. */
    public List<Long> taskManagerPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(dir.resolve("flink"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("taskmanager-\\d+\\.pid"))
                    .sorted()
                    .toList()) {
                long pid = Long.parseLong(Files.readString(f).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    pids.add(pid);
                }
            }
        }
        return pids;
    }

    /** Everything the cluster's processes have logged so far (JobManager, TaskManagers, broker). */
    public String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path logDir : List.of(dir.resolve("flink/log"), dir.resolve("kafka/log"))) {
            if (!Files.isDirectory(logDir)) {
                continue;
            }
            try (var files = Files.list(logDir)) {
                for (Path f : files.sorted().toList()) {
                    all.append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        script("flink-cluster", "stop");
        script("kafka-broker", "stop");
    }

    private void script(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("scripts").resolve(name).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().directory(repo.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port of 127.0.0.1 that nothing listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
