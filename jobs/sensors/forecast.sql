-- LSTM_FORECAST over the sensors job's events, as docs/sql.md shows it. On this machine (embedded broker):
--   java -jar target/lstm-forecast.jar sql --events 2000 -f jobs/sensors/forecast.sql
-- ${bootstrap}, ${events_topic} and ${model} are filled in by the sql command; forecast-cluster.sql is the same query
-- for Flink's own SQL Client on a cluster, with the values written out.
CREATE TABLE sensor_events (
  sensor STRING,
  ts TIMESTAMP_LTZ(3),
  temperature FLOAT,
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${events_topic}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = 'sensors-sql',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

SELECT sensor, rowtime, step,
       forecast['temperature'][1] AS next_temperature,
       lower_bound['temperature'][1] AS low,
       upper_bound['temperature'][1] AS high,
       skill['temperature'][1] AS skill,
       alert, error
FROM LSTM_FORECAST(
  input => TABLE sensor_events PARTITION BY sensor,
  on_time => DESCRIPTOR(ts),
  model => '${model}',
  uid => 'sensors-forecast');
