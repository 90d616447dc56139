package io.github.recurra.examples.plot;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts written as PNG files (XChart, headless). A minimal version for the forecasting demo; the charts of the
 * training history share it.
 */
public final class Plots {

    /** Dark grey for the first series (the data), then colours that stay apart in print and for most eyes. */
    private static final Color[] COLOURS = {new Color(40, 40, 40), new Color(230, 97, 1), new Color(27, 120, 200),
        new Color(0, 158, 115), new Color(204, 121, 167), new Color(240, 200, 0)};

    private Plots() {
    }

    /**
     * One line of a chart: as many x values as y values, at least one.
     *
     * @param name the legend entry
     * @param x    the x values, increasing
     * @param y    the y values, as many as {@code x}; NaN leaves a gap
     */
    public record Series(String name, double[] x, double[] y) {
        /**
         * @param name the legend entry
         * @param x    the x values
         * @param y    the y values
         * @throws IllegalArgumentException unless x and y have the same length, at least 1
         */
        public Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and "
                        + y.length + " y values; give as many of each, at least one");
            }
        }
    }

    /**
     * Draws the series as lines without markers on one chart, 1000 × 600 pixels, and writes it as PNG.
     *
     * @param png    the file to write, exactly this name (replaced if it exists)
     * @param title  the chart's title
     * @param xTitle the x axis title
     * @param yTitle the y axis title
     * @param series the lines, drawn in this order
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void lines(Path png, String title, String xTitle, String yTitle, List<Series> series) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(0)
                .setChartBackgroundColor(Color.WHITE).setSeriesColors(COLOURS);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        for (Series s : series) {
            XYSeries line = chart.addSeries(s.name(), s.x(), s.y());
            line.setMarker(SeriesMarkers.NONE);
            line.setLineWidth(1.6f);
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
