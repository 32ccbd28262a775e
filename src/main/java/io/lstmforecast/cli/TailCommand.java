package io.lstmforecast.cli;

import io.lstmforecast.io.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description =
                "Prints the records of a topic (forecasts, dead letters, alerts, model status), one JSON per line.")
final class TailCommand implements Callable<Integer> {
    @Option(
            names = "--bootstrap",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "The topic to print, e.g. sensors.forecasts.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of the newest.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many records (0: never).")
    long max;

    @Option(names = "--read-uncommitted", description = "Also show records of open or aborted transactions.")
    boolean readUncommitted;

    @Override
    public Integer call() {
        AtomicLong printed = new AtomicLong();
        try {
            KafkaClients.follow(
                    bootstrap,
                    Map.of(),
                    topic,
                    fromBeginning,
                    !readUncommitted,
                    r -> {
                        System.out.println(r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
                        printed.incrementAndGet();
                    },
                    () -> max == 0 || printed.get() < max);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage() + "; list the job's topics in its job.yaml (kafka.topics)");
        }
        return 0;
    }
}
