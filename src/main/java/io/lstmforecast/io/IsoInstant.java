package io.lstmforecast.io;

import java.time.Instant;

/**
 * Epoch milliseconds as {@link Instant#toString()} writes them ({@code 2026-12-01T03:04:05.678Z}, the fraction left out
 * when it is zero), by integer arithmetic. Every forecast record carries one, and {@code Instant.toString} (a
 * DateTimeFormatter walk) was an eighth of writing a forecast (docs/PERFORMANCE.md). Years outside 0000-9999, which
 * Instant writes with a sign or more digits, are left to Instant.
 */
final class IsoInstant {
    private static final long MIN = -62_167_219_200_000L; // 0000-01-01T00:00:00Z
    private static final long MAX = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoInstant() {}

    static String of(long epochMillis) {
        if (epochMillis < MIN || epochMillis > MAX) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted): eras of 400 years from
        // 0000-03-01, so the leap day is the last day of its year.
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        int millis = millisOfDay % 1000;
        int seconds = millisOfDay / 1000;
        char[] text = new char[millis == 0 ? 20 : 24];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, month, 2);
        text[7] = '-';
        digits(text, 8, dayOfMonth, 2);
        text[10] = 'T';
        digits(text, 11, seconds / 3600, 2);
        text[13] = ':';
        digits(text, 14, seconds / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, seconds % 60, 2);
        if (millis != 0) {
            text[19] = '.';
            digits(text, 20, millis, 3);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
