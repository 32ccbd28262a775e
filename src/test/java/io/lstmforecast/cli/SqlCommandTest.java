package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sql command runs the shipped script jobs/sensors/forecast.sql as docs/sql.md writes it. */
class SqlCommandTest {
    @Test
    void theShippedSensorsScriptForecastsEveryGeneratedEventOnTheEmbeddedBroker() {
        int events = 400;
        String out = stdout(
                "sql",
                "--kafka-port",
                "0",
                "--events",
                String.valueOf(events),
                "--entities",
                "8",
                "-f",
                "jobs/sensors/forecast.sql");
        // The tableau print: one "| +I | sensor | rowtime | step | ... |" line per row.
        List<String> rows = Arrays.stream(out.split("\n"))
                .filter(l -> l.startsWith("| +I |"))
                .toList();
        assertEquals(events, rows.size(), out.length() > 2000 ? out.substring(0, 2000) : out);
        for (String row : rows) {
            String[] cells = row.split("\\|");
            // cells: "", " +I ", sensor, rowtime, step, next, low, high, skill, alert, error
            assertEquals("<NULL>", cells[10].strip(), "no error: " + row);
            assertTrue(Double.isFinite(Double.parseDouble(cells[5].strip())), "a forecast: " + row);
        }
        long bounded = rows.stream()
                .filter(r -> !r.split("\\|")[6].strip().equals("<NULL>"))
                .count();
        assertTrue(bounded > events / 2, "intervals once every horizon step was scored: " + bounded);
    }

    @Test
    void aCommandLineWithoutSqlIsAUsageErrorSayingWhatToGive() {
        assertEquals(2, Main.execute("sql", "--kafka-port", "0"));
        assertEquals(2, Main.execute("sql", "-e", "SELECT 1", "-f", "x.sql"));
    }

    static String stdout(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
