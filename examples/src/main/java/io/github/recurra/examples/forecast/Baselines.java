package io.github.recurra.examples.forecast;

/**
 * The naive forecasts a model has to beat. With a season of {@code m} steps (12 for monthly data, 365 for daily
 * data with a yearly cycle), the seasonal naive forecast of a value is the value one season earlier; with
 * {@code m = 1} it is persistence (tomorrow as today).
 */
public final class Baselines {

    private Baselines() {
    }

    /**
     * One step ahead: each forecast may look at every true value before it, so the forecast of {@code y[t]} is
     * {@code y[t − m]}.
     *
     * @param values the whole series
     * @param from   index of the first value to forecast, at least {@code m}
     * @param count  how many consecutive values to forecast
     * @param season the season length m, at least 1
     * @return the forecasts of {@code values[from .. from + count − 1]}
     * @throws IllegalArgumentException if the range leaves the series or starts less than a season in
     */
    public static double[] seasonalNaiveOneStep(double[] values, int from, int count, int season) {
        check(values, from, count, season);
        double[] f = new double[count];
        for (int k = 0; k < count; k++) {
            f[k] = values[from + k - season];
        }
        return f;
    }

    /**
     * Many steps ahead from a fixed origin: only the values before {@code origin} are known, so the last known
     * season is repeated: the forecast of {@code y[origin + k]} is {@code y[origin + k − m · (⌊k / m⌋ + 1)]}.
     *
     * @param values the whole series
     * @param origin index of the first value to forecast, at least {@code m}
     * @param count  how many consecutive values to forecast
     * @param season the season length m, at least 1
     * @return the forecasts of {@code values[origin .. origin + count − 1]}
     * @throws IllegalArgumentException if the range leaves the series or starts less than a season in
     */
    public static double[] seasonalNaiveMultiStep(double[] values, int origin, int count, int season) {
        check(values, origin, count, season);
        double[] f = new double[count];
        for (int k = 0; k < count; k++) {
            f[k] = values[origin + k - season * (k / season + 1)];
        }
        return f;
    }

    private static void check(double[] values, int from, int count, int season) {
        if (season < 1 || count < 1) {
            throw new IllegalArgumentException("season and count must be at least 1 but were " + season + " and "
                    + count);
        }
        if (from < season || from + count > values.length) {
            throw new IllegalArgumentException("cannot forecast values " + from + " to " + (from + count - 1) + " of a "
                    + "series of " + values.length + " with a season of " + season + "; the range must lie in the "
                    + "series and start at least one season in");
        }
    }
}
