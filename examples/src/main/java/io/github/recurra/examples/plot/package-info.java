/**
 * Charts and tables of numbers the command-line tool writes: {@link io.github.recurra.examples.plot.Plots} draws
 * line charts as PNG files (XChart, headless), {@link io.github.recurra.examples.plot.HistoryFiles} turns a training
 * run's history into {@code loss.png}, {@code accuracy.png} and {@code history.csv}. Depends on api and the two
 * libraries (XChart, commons-csv), not on the tool's commands.
 */
package io.github.recurra.examples.plot;
