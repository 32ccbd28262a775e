package io.lstmforecast.bench;

import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Throughput mode: a topic preloaded with the events, read to its end by a bounded job. */
final class ThroughputRun {
    private ThroughputRun() {}

    /**
     * Steady events per second from the first forecast's append to the last one's, and with start-up: over the job's
     * whole wall time.
     */
    static Measurement measure(EmbeddedKafka kafka, JobConfig job, BenchPlan plan, Combination c) throws Exception {
        int events = plan.events();
        BenchEvents.send(kafka, job, BenchEvents.measured(c.entities(), events), 0);
        long start = System.currentTimeMillis();
        if (c.kernel().equals(Combination.SQL)) {
            SqlRun.start(job, c.delivery()).await();
        } else {
            environment(job, c).execute();
        }
        long wall = System.currentTimeMillis() - start;
        long[] appended = AppendTimes.read(kafka, job.kafka().topics().forecasts(), events, null);
        double steady = events * 1000.0 / Math.max(1, appended[appended.length - 1] - appended[0]);
        return new Measurement(steady, events * 1000.0 / wall, new long[0], CheckpointReporter.completed(job));
    }

    /**
     * The same run, unmeasured, stopped after {@code --warmup} seconds if its topic lasts that long: without it the
     * measured job pays for the JIT compilation (a no-op run measured first in its JVM read 29k events/s, after an
     * LSTM run 74k).
     */
    static void warmUp(EmbeddedKafka kafka, JobConfig job, BenchPlan plan, Combination c) throws Exception {
        BenchEvents.send(kafka, job, BenchEvents.measured(c.entities(), plan.events()), 0);
        JobClient client = c.kernel().equals(Combination.SQL)
                ? SqlRun.start(job, c.delivery()).getJobClient().orElseThrow()
                : environment(job, c).executeAsync(job.name());
        try {
            client.getJobExecutionResult().get(plan.warmupSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            client.cancel().get();
            try {
                client.getJobExecutionResult().get();
            } catch (ExecutionException cancelled) {
                // The job ended as asked: cancelled, its local cluster shut down.
            }
        }
    }

    private static StreamExecutionEnvironment environment(JobConfig job, Combination c) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, true, c.lastValueKernel());
        return env;
    }
}
