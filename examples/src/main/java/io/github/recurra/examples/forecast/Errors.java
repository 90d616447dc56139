package io.github.recurra.examples.forecast;

/**
 * How far a forecast is from the truth, in the data's units: mean absolute error, mean |f − y|, and root mean
 * squared error, √(mean (f − y)²).
 *
 * @param mae  mean absolute error
 * @param rmse root mean squared error
 */
public record Errors(double mae, double rmse) {

    /**
     * @param forecast the forecasts
     * @param truth    the true values, as many as the forecasts
     * @return the errors over all of them
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold NaN or infinite values
     */
    public static Errors of(double[] forecast, double[] truth) {
        if (forecast.length != truth.length || forecast.length == 0) {
            throw new IllegalArgumentException("a forecast of " + forecast.length + " values cannot be scored "
                    + "against " + truth.length + " true values; give as many of each, at least one");
        }
        double abs = 0;
        double sq = 0;
        for (int i = 0; i < forecast.length; i++) {
            double e = forecast[i] - truth[i];
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("forecast " + forecast[i] + " or true value " + truth[i] + " at "
                        + "index " + i + " is not finite; a diverged model cannot be scored");
            }
            abs += Math.abs(e);
            sq += e * e;
        }
        return new Errors(abs / forecast.length, Math.sqrt(sq / forecast.length));
    }
}
