package io.lstmforecast.cli;

import io.lstmforecast.config.Topics;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.local.EventFeed;
import io.lstmforecast.local.LocalDemo;
import io.lstmforecast.sql.SqlScript;
import io.lstmforecast.sql.SqlSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a Flink SQL script or statement in Flink's local environment with LSTM_FORECAST registered, against",
            "the embedded Kafka broker (default, optionally fed with the job's generated events) or --bootstrap.",
            "The script may use ${bootstrap}, ${model}, ${events_topic} and ${forecasts_topic}: the broker, and the",
            "job's model bundle and topics. The last statement's rows are printed (a SELECT) or its job awaited (INSERT)."
        })
final class SqlCommand implements Callable<Integer> {
    @Mixin
    JobOptions jobOptions;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "SCRIPT.sql",
            description = "The SQL script: statements separated by semicolons.")
    Path file;

    @Option(
            names = {"-e", "--execute"},
            paramLabel = "SQL",
            description = "One or more statements given on the command line instead of a file.")
    String execute;

    @Option(
            names = "--events",
            defaultValue = "0",
            description = "Embedded broker only: first produce this many of the job's generated events to its events"
                    + " topic. Default: ${DEFAULT-VALUE}.")
    long events;

    @Mixin
    EmbeddedFeedOptions feed;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "A Flink setting for the session, e.g. --conf parallelism.default=2.")
    List<String> conf = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (execute == null)) {
            throw new UserInputException("give the SQL with exactly one of -f SCRIPT.sql and -e 'STATEMENT'");
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new UserInputException("SQL script " + file + " does not exist");
        }
        String script = file != null ? Files.readString(file, StandardCharsets.UTF_8) : execute;
        Map<String, String> flink = flinkSettings();
        if (jobOptions.bootstrap != null) {
            if (events > 0) {
                throw new UserInputException(
                        "--events feeds the embedded broker only; leave out --bootstrap or --events");
            }
            JobConfig job = jobOptions.load(List.of());
            return run(script, variables(job, jobOptions.bootstrap), flink);
        }
        try (EmbeddedKafka kafka = LocalDemo.startKafka(feed.kafkaPort)) {
            JobConfig job = jobOptions.load(List.of("kafka.bootstrap-servers=" + kafka.bootstrapServers()));
            Topics t = job.kafka().topics();
            kafka.createTopics(1, t.events(), t.forecasts());
            if (events > 0) {
                produce(kafka, job);
            }
            return run(script, variables(job, kafka.bootstrapServers()), flink);
        }
    }

    private Map<String, String> flinkSettings() {
        Map<String, String> flink = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException(
                        "--conf takes KEY=VALUE, e.g. --conf parallelism.default=2; not '" + kv + "'");
            }
            flink.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return flink;
    }

    private static Map<String, String> variables(JobConfig job, String bootstrap) {
        return Map.of(
                "bootstrap", bootstrap,
                "model", job.model().toAbsolutePath().toString(),
                "events_topic", job.kafka().topics().events(),
                "forecasts_topic", job.kafka().topics().forecasts());
    }

    private void produce(EmbeddedKafka kafka, JobConfig job) throws InterruptedException {
        var generator = Generators.forJob(job.name(), feed.entities, feed.seed, LocalDemo.generatorStart());
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            EventFeed.send(
                    producer,
                    job.kafka().topics().events(),
                    job.event(),
                    Stream.generate(generator::next).iterator(),
                    events,
                    0,
                    () -> true);
        }
        System.err.println("produced " + events + " " + job.name() + " events to "
                + job.kafka().topics().events());
    }

    private static int run(String script, Map<String, String> variables, Map<String, String> flink) throws Exception {
        List<String> statements;
        try {
            statements = SqlScript.statements(script, variables);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        TableResult last;
        try {
            last = new SqlSession(flink).run(statements);
        } catch (org.apache.flink.table.api.ValidationException | org.apache.flink.table.api.SqlParserException e) {
            throw new UserInputException(e.getMessage().strip());
        }
        String verb = statements.get(statements.size() - 1).split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
        if (verb.equals("INSERT") || verb.equals("EXECUTE")) {
            last.await(); // the job runs to the end of a bounded source, or until Ctrl-C
        } else if (last.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
            last.print();
        }
        return 0;
    }
}
