package io.lstmforecast.sql;

import io.lstmforecast.event.DeadLetterReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.Row;

/**
 * Where LSTM_FORECAST finds an input row's entity and features: the partition key columns, and either one numeric
 * column per model feature (matched by name, case-insensitively) or one numeric array column {@code values} in the
 * model's feature order.
 */
final class Columns {
    static final String VALUES = "values";

    private final int[] entity;
    /** Column of each feature, or null when the features come from the values array. */
    private final int[] featureColumns;

    private final int valuesColumn;
    private final List<String> features;

    /** Why a row cannot be applied: the dead-letter reason the job would give, and what was wrong. */
    record Rejection(DeadLetterReason reason, String detail) {}

    private Columns(int[] entity, int[] featureColumns, int valuesColumn, List<String> features) {
        this.entity = entity;
        this.featureColumns = featureColumns;
        this.valuesColumn = valuesColumn;
        this.features = List.copyOf(features);
    }

    /** Throws {@link IllegalArgumentException} saying what the input lacks when it has neither form. */
    static Columns resolve(DataType input, int[] partitionBy, List<String> features) {
        List<String> names = DataType.getFieldNames(input);
        List<DataType> types = DataType.getFieldDataTypes(input);
        int[] byName = new int[features.size()];
        boolean all = true;
        for (int f = 0; f < byName.length; f++) {
            byName[f] = indexOf(names, features.get(f));
            all &= byName[f] >= 0;
        }
        if (all) {
            return new Columns(partitionBy, byName, -1, features);
        }
        int values = indexOf(names, VALUES);
        if (values >= 0 && types.get(values).getLogicalType().is(LogicalTypeRoot.ARRAY)) {
            return new Columns(partitionBy, null, values, features);
        }
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < byName.length; f++) {
            if (byName[f] < 0) {
                missing.add(features.get(f));
            }
        }
        throw new IllegalArgumentException("LSTM_FORECAST: the input table has no column for the model's feature(s) "
                + missing + " and no array column '" + VALUES + "'; its columns are " + names
                + ". Name the columns after the model's features " + features + " (e.g. SELECT temp AS "
                + missing.get(0)
                + ") or pass them as ARRAY[...] AS " + VALUES);
    }

    int featureCount() {
        return features.size();
    }

    /** The entity id: the partition key's value as text (several keys joined by '|'), or null when one is null. */
    String entity(Row row) {
        if (entity.length == 1) {
            Object v = row.getField(entity[0]);
            return v == null ? null : v.toString();
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < entity.length; i++) {
            Object v = row.getField(entity[i]);
            if (v == null) {
                return null;
            }
            id.append(i == 0 ? "" : "|").append(v);
        }
        return id.toString();
    }

    /** Fills {@code into} with the row's features; returns null, or why the row cannot be applied. */
    Rejection features(Row row, float[] into) {
        if (featureColumns == null) {
            return fromArray(row.getField(valuesColumn), into);
        }
        for (int f = 0; f < into.length; f++) {
            Rejection r = put(row.getField(featureColumns[f]), into, f);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private Rejection fromArray(Object array, float[] into) {
        if (array == null) {
            return new Rejection(DeadLetterReason.MISSING_FIELD, "the " + VALUES + " array is null");
        }
        Object[] values = boxed(array);
        if (values.length != into.length) {
            return new Rejection(
                    DeadLetterReason.WRONG_FEATURE_COUNT,
                    "the " + VALUES + " array has " + values.length + " element(s); the model reads " + into.length
                            + " " + features);
        }
        for (int f = 0; f < into.length; f++) {
            Rejection r = put(values[f], into, f);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private Rejection put(Object v, float[] into, int f) {
        if (v == null) {
            return new Rejection(DeadLetterReason.MISSING_FIELD, "feature " + features.get(f) + " is null");
        }
        float x = ((Number) v).floatValue();
        if (!Float.isFinite(x)) {
            return new Rejection(
                    DeadLetterReason.NON_FINITE,
                    "feature " + features.get(f) + " is " + v + ", not a finite 32-bit float");
        }
        into[f] = x;
        return null;
    }

    private static Object[] boxed(Object array) {
        if (array instanceof Object[] objects) {
            return objects;
        }
        int n = java.lang.reflect.Array.getLength(array);
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = java.lang.reflect.Array.get(array, i);
        }
        return out;
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }
}
