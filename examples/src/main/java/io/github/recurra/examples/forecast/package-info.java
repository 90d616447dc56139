/**
 * Forecasting one time series with a recurrent network: the series ({@link
 * io.github.recurra.examples.forecast.Series}), the next-step forecaster and its one-step and multi-step (streamed)
 * forecasts ({@link io.github.recurra.examples.forecast.Forecaster}), the seasonal naive baselines and the error
 * measures. Used by {@code recurra forecast}; depends on the api only.
 */
package io.github.recurra.examples.forecast;
