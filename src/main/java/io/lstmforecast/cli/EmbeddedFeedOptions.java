package io.lstmforecast.cli;

import picocli.CommandLine.Option;

/** The options of the commands that start the embedded broker and feed it the job's generated events (demo, sql). */
final class EmbeddedFeedOptions {
    @Option(
            names = "--entities",
            defaultValue = "20",
            description = "Entities the generator simulates. Default: ${DEFAULT-VALUE}.")
    int entities;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Port of the embedded broker; a free one is used if taken. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;
}
