package io.lstmforecast.cli;

import io.lstmforecast.model.ModelFormatException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line tool in {@code lstm-forecast.jar}; each subcommand is its own class. */
@Command(
        name = "lstm-forecast",
        mixinStandardHelpOptions = true,
        version = "lstm-forecast 0.1.0",
        description = "Streaming per-entity LSTM forecasts on Apache Flink.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            TopicsCommand.class,
            ProduceCommand.class,
            TailCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            BenchCommand.class,
            ViewCommand.class,
            SequenceCommand.class,
            ImportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (!StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            // Under `flink run` or the REST API, main runs inside Flink's client or JobManager: System.exit would take
            // that process down, so a bad command line becomes an exception whose message the submitter sees.
            StringWriter errors = new StringWriter();
            int code = execute(new PrintWriter(errors, true), args);
            if (code != 0) {
                System.err.print(errors);
                throw new IllegalArgumentException(errors.toString().strip());
            }
            return;
        }
        int code = execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    private static boolean tableRuntimePresent() {
        try {
            Class.forName("org.apache.flink.table.api.TableEnvironment", false, Main.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad usage or bad input file. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    private static int execute(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        // The sql command needs Flink's table runtime, which the self-contained jar bundles and the cluster jar leaves
        // to the cluster's lib/ (a cluster without it still runs the DataStream job): registered only where it loads.
        if (tableRuntimePresent()) {
            cli.addSubcommand("sql", new CommandLine(new SqlCommand()));
        }
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ModelFormatException
                    || e instanceof UserInputException
                    || e instanceof io.lstmforecast.job.JobConfigLoader.InvalidJobException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
