package io.lstmforecast.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void semicolonsInQuotesAndCommentsDoNotEndAStatement() {
        String script = "-- a comment; not a statement\n"
                + "CREATE TABLE t (a STRING) WITH ('x' = 'a;b', 'y' = 'it''s; fine');\n"
                + "/* block; comment */ SELECT `odd;name` FROM t;\n\n";
        assertEquals(
                List.of(
                        "CREATE TABLE t (a STRING) WITH ('x' = 'a;b', 'y' = 'it''s; fine')",
                        "SELECT `odd;name` FROM t"),
                SqlScript.statements(script, Map.of()));
    }

    @Test
    void variablesAreReplacedAndAnUnknownOneIsNamed() {
        assertEquals(
                List.of("SELECT '127.0.0.1:9092'"),
                SqlScript.statements("SELECT '${bootstrap}';", Map.of("bootstrap", "127.0.0.1:9092")));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SqlScript.statements("SELECT '${modle}'", Map.of("model", "/m")));
        assertTrue(e.getMessage().contains("${modle}") && e.getMessage().contains("[model]"), e.getMessage());
    }

    @Test
    void aCombineArgumentIsRefusedUntilTheSettingExistsAndBadValuesGiveTheJobsSentence() {
        ForecastArguments combine = new ForecastArguments("/m", null, null, null, null, null, null, "mean");
        assertTrue(assertThrows(IllegalArgumentException.class, combine::policy)
                .getMessage()
                .contains("combine"));
        ForecastArguments coverage = new ForecastArguments("/m", null, 1.5, null, null, null, null, null);
        assertTrue(assertThrows(IllegalArgumentException.class, coverage::policy)
                .getMessage()
                .startsWith("job setting intervals.coverage"));
        ForecastArguments ttl = new ForecastArguments("/m", null, null, null, null, null, "soon", null);
        assertTrue(assertThrows(IllegalArgumentException.class, ttl::ttl)
                .getMessage()
                .contains("state-ttl"));
    }
}
