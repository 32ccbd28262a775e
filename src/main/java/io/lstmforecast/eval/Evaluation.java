package io.lstmforecast.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One evaluation's outcome: the Markdown table people read and the headline figures scripts read.
 *
 * @param table   Markdown, ending with a line break
 * @param figures by the key the JSON file holds them under, in the order they are written
 */
public record Evaluation(String table, Map<String, Object> figures) {

    /** Appends the table to a Markdown report, creating the file if needed. */
    public void appendTo(Path report) throws IOException {
        Files.writeString(report, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Writes the figures as one pretty-printed JSON object. */
    public void writeFigures(Path json) throws IOException {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), figures);
    }
}
