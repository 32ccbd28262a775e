package io.lstmforecast.cli;

import io.lstmforecast.bench.BenchHarness;
import io.lstmforecast.bench.BenchPlan;
import io.lstmforecast.bench.Combination;
import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Checkpoints;
import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.InvalidSettingException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the job end to end on a real Kafka broker started in-process (by default a JVM of its own for each",
            "configuration, see --fork): events per second",
            "(a topic preloaded with N events for K entities, read to its end) or, with --rate, latency percentiles",
            "from event append time to forecast append time. Every combination of the list options is run;",
            "--kernel lstm,noop also gives each configuration's ratio of LSTM to no-op: events per second, or p50 latency.",
            "Each configuration's row also gives the job's checkpoints: how many, their median and longest duration, the",
            "last one's full size, and that size per entity the events reached (the cost of state beside throughput).",
            "The no-op has been checked to be the throughput ceiling (no-op >= LSTM in the medians, H=64, exactly-once,",
            "arrival ordering) at 1,000 and 100,000 entities on the heap and at 100,000 and 1,000,000 on RocksDB; at a million",
            "entities the two are within the run-to-run spread (docs/PERFORMANCE.md, issue #31)."
        })
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--kernel",
            split = ",",
            defaultValue = "lstm",
            description = {
                "lstm: the model step; noop: forecast ="
                        + " last value in the same pipeline (Kafka, parsing, keyed state, batching, sinks): the pipeline's ceiling;",
                "sql: the model step as LSTM_FORECAST in Flink SQL on the same topics (throughput mode only; no batching).",
                "Default: ${DEFAULT-VALUE}."
            })
    List<String> kernel;

    @Option(
            names = "--ordering",
            split = ",",
            defaultValue = "arrival",
            description = "arrival, event-time (job setting ordering). Default: ${DEFAULT-VALUE}.")
    List<String> ordering;

    @Option(
            names = "--hidden",
            split = ",",
            defaultValue = "64",
            description = "Hidden sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Option(
            names = "--entities",
            split = ",",
            defaultValue = "1000",
            description = "Entity counts. Default: ${DEFAULT-VALUE}.")
    List<Integer> entities;

    @Option(names = "--events", defaultValue = "200000", description = "Events per run. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--state",
            split = ",",
            defaultValue = "hashmap",
            description = "State backends: hashmap, rocksdb. Default: ${DEFAULT-VALUE}.")
    List<String> state;

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "on",
            description = "Cross-entity batching: on (" + Batching.DEFAULT_MAX_BATCH_SIZE
                    + "), off (1). Default: ${DEFAULT-VALUE}.")
    List<String> batch;

    @Option(
            names = "--delivery",
            split = ",",
            defaultValue = "exactly-once",
            description = "exactly-once, at-least-once. Default: ${DEFAULT-VALUE}.")
    List<String> delivery;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "0: throughput (preloaded topic); R > 0: latency at R events/s. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2s",
            description = "Checkpoint interval (exactly-once output"
                    + " becomes visible when a checkpoint completes). Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
            names = "--max-batch-delay",
            paramLabel = "DURATION",
            description =
                    "Arrival ordering: most processing time a batch stays open (job setting max-batch-delay; default: the job's).")
    String maxBatchDelay;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides a job setting in every run's job, as run --set does (repeatable), e.g. --set"
                    + " kafka.properties.linger.ms=20 --set flink.taskmanager.memory.managed.size=0.")
    List<String> set = new ArrayList<>();

    @Option(
            names = "--repeat",
            defaultValue = "1",
            paramLabel = "N",
            description = "Runs of each configuration, round by round (each configuration once, then each again), so"
                    + " a drift of the machine falls on all alike; the table adds the median of each configuration's runs,"
                    + " and the LSTM/no-op ratio is that of the medians. Forked runs of one configuration spread by about"
                    + " 20 %% here (docs/PERFORMANCE.md). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(
            names = "--warmup",
            defaultValue = "60",
            paramLabel = "SECONDS",
            description = "JIT compilation must be over before the clock starts. Latency mode: seconds of events"
                    + " at the measured rate before measuring, after a burst of at least 20,000 (each configuration starts its own"
                    + " job). Throughput mode: each configuration first runs unmeasured on a topic of its own, for this many"
                    + " seconds or to the topic's end (with --no-fork, all of them before the first measured run)."
                    + " Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--report", paramLabel = "FILE.md", description = "Also append the table to this Markdown file.")
    Path report;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the results as a JSON array, one object per"
                    + " configuration: its settings by flag name, events_per_s, and p50_ms, p99_ms, p999_ms in latency mode;"
                    + " checkpoints, checkpoint_ms_median, checkpoint_ms_max, checkpoint_bytes_full,"
                    + " checkpoint_bytes_incremental_median and state_bytes_per_entity.")
    Path json;

    @Option(
            names = "--trace",
            paramLabel = "FILE.csv",
            description = "Latency mode: also write every measured event as"
                    + " run,append_ms,latency_ms,job_ms (append time to the events topic, latency to the consumer, latency to the"
                    + " forecast's own append), to see when the slow ones happen and whose they are.")
    Path trace;

    @Option(
            names = "--fork",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Run each configuration in a JVM of its own, as JMH forks (--no-fork: all in this one, after a"
                            + " warm-up of them all; quicker, but a later run inherits the compiled code and heap of earlier ones, and"
                            + " the order of the runs, not the kernels, decided their ratio: docs/PERFORMANCE.md). Default: forked.")
    boolean fork;

    /** Set in a forked JVM: which configuration (1, 2, ... in table order) to measure, and where to write its figures. */
    @Option(names = "--run", hidden = true)
    int run;

    @Option(names = "--result", hidden = true)
    Path result;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        check("--kernel", kernel, Combination.KERNELS);
        if (kernel.contains(Combination.SQL) && rate > 0) {
            throw new UserInputException("--kernel sql measures throughput only; leave out --rate");
        }
        check("--ordering", ordering, Batching.ORDERING.choices());
        check("--state", state, Checkpoints.STATE_BACKEND.choices());
        check("--batch", batch, Combination.BATCHING);
        check("--delivery", delivery, Delivery.GUARANTEE.choices());
        try {
            Checkpoints.INTERVAL.parse(checkpointInterval);
        } catch (InvalidSettingException e) {
            throw new UserInputException("--checkpoint-interval " + e.problem());
        }
        if (events < 1) {
            throw new UserInputException("--events must be at least 1, not " + events);
        }
        if (repeat < 1) {
            throw new UserInputException("--repeat must be at least 1, not " + repeat);
        }
        if (warmupSeconds < 0) {
            throw new UserInputException("--warmup must be 0 or more seconds, not " + warmupSeconds);
        }
        BenchPlan plan = new BenchPlan(
                kernel,
                ordering,
                hidden,
                entities,
                state,
                batch,
                delivery,
                events,
                rate,
                parallelism,
                checkpointInterval,
                maxBatchDelay,
                set,
                repeat,
                warmupSeconds,
                report,
                json,
                trace);
        if (run > 0) {
            if (result == null || run > Combination.all(plan).size() * repeat) {
                throw new UserInputException("--run and --result are for bench's own forked runs: leave them out");
            }
            BenchHarness.runOne(plan, run, result);
        } else {
            BenchHarness.run(plan, fork ? forkCommand() : null, System.out);
        }
        return 0;
    }

    /** This command line, started anew: the same java, JVM options and class path, the same bench arguments. */
    private List<String> forkCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(spec.commandLine().getParseResult().originalArgs()); // "bench" and its arguments
        return command;
    }

    private static void check(String flag, List<String> given, List<String> allowed) {
        for (String g : given) {
            if (!allowed.contains(g)) {
                throw new UserInputException(
                        flag + " takes " + String.join(", ", allowed) + " (comma-separated), not '" + g + "'");
            }
        }
    }
}
