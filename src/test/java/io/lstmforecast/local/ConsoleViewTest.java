package io.lstmforecast.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.Forecast;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleViewTest {
    private static Forecast forecast(String entity, String baseline, float[] skill) {
        return new Forecast(
                entity,
                1000L,
                "m",
                "1",
                7,
                List.of("x"),
                2,
                new float[] {1},
                new float[] {2, 3},
                new float[] {0.5f},
                new float[] {0.4f},
                new float[] {0.6f},
                null,
                null,
                baseline,
                baseline == null ? null : new float[] {1, 1},
                skill == null ? null : new float[] {0.1f, 0.2f},
                skill,
                null,
                null);
    }

    @Test
    void eachEntitysRowShowsItsOneStepSkillOrADashBeforeItIsScored() {
        ConsoleView view = new ConsoleView(10);
        view.onForecast(forecast("winner", "persistence", new float[] {0.25f, Float.NaN}));
        view.onForecast(forecast("loser", "persistence", new float[] {-0.5f, -0.1f}));
        view.onForecast(forecast("learning", "persistence", null));
        view.onForecast(forecast("plain", null, null));
        String text = view.render("demo");
        assertTrue(text.contains(" skill "), text);
        assertTrue(text.contains("skill: one step, vs persistence"), text);
        String[] lines = text.split("\n");
        assertTrue(row(lines, "winner").contains(" +0.25 "), text);
        assertTrue(row(lines, "loser").contains(" -0.50 "), text);
        assertTrue(row(lines, "learning").matches(".*0\\.400 +- +2\\.00.*"), text);
        assertTrue(row(lines, "plain").matches(".*0\\.400 +- +2\\.00.*"), text);
    }

    private static String row(String[] lines, String entity) {
        for (String l : lines) {
            if (l.startsWith(entity + " ")) {
                return l;
            }
        }
        throw new AssertionError("no row for " + entity);
    }
}
