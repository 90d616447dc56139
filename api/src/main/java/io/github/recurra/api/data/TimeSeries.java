package io.github.recurra.api.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multivariate time series read from a CSV file, cut into sliding windows for forecasting. Each example is
 * {@code window} consecutive rows of the chosen input columns; its target is the chosen target columns
 * {@code horizon} rows after the window's last row ({@link Dataset.TargetKind#VALUES}). The rows are split in time
 * order into training, validation and test parts (no window crosses a split), and every column is standardised,
 * (v − mean) / std, with the mean and standard deviation of the training part only, so nothing about the later parts
 * leaks into training.
 *
 * @param train      windows from the first part of the series
 * @param validation windows from the middle part, or null when the validation fraction is 0
 * @param test       windows from the last part
 * @param mean       per column, fitted on the training rows
 * @param std        per column, fitted on the training rows (1 where a column is constant)
 * @param columns    the column names (from the header, or {@code c0, c1, ...})
 */
public record TimeSeries(Dataset train, Dataset validation, Dataset test, double[] mean, double[] std,
        List<String> columns) {

    /**
     * Reads a CSV time series: comma-separated, one row per time step, an optional header row of names (detected
     * when its first field is not a number), blank lines ignored. The chosen input and target columns must hold
     * finite numbers; other columns (a date, a label) are not read.
     *
     * @param file           the file
     * @param inputColumns   columns fed to the network, by name or index
     * @param targetColumns  columns to predict
     * @param window         rows per example, at least 1
     * @param horizon        how many rows after the window the target is, at least 1
     * @param trainFraction  share of rows for training, in (0, 1)
     * @param validFraction  share of rows for validation, in [0, 1 − trainFraction)
     * @return the three parts and the fitted normalisation
     * @throws IllegalArgumentException for a missing column, a non-numeric value in a chosen column (naming its row and
     *     column), rows of different lengths, too few rows for a window in some part, or a file that is not UTF-8
     *     text
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static TimeSeries readCsv(Path file, List<String> inputColumns, List<String> targetColumns, int window,
            int horizon, double trainFraction, double validFraction) {
        List<String[]> fields = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        List<String> names = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String[] f = line.split(",", -1);
                if (names == null && fields.isEmpty() && !isNumber(f[0].trim())) {
                    names = new ArrayList<>();
                    for (String s : f) {
                        String n = s.trim();
                        if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
                            n = n.substring(1, n.length() - 1);
                        }
                        names.add(n);
                    }
                    continue;
                }
                if (names != null && f.length != names.size()) {
                    throw new IllegalArgumentException(file + " line " + lineNo + " has " + f.length + " fields but "
                            + "the header names " + names.size() + " columns");
                }
                if (!fields.isEmpty() && f.length != fields.get(0).length) {
                    throw new IllegalArgumentException(file + " line " + lineNo + " has " + f.length + " fields but "
                            + "earlier rows have " + fields.get(0).length);
                }
                fields.add(f);
                lineNumbers.add(lineNo);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text (" + e + " after line "
                    + lineNumbers.size() + " of data); save it as UTF-8 CSV", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException(file + " has no data rows");
        }
        int cols = fields.get(0).length;
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i < cols; i++) {
                names.add("c" + i);
            }
        }
        if (!(trainFraction > 0 && trainFraction < 1) || !(validFraction >= 0 && trainFraction + validFraction < 1)) {
            throw new IllegalArgumentException("fractions must satisfy 0 < train < 1 and 0 <= validation < 1 - train "
                    + "but were " + trainFraction + " and " + validFraction);
        }
        if (window < 1 || horizon < 1) {
            throw new IllegalArgumentException("window and horizon must be at least 1 but were " + window + " and "
                    + horizon);
        }
        int[] in = indices(inputColumns, names, file);
        int[] out = indices(targetColumns, names, file);
        // only the chosen columns must be numbers: a date or a label column beside them is simply not read
        boolean[] used = new boolean[cols];
        for (int c : in) {
            used[c] = true;
        }
        for (int c : out) {
            used[c] = true;
        }
        List<double[]> rows = new ArrayList<>(fields.size());
        for (int k = 0; k < fields.size(); k++) {
            String[] f = fields.get(k);
            double[] v = new double[cols];
            for (int i = 0; i < cols; i++) {
                if (!used[i]) {
                    continue;
                }
                String s = f[i].trim();
                try {
                    v[i] = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + lineNumbers.get(k) + ", column '"
                            + names.get(i) + "': '" + s + "' is not a number");
                }
                if (!Double.isFinite(v[i])) {
                    throw new IllegalArgumentException(file + " line " + lineNumbers.get(k) + ", column '"
                            + names.get(i) + "': " + s + " is not finite; fill gaps before reading");
                }
            }
            rows.add(v);
        }
        int n = rows.size();
        int trainEnd = (int) Math.round(n * trainFraction);
        int validEnd = (int) Math.round(n * (trainFraction + validFraction));
        double[] mean = new double[cols];
        double[] std = new double[cols];
        for (int c = 0; c < cols; c++) {
            double s = 0;
            for (int i = 0; i < trainEnd; i++) {
                s += rows.get(i)[c];
            }
            mean[c] = s / trainEnd;
            double q = 0;
            for (int i = 0; i < trainEnd; i++) {
                double d = rows.get(i)[c] - mean[c];
                q += d * d;
            }
            std[c] = Math.sqrt(q / trainEnd);
            if (std[c] == 0) {
                std[c] = 1;
            }
        }
        Dataset train = windows(rows, 0, trainEnd, in, out, window, horizon, mean, std, "training", file);
        Dataset valid = validEnd > trainEnd
                ? windows(rows, trainEnd, validEnd, in, out, window, horizon, mean, std, "validation", file) : null;
        Dataset test = windows(rows, validEnd, n, in, out, window, horizon, mean, std, "test", file);
        return new TimeSeries(train, valid, test, mean, std, List.copyOf(names));
    }

    /**
     * Maps a standardised prediction of column {@code column} back to the data's units.
     *
     * @param column the column index
     * @param value  a standardised value
     * @return value · std + mean
     */
    public double denormalize(int column, double value) {
        return value * std[column] + mean[column];
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int[] indices(List<String> wanted, List<String> names, Path file) {
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("choose at least one column of " + names);
        }
        int[] idx = new int[wanted.size()];
        for (int i = 0; i < idx.length; i++) {
            String w = wanted.get(i);
            int at = names.indexOf(w);
            if (at < 0 && w.matches("\\d+") && Integer.parseInt(w) < names.size()) {
                at = Integer.parseInt(w);
            }
            if (at < 0) {
                throw new IllegalArgumentException(file + " has no column '" + w + "'; its columns are " + names);
            }
            idx[i] = at;
        }
        return idx;
    }

    private static Dataset windows(List<double[]> rows, int from, int to, int[] in, int[] out, int window,
            int horizon, double[] mean, double[] std, String part, Path file) {
        int count = to - from - window - horizon + 1;
        if (count < 1) {
            throw new IllegalArgumentException("the " + part + " part of " + file + " has " + (to - from) + " rows, "
                    + "too few for one window of " + window + " rows plus a horizon of " + horizon
                    + "; use more data, a shorter window or other fractions");
        }
        float[] x = new float[count * window * in.length];
        float[] y = new float[count * out.length];
        for (int e = 0; e < count; e++) {
            for (int t = 0; t < window; t++) {
                double[] row = rows.get(from + e + t);
                for (int j = 0; j < in.length; j++) {
                    x[(e * window + t) * in.length + j] = (float) ((row[in[j]] - mean[in[j]]) / std[in[j]]);
                }
            }
            double[] target = rows.get(from + e + window - 1 + horizon);
            for (int j = 0; j < out.length; j++) {
                y[e * out.length + j] = (float) ((target[out[j]] - mean[out[j]]) / std[out[j]]);
            }
        }
        return Dataset.builder(window, in.length).inputs(x).targets(y, out.length).build();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "TimeSeries{columns=" + columns + ", train=" + train.size() + ", validation="
                + (validation == null ? 0 : validation.size()) + ", test=" + test.size() + "}";
    }
}
