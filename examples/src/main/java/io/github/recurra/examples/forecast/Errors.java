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
        Sum sum = new Sum();
        for (int i = 0; i < forecast.length; i++) {
            if (!Double.isFinite(forecast[i] - truth[i])) {
                throw new IllegalArgumentException("forecast " + forecast[i] + " or true value " + truth[i] + " at "
                        + "index " + i + " is not finite; a diverged model cannot be scored");
            }
            sum.add(forecast[i], truth[i]);
        }
        return sum.errors();
    }

    /** Sums of absolute and squared errors, one forecast at a time; the one place MAE and RMSE are computed. */
    public static final class Sum {
        private double abs;
        private double sq;
        private long n;

        /** An empty sum. */
        public Sum() {
        }

        /**
         * @param forecast a forecast
         * @param truth    its true value
         */
        public void add(double forecast, double truth) {
            double e = forecast - truth;
            abs += Math.abs(e);
            sq += e * e;
            n++;
        }

        /**
         * @return the errors over every value added
         * @throws IllegalStateException if none was
         */
        public Errors errors() {
            if (n == 0) {
                throw new IllegalStateException("no forecast was scored");
            }
            return new Errors(abs / n, Math.sqrt(sq / n));
        }
    }
}
