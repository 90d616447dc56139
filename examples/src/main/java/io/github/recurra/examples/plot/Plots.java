package io.github.recurra.examples.plot;

import io.github.recurra.api.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts written as PNG files: {@value #WIDTH}×{@value #HEIGHT} pixels, white background, a title, both axis
 * titles, a legend below the plot, fonts of 13 to 18 points and colours from the Okabe–Ito palette (distinct for
 * colour-blind readers too). Rendering is headless ({@code java.awt.headless=true} is set before the first chart), so
 * it works on a server without a display. Files are written atomically ({@link AtomicFiles}): a reader sees the old
 * chart or the new one.
 *
 * <p>Points whose x or y is not finite (NaN, for example the accuracy of a regression) are left out; a series with no
 * finite point is left out of the chart; a chart with nothing left to draw is an error.
 */
public final class Plots {
    /** Width of every chart, in pixels. */
    public static final int WIDTH = 900;
    /** Height of every chart, in pixels. */
    public static final int HEIGHT = 540;
    /** {@link #lines} draws a series of at most this many points with a marker on each point. */
    public static final int MARKER_LIMIT = 50;

    /** Okabe–Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, black, yellow. */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xD55E00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};
    private static final Color FAINT = new Color(0x80, 0x80, 0x80, 0x70);
    private static final String FONT = Font.SANS_SERIF;

    private Plots() {
    }

    /**
     * One line of a chart: the points (x[i], y[i]).
     *
     * @param name the legend entry, not blank
     * @param x    the x values (not copied: do not change them until the chart is written)
     * @param y    the y values, as many as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {
        /** Checks the name and that x and y have the same length. */
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a series needs a name for the legend but was given a blank one");
            }
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but "
                        + y.length + " y values; give one y per x");
            }
        }

        /**
         * @param name the legend entry
         * @param y    the y values; x is 1, 2, ..., y.length
         * @return the series
         */
        public static Series of(String name, double[] y) {
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            return new Series(name, x, y);
        }
    }

    /** How a series is drawn. */
    public enum Style {
        /** A solid line, no markers (for long series). */
        LINE,
        /** A solid line with a marker on every point (for short series). */
        LINE_AND_MARKERS,
        /** A thin grey translucent line behind the others (raw values under a smoothed line). */
        FAINT,
        /** Large markers joined by a thin dashed line (sparse measurements such as validation scores). */
        MARKERS
    }

    /**
     * A series and how to draw it.
     *
     * @param series the data
     * @param style  how it is drawn
     */
    public record Plot(Series series, Style style) {
        /** Checks that nothing is missing. */
        public Plot {
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(style, "style");
        }
    }

    /**
     * A chart: titles and the series, drawn in order (later ones on top). Series other than {@link Style#FAINT} take
     * the palette's colours in order.
     *
     * @param title  the chart's title
     * @param xTitle the x axis' title (with its unit)
     * @param yTitle the y axis' title
     * @param plots  the series, at least one, with distinct names
     * @param logY   whether the y axis is logarithmic (then every drawn y must be positive)
     */
    public record Figure(String title, String xTitle, String yTitle, List<Plot> plots, boolean logY) {
        /** Checks the titles and the series, and copies the list. */
        public Figure {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(xTitle, "xTitle");
            Objects.requireNonNull(yTitle, "yTitle");
            plots = List.copyOf(plots);
            if (plots.isEmpty()) {
                throw new IllegalArgumentException("chart '" + title + "' has no series; give at least one");
            }
            Set<String> names = new HashSet<>();
            for (Plot p : plots) {
                if (!names.add(p.series().name())) {
                    throw new IllegalArgumentException("chart '" + title + "' has two series named '"
                            + p.series().name() + "'; the legend needs distinct names");
                }
            }
        }
    }

    /**
     * Writes a line chart: each series a solid line, with a marker on each point when it has at most
     * {@value #MARKER_LIMIT} points.
     *
     * @param png    the file to write (its directory must exist); replaced atomically
     * @param title  the chart's title
     * @param xTitle the x axis' title
     * @param yTitle the y axis' title
     * @param series the lines, at least one, with distinct names
     * @throws IllegalArgumentException if there is no series, two have the same name, or no series has a finite point
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static void lines(Path png, String title, String xTitle, String yTitle, List<Series> series) {
        List<Plot> plots = new ArrayList<>();
        for (Series s : series) {
            plots.add(new Plot(s, s.x().length <= MARKER_LIMIT ? Style.LINE_AND_MARKERS : Style.LINE));
        }
        write(png, new Figure(title, xTitle, yTitle, plots, false));
    }

    /**
     * Writes a chart as PNG.
     *
     * @param png    the file to write (its directory must exist); replaced atomically
     * @param figure what to draw
     * @throws IllegalArgumentException if no series has a finite point, or a logarithmic axis gets a y that is not
     *                                  positive
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static void write(Path png, Figure figure) {
        Objects.requireNonNull(png, "png");
        XYChart chart = chart(figure);
        Path dir = png.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException("cannot write chart " + png + ": directory " + dir
                    + " does not exist; create it first"));
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Draws a chart in memory (what {@link #write} encodes).
     *
     * @param figure what to draw
     * @return a new {@value #WIDTH}×{@value #HEIGHT} image
     * @throws IllegalArgumentException as {@link #write}
     */
    public static BufferedImage render(Figure figure) {
        return BitmapEncoder.getBufferedImage(chart(figure));
    }

    private static XYChart chart(Figure f) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(f.title()).xAxisTitle(f.xTitle())
                .yAxisTitle(f.yTitle()).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(f.logY());
        int colour = 0;
        int drawn = 0;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (Plot p : f.plots()) {
            double[][] xy = finite(p.series());
            if (xy[0].length == 0) {
                continue;
            }
            if (f.logY()) {
                for (double y : xy[1]) {
                    if (!(y > 0)) {
                        throw new IllegalArgumentException("chart '" + f.title() + "' has a logarithmic y axis but "
                                + "series '" + p.series().name() + "' has y = " + y + "; use a linear axis");
                    }
                }
            }
            for (double x : xy[0]) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
            XYSeries s = chart.addSeries(p.series().name(), xy[0], xy[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            Color c = p.style() == Style.FAINT ? FAINT : PALETTE[colour++ % PALETTE.length];
            s.setLineColor(c);
            s.setMarkerColor(c);
            switch (p.style()) {
                case LINE -> {
                    s.setMarker(SeriesMarkers.NONE);
                    s.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                }
                case LINE_AND_MARKERS -> {
                    s.setMarker(SeriesMarkers.CIRCLE);
                    s.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                }
                case FAINT -> {
                    s.setMarker(SeriesMarkers.NONE);
                    s.setLineStyle(new BasicStroke(1.0f));
                }
                case MARKERS -> {
                    s.setMarker(SeriesMarkers.DIAMOND);
                    s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {5f, 4f}, 0f));
                }
            }
            drawn++;
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("chart '" + f.title() + "' has no finite point in any series; "
                    + "nothing to draw");
        }
        if (xMax > xMin) {
            // a margin of 1% on each side: points off the plot's border, and (as the x values are then not all
            // equally spaced) XChart places ticks at round numbers instead of at every k-th point, where its labels
            // of 3-digit steps touched each other
            chart.getStyler().setXAxisMin(xMin - 0.01 * (xMax - xMin));
            chart.getStyler().setXAxisMax(xMax + 0.01 * (xMax - xMin));
        }
        return chart;
    }

    private static void style(XYStyler st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0x606060));
        st.setPlotGridLinesColor(new Color(0xDDDDDD));
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setChartFontColor(new Color(0x202020));
        st.setChartTitleFont(new Font(FONT, Font.BOLD, 18));
        st.setChartTitleBoxVisible(false);
        st.setAxisTitleFont(new Font(FONT, Font.PLAIN, 15));
        st.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 13));
        st.setLegendFont(new Font(FONT, Font.PLAIN, 13));
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setLegendSeriesLineLength(28);
        st.setMarkerSize(8);
        st.setXAxisTickMarkSpacingHint(90);
        st.setYAxisTickMarkSpacingHint(50);
        st.setXAxisMaxLabelCount(12);
        // no grouping separators on x: years (2010, not 2,010) and step numbers read as plain numbers
        st.setXAxisDecimalPattern("0.##");
        st.setChartPadding(14);
        st.setAntiAlias(true);
        st.setLocale(Locale.ROOT);
    }

    /** @return the series' points with a finite x and y, as {x, y} */
    private static double[][] finite(Series s) {
        int n = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                n++;
            }
        }
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                x[k] = s.x()[i];
                y[k++] = s.y()[i];
            }
        }
        return new double[][] {x, y};
    }
}
