package io.lstmforecast.bench;

import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.sql.LstmForecastFunction;
import io.lstmforecast.sql.SqlSession;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.TableResult;

/**
 * The {@code sql} kernel: the same run as the job's, with LSTM_FORECAST over the job's events topic writing to its
 * forecasts topic (Kafka SQL connector, JSON), so the figures compare the SQL form with the
 * DataStream job on the same events, model, state backend, checkpoints, parallelism and delivery. A process table
 * function steps each row alone: there is no cross-entity batching to switch on.
 */
final class SqlRun {
    private SqlRun() {}

    /** Starts the query on the topic's current events (bounded) and returns its result; the caller waits or cancels. */
    static TableResult start(JobConfig job, String delivery) {
        var t = job.kafka().topics();
        String kafka = "'connector' = 'kafka', 'properties.bootstrap.servers' = '"
                + job.kafka().bootstrapServers() + "', 'format' = 'json'";
        long ms = job.eventTime().allowedLateness().toMillis();
        String lateness = String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
        String events = "CREATE TABLE bench_events (" + BenchJob.ENTITY_FIELD + " STRING, " + BenchJob.TIME_FIELD
                + " BIGINT, " + BenchJob.FEATURE + " FLOAT, ts AS TO_TIMESTAMP_LTZ(" + BenchJob.TIME_FIELD + ", 3),"
                + " WATERMARK FOR ts AS ts - INTERVAL '" + lateness + "' SECOND) WITH (" + kafka + ", 'topic' = '"
                + t.events() + "', 'properties.group.id' = '" + job.name() + "-sql',"
                + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')";
        boolean exactlyOnce = delivery.equals("exactly-once");
        String forecasts = "CREATE TABLE bench_forecasts (" + BenchJob.ENTITY_FIELD + " STRING, "
                + LstmForecastFunction.OUTPUT_COLUMNS + ", rowtime TIMESTAMP_LTZ(3)) WITH (" + kafka + ", 'topic' = '"
                + t.forecasts() + "', 'sink.delivery-guarantee' = '" + delivery + "'"
                + (exactlyOnce ? ", 'sink.transactional-id-prefix' = '" + job.name() + "-sql'" : "") + ")";
        String insert = "INSERT INTO bench_forecasts SELECT * FROM LSTM_FORECAST(input => TABLE bench_events"
                + " PARTITION BY " + BenchJob.ENTITY_FIELD + ", on_time => DESCRIPTOR(ts), model => '"
                + job.model().toAbsolutePath() + "', state_ttl => '0')";
        SqlSession session =
                new SqlSession(ForecastJobRunner.flinkConfiguration(job).toMap());
        return session.run(List.of(events, forecasts, insert));
    }
}
