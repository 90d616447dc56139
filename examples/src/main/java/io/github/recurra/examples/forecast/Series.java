package io.github.recurra.examples.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One dated numeric column of a table: the series a forecaster reads. Immutable (the values are copied in and out);
 * there must be one date per value and at least one value.
 *
 * @param name    what the values are, for reports ("CO2 at Mauna Loa")
 * @param unit    their unit ("ppm")
 * @param cadence how often they are sampled
 * @param dates   one date per value, increasing
 * @param values  the values, finite
 */
public record Series(String name, String unit, Cadence cadence, List<LocalDate> dates, double[] values) {

    /**
     * Copies the dates and values in.
     *
     * @param name    what the values are
     * @param unit    their unit
     * @param cadence how often they are sampled
     * @param dates   one date per value, increasing
     * @param values  the values, at least one
     * @throws IllegalArgumentException if dates and values differ in number or there are none
     */
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(cadence, "cadence");
        dates = List.copyOf(dates);
        values = values.clone();
        if (dates.size() != values.length || values.length == 0) {
            throw new IllegalArgumentException("a series needs one date per value and at least one value but has "
                    + dates.size() + " dates and " + values.length + " values");
        }
    }

    /** @return a copy of the values */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** @return how many values */
    public int size() {
        return values.length;
    }

    /**
     * Reads a date column and a number column of a comma-separated file with a header row. Fields are split at every
     * comma (no quoted fields); other columns may hold anything.
     *
     * @param file        the file
     * @param dateColumn  the header name of the dates, ISO {@code yyyy-MM-dd}
     * @param valueColumn the header name of the values
     * @param cadence     how often the rows are sampled
     * @param name        what the values are
     * @param unit        their unit
     * @return the series, in the file's order
     * @throws IllegalArgumentException if a column is missing, a field is not a date or a finite number (naming the
     *     line), or the dates do not increase
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Series readCsv(Path file, String dateColumn, String valueColumn, Cadence cadence, String name,
            String unit) {
        List<LocalDate> dates = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty; expected a header row naming " + dateColumn
                        + " and " + valueColumn);
            }
            List<String> names = Arrays.asList(header.replace("\uFEFF", "").split(",", -1));
            int d = column(names, dateColumn, file);
            int v = column(names, valueColumn, file);
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != names.size()) {
                    throw new IllegalArgumentException(file + " line " + lineNo + " has " + f.length + " fields but "
                            + "the header names " + names.size() + " columns");
                }
                LocalDate date;
                try {
                    date = LocalDate.parse(f[d].trim());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ", column '" + dateColumn + "': '"
                            + f[d] + "' is not a date of the form 2012-01-31");
                }
                if (!dates.isEmpty() && !date.isAfter(dates.get(dates.size() - 1))) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": date " + date + " does not come "
                            + "after the previous row's " + dates.get(dates.size() - 1) + "; sort the rows by date");
                }
                double x;
                try {
                    x = Double.parseDouble(f[v].trim());
                } catch (NumberFormatException e) {
                    x = Double.NaN;
                }
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ", column '" + valueColumn + "': '"
                            + f[v] + "' is not a finite number; fill gaps before reading");
                }
                dates.add(date);
                values.add(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(file + " has a header but no data rows");
        }
        return new Series(name, unit, cadence, dates, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static int column(List<String> names, String wanted, Path file) {
        int at = names.indexOf(wanted);
        if (at < 0) {
            throw new IllegalArgumentException(file + " has no column '" + wanted + "'; its header names " + names);
        }
        return at;
    }

    /**
     * The longest stretch of consecutive rows in which each date is one step ({@link Cadence#next}) after the
     * previous one; the latest such stretch if several are equally long. A series with gaps is cut to it, so that
     * every step of the network is one step of time.
     *
     * @return that stretch (this series if it has no gaps)
     */
    public Series longestRegularRun() {
        int bestFrom = 0;
        int bestLength = 1;
        int from = 0;
        for (int i = 1; i <= values.length; i++) {
            if (i == values.length || !cadence.next(dates.get(i - 1)).equals(dates.get(i))) {
                if (i - from >= bestLength) {
                    bestFrom = from;
                    bestLength = i - from;
                }
                from = i;
            }
        }
        if (bestLength == values.length) {
            return this;
        }
        return new Series(name, unit, cadence, dates.subList(bestFrom, bestFrom + bestLength),
                Arrays.copyOfRange(values, bestFrom, bestFrom + bestLength));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && unit.equals(s.unit) && cadence == s.cadence
                && dates.equals(s.dates) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, unit, cadence, dates, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return name + " (" + unit + "), " + values.length + " " + cadence.steps() + " from " + dates.get(0) + " to "
                + dates.get(values.length - 1);
    }
}
