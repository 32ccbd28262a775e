package io.lstmforecast.cli;

import io.lstmforecast.config.Topics;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.io.ModelControlMessage;
import io.lstmforecast.job.ForecastOptions;
import io.lstmforecast.job.JobConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates a job's topics on its Kafka (events, forecasts, dead letters, alerts, model status; the",
            "models topic with one partition, so swaps keep their order). Topics that exist are left alone."
        })
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    JobOptions jobOptions;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            paramLabel = "N",
            description = "Partitions of every topic but the models topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new UserInputException("--partitions must be at least 1, got " + partitions);
        }
        JobConfig job = jobOptions.load(List.of());
        Topics t = job.kafka().topics();
        String bootstrap = job.kafka().bootstrapServers();
        Map<String, String> properties = job.kafka().properties();
        List<String> created = new java.util.ArrayList<>(KafkaClients.createTopics(
                bootstrap,
                properties,
                partitions,
                Map.of(),
                List.of(t.events(), t.forecasts(), t.deadLetters(), t.alerts(), t.modelStatus())));
        // The broker's default message limit (1 MiB) is below an inline bundle: give the models topic room for the
        // largest.
        created.addAll(KafkaClients.createTopics(
                bootstrap,
                properties,
                1,
                Map.of(
                        "max.message.bytes",
                        String.valueOf(
                                ModelControlMessage.maxMessageBytes(ForecastOptions.DEFAULT_MAX_INLINE_MODEL_BYTES))),
                List.of(t.models())));
        System.out.println(
                created.isEmpty()
                        ? "every topic of job " + job.name() + " exists on " + bootstrap
                        : "created " + String.join(", ", created) + " on " + bootstrap);
        return 0;
    }
}
