package io.github.recurra.examples.forecast;

import java.time.LocalDate;

/** How often a series is sampled, and the yearly cycle that goes with it. */
public enum Cadence {
    /** One value per month (dated the first of the month); a season of 12 steps. */
    MONTHLY(12, "months"),
    /** One value per day; a season of 365 steps. */
    DAILY(365, "days");

    private final int season;
    private final String steps;

    Cadence(int season, String steps) {
        this.season = season;
        this.steps = steps;
    }

    /** @return steps per year, the seasonal-naive lag: 12 or 365 */
    public int season() {
        return season;
    }

    /** @return the plural name of one step ("months", "days"), for messages */
    public String steps() {
        return steps;
    }

    /**
     * @param date a date of the series
     * @return the date one step later
     */
    public LocalDate next(LocalDate date) {
        return switch (this) {
            case MONTHLY -> date.plusMonths(1);
            case DAILY -> date.plusDays(1);
        };
    }

    /**
     * Where a date lies in its year, as a fraction in [0, 1): (month − 1) / 12, or (day of year − 1) / days in
     * the year. The network reads it as sin and cos of 2π times this.
     *
     * @param date a date
     * @return the fraction of the year before it
     */
    public double phase(LocalDate date) {
        return switch (this) {
            case MONTHLY -> (date.getMonthValue() - 1) / 12.0;
            case DAILY -> (date.getDayOfYear() - 1) / (double) date.lengthOfYear();
        };
    }

    /**
     * @param date a date
     * @return the date as a decimal year (2010.0 for 1 January 2010), the x axis of the charts
     */
    public static double decimalYear(LocalDate date) {
        return date.getYear() + (date.getDayOfYear() - 1) / (double) date.lengthOfYear();
    }
}
