package io.lstmforecast.cli;

import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the forecast job against an existing Kafka: in Flink's local environment when started",
            "with java -jar, or on a cluster when this jar is submitted with `flink run` or the REST API."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions jobOptions;

    @Option(names = "--bounded", description = "Read the events topic up to its current end, then finish.")
    boolean bounded;

    @Override
    public Integer call() throws Exception {
        JobConfig job = jobOptions.load(List.of());
        System.out.println(job.describe());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, bounded);
        env.execute("lstm-forecast " + job.name());
        return 0;
    }
}
