package io.lstmforecast.sql;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * A streaming Flink SQL session with {@code LSTM_FORECAST} registered as a temporary system function, as a script run
 * by the {@code sql} command sees it. On a cluster, register it with {@code CREATE FUNCTION ... USING JAR} instead
 * (docs/sql.md).
 */
public final class SqlSession {
    private final TableEnvironment tables;

    public SqlSession(Map<String, String> flinkSettings) {
        tables = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(Configuration.fromMap(flinkSettings))
                .build());
        tables.createTemporarySystemFunction(LstmForecastFunction.NAME, LstmForecastFunction.class);
    }

    public TableEnvironment tables() {
        return tables;
    }

    /**
     * Runs the statements in order and returns the last one's result. A statement that starts a job (INSERT, or a
     * SELECT) does not wait for it: the caller waits on, prints or stops the result.
     */
    public TableResult run(List<String> statements) {
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("the script has no statements");
        }
        TableResult last = null;
        for (String s : statements) {
            last = tables.executeSql(s);
        }
        return last;
    }
}
