package io.lstmforecast.io;

import io.lstmforecast.generate.GeneratedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Events from a CSV file, for the producer and for training: below both, so training reads the same format without
 * depending on the local demo.
 */
public final class EventCsv {
    private EventCsv() {}

    /**
     * Events from a CSV file whose header is {@code entity,timestamp,<feature>...}; timestamps are
     * epoch milliseconds or ISO-8601 (a time without offset is UTC, a space may stand for the T).
     */
    public static Iterator<GeneratedEvent> read(Path csv, int features) throws IOException {
        BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        String header = in.readLine();
        if (header == null || header.split(",").length != 2 + features) {
            in.close();
            throw new IllegalArgumentException(csv + " must start with a header 'entity,timestamp,' and " + features
                    + " feature column(s), one per model feature");
        }
        return new Iterator<>() {
            String line = readLine(in);
            int lineNo = 2;

            @Override
            public boolean hasNext() {
                return line != null;
            }

            @Override
            public GeneratedEvent next() {
                if (line == null) {
                    throw new NoSuchElementException();
                }
                String[] cells = line.split(",");
                if (cells.length != 2 + features) {
                    throw new IllegalArgumentException(
                            csv + " line " + lineNo + " has " + cells.length + " cells, not " + (2 + features));
                }
                float[] values = new float[features];
                try {
                    for (int i = 0; i < features; i++) {
                        values[i] = Float.parseFloat(cells[2 + i].trim());
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(csv + " line " + lineNo + " has a feature that is not a number");
                }
                GeneratedEvent event =
                        new GeneratedEvent(cells[0].trim(), timestamp(cells[1].trim(), csv, lineNo), values);
                line = readLine(in);
                lineNo++;
                return event;
            }
        };
    }

    private static String readLine(BufferedReader in) {
        try {
            String l;
            while ((l = in.readLine()) != null && l.isBlank()) {
                // skip blank lines
            }
            if (l == null) {
                in.close();
            }
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long timestamp(String text, Path csv, int lineNo) {
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        String iso = text.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(csv + " line " + lineNo + ": timestamp '" + text
                        + "' is neither epoch milliseconds nor ISO-8601");
            }
        }
    }
}
