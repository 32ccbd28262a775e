package io.lstmforecast.cli;

import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.io.EventCsv;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EventFeed;
import io.lstmforecast.local.LocalDemo;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description =
                "Sends events in a job's JSON format to its events topic: replayed from a CSV or from the job's generator.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    JobOptions jobOptions;

    static final class From {
        @Option(
                names = "--csv",
                paramLabel = "FILE",
                description = "CSV with header entity,timestamp,<one column per model feature>.")
        Path csv;

        @Option(names = "--generator", description = "Synthetic events from the job's generator (sensors or tracks).")
        boolean generator;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    From from;

    @Option(names = "--topic", description = "Target topic (default: the job's kafka.topics.events).")
    String topic;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Events per second; 0 sends as fast as possible. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--events",
            defaultValue = "0",
            description = "Stop after this many events; 0: the whole CSV, or forever for the generator.")
    long events;

    @Option(
            names = "--entities",
            defaultValue = "20",
            description = "Generator: number of entities. Default: ${DEFAULT-VALUE}.")
    int entities;

    @Option(names = "--seed", defaultValue = "1", description = "Generator: random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        JobConfig job = jobOptions.load(List.of());
        int features = ForecastJobRunner.model(job).spec().features().size();
        Iterator<GeneratedEvent> source;
        try {
            source = from.csv != null ? EventCsv.read(from.csv, features) : generator(job);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        String target = topic != null ? topic : job.kafka().topics().events();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
                job.kafka().bootstrapServers(), job.kafka().properties())) {
            long sent = EventFeed.send(producer, target, job.event(), source, events, rate, () -> true);
            System.out.println("sent " + sent + " events to " + target + " on "
                    + job.kafka().bootstrapServers());
        }
        return 0;
    }

    private Iterator<GeneratedEvent> generator(JobConfig job) {
        var g = Generators.forJob(job.name(), entities, seed, LocalDemo.generatorStart());
        return Stream.generate(g::next).iterator();
    }
}
