-- LSTM_FORECAST on a Flink cluster, registered with SQL alone, through Flink's own SQL Client (docs/sql.md,
-- "On a cluster"). From the repository's root, with the broker and cluster of scripts/kafka-broker and
-- scripts/flink-cluster:
--   scripts/flink-cluster sql-client -f jobs/sensors/forecast-cluster.sql
-- The paths are relative to the directory the SQL Client and the TaskManagers were started in (here, both the
-- repository's root); on a real cluster write the jar's and the model's full paths or URIs.
ADD JAR 'target/lstm-forecast-cluster.jar';
CREATE TEMPORARY SYSTEM FUNCTION LSTM_FORECAST AS 'io.lstmforecast.sql.LstmForecastFunction';

-- The events already in sensors.events, up to its end; the statement returns when the query has forecast them all
-- (drop 'scan.bounded.mode' and table.dml-sync to keep the query running on new events).
SET 'table.dml-sync' = 'true';
SET 'pipeline.name' = 'sensors-sql-forecast';

CREATE TABLE sensor_events (
  sensor STRING,
  ts TIMESTAMP_LTZ(3),
  temperature FLOAT,
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'sensors.events',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'sensors-sql',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- The partition column, LSTM_FORECAST's columns (docs/sql.md, "Output columns"), and the event time.
CREATE TABLE sensor_forecasts (
  sensor STRING,
  step BIGINT,
  actual MAP<STRING, FLOAT>,
  forecast MAP<STRING, ARRAY<FLOAT>>,
  lower_bound MAP<STRING, ARRAY<FLOAT>>,
  upper_bound MAP<STRING, ARRAY<FLOAT>>,
  previous_error MAP<STRING, FLOAT>,
  mae MAP<STRING, FLOAT>,
  baseline STRING,
  baseline_forecast MAP<STRING, ARRAY<FLOAT>>,
  model_forecast MAP<STRING, ARRAY<FLOAT>>,
  weight ARRAY<FLOAT>,
  skill MAP<STRING, ARRAY<FLOAT>>,
  alert BOOLEAN,
  alert_score FLOAT,
  alert_likelihood DOUBLE,
  model_name STRING,
  model_version STRING,
  error STRING,
  rowtime TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'sensors.sql-forecasts',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

INSERT INTO sensor_forecasts
SELECT * FROM LSTM_FORECAST(
  input => TABLE sensor_events PARTITION BY sensor,
  on_time => DESCRIPTOR(ts),
  model => 'jobs/sensors/model',
  uid => 'sensors-forecast');
