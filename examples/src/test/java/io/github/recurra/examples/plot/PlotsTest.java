package io.github.recurra.examples.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts: PNG files of the documented size with the palette's colours, atomically written; bad input rejected. */
class PlotsTest {
    @TempDir
    Path dir;

    /** @return whether the image has a pixel of exactly this RGB colour */
    static boolean hasColour(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void writesAPngOfTheDocumentedSizeWithDistinctColours() throws IOException {
        double[] x = new double[200];
        double[] a = new double[200];
        double[] b = new double[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            a[i] = Math.sin(i / 20.0);
            b[i] = Math.cos(i / 20.0);
        }
        Path png = dir.resolve("lines.png");
        Plots.lines(png, "Two waves", "step", "value", List.of(new Plots.Series("sine", x, a),
                new Plots.Series("cosine", x, b)));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        // the first two Okabe-Ito colours, blue and orange, each drawn somewhere
        assertTrue(hasColour(img, 0x0072B2), "blue line");
        assertTrue(hasColour(img, 0xE69F00), "orange line");
        assertFalse(hasColour(img, 0x009E73), "no third series, so no green");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void nonFinitePointsAreLeftOutAndAnAllNanChartIsAnError() {
        Plots.Figure f = new Plots.Figure("t", "x", "y", List.of(new Plots.Plot(new Plots.Series("s",
                new double[] {1, 2, 3}, new double[] {1, Double.NaN, 2}), Plots.Style.MARKERS)), false);
        assertEquals(Plots.WIDTH, Plots.render(f).getWidth());
        Plots.Figure nan = new Plots.Figure("t", "x", "y", List.of(new Plots.Plot(new Plots.Series("s",
                new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}), Plots.Style.LINE)), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.render(nan));
        assertTrue(e.getMessage().contains("no finite point"), e.getMessage());
    }

    @Test
    void badSeriesAndFiguresAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Plots.Series("s", new double[2], new double[3]));
        assertTrue(e.getMessage().contains("2 x values but 3 y values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Plots.Series(" ", new double[1], new double[1]));
        Plots.Series s = Plots.Series.of("s", new double[] {4, 5});
        assertArrayEquals(new double[] {1, 2}, s.x());
        e = assertThrows(IllegalArgumentException.class, () -> new Plots.Figure("t", "x", "y",
                List.of(new Plots.Plot(s, Plots.Style.LINE), new Plots.Plot(s, Plots.Style.FAINT)), false));
        assertTrue(e.getMessage().contains("two series named 's'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Plots.Figure("t", "x", "y", List.of(), false));
        Plots.Figure log = new Plots.Figure("t", "x", "y", List.of(new Plots.Plot(new Plots.Series("z",
                new double[] {1, 2}, new double[] {1, 0}), Plots.Style.LINE)), true);
        e = assertThrows(IllegalArgumentException.class, () -> Plots.render(log));
        assertTrue(e.getMessage().contains("logarithmic"), e.getMessage());
    }

    @Test
    void aMissingDirectoryIsReportedAndNothingIsWritten() {
        Path png = dir.resolve("absent").resolve("c.png");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Plots.lines(png, "t", "x", "y",
                List.of(Plots.Series.of("s", new double[] {1, 2}))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(png));
    }
}
