package io.github.recurra.examples.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.TrainingHistory;
import io.github.recurra.api.train.ValidationReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-built history (two epochs of 30 steps, validations at steps 0, 30 and 60) as charts and CSV. */
class HistoryFilesTest {
    @TempDir
    Path dir;

    /** @param classifier whether accuracies are measured (NaN otherwise, as for a regression) */
    static TrainingHistory history(boolean classifier) {
        Random r = new Random(3);
        List<StepReport> steps = new ArrayList<>();
        for (int s = 1; s <= 60; s++) {
            double loss = 2.0 / s + 0.05 * r.nextDouble();
            steps.add(new StepReport(s, 60, 16L * s, s <= 30 ? 1 : 2, loss, classifier ? 1 - loss / 2.5 : Double.NaN,
                    0.5, 2_000_000));
        }
        List<EpochReport> epochs = List.of(new EpochReport(1, 30, 480, 30, 0.4, classifier ? 0.8 : Double.NaN, 0.06),
                new EpochReport(2, 60, 960, 30, 0.1, classifier ? 0.95 : Double.NaN, 0.06));
        List<ValidationReport> v = List.of(new ValidationReport(0, 1, 0, 2.3, classifier ? 0.1 : Double.NaN),
                new ValidationReport(30, 1, 480, 0.3, classifier ? 0.85 : Double.NaN),
                new ValidationReport(60, 2, 960, 0.2, classifier ? 0.9 : Double.NaN));
        return new TrainingHistory(steps, epochs, v);
    }

    @Test
    void aClassifierGetsBothChartsAndTheTable() throws IOException {
        List<Path> files = HistoryFiles.write(dir, history(true));
        assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("accuracy.png"), dir.resolve("history.csv")), files);
        for (String png : List.of("loss.png", "accuracy.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(Plots.WIDTH, img.getWidth(), png);
            // smoothed line blue, epoch means orange, validation markers green
            assertTrue(PlotsTest.hasColour(img, 0x0072B2), png);
            assertTrue(PlotsTest.hasColour(img, 0xE69F00), png);
            assertTrue(PlotsTest.hasColour(img, 0x009E73), png);
        }
        List<String> lines = Files.readAllLines(dir.resolve("history.csv"), StandardCharsets.UTF_8);
        assertEquals(String.join(",", HistoryFiles.CSV_HEADER), lines.get(0));
        assertEquals(1 + 61, lines.size(), "a row for the validation before training, then one per step");
        assertEquals("0,1,0,,,,,,,2.3,0.1", lines.get(1));
        String[] step30 = lines.get(31).split(",", -1);
        assertEquals("30", step30[0]);
        assertEquals("480", step30[2]);
        assertEquals(2.0 / 30, Double.parseDouble(step30[3]), 0.05 + 1e-12);
        assertEquals("2.0", step30[6], "step_ms from 2,000,000 ns");
        assertArrayEquals(new String[] {"0.4", "0.8", "0.3", "0.85"},
                new String[] {step30[7], step30[8], step30[9], step30[10]});
        String[] step31 = lines.get(32).split(",", -1);
        assertArrayEquals(new String[] {"", "", "", ""}, new String[] {step31[7], step31[8], step31[9], step31[10]},
                "nothing measured at step 31 but its own step");
    }

    @Test
    void aRegressionGetsNoAccuracyChartAndEmptyAccuracyCells() throws IOException {
        List<Path> files = HistoryFiles.write(dir, history(false));
        assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("history.csv")), files);
        assertFalse(Files.exists(dir.resolve("accuracy.png")));
        String[] row = Files.readAllLines(dir.resolve("history.csv")).get(2).split(",", -1);
        assertEquals("1", row[0]);
        assertEquals("", row[4], "the accuracy of a regression is not measured");
    }

    @Test
    void theLossAxisIsLogarithmicOnlyWhenTheLossesSpanOverTwoDecades() {
        assertFalse(HistoryFiles.lossFigure(history(true)).logY(), "2.3 down to about 0.04");
        List<StepReport> steps = new ArrayList<>();
        for (int s = 1; s <= 40; s++) {
            steps.add(new StepReport(s, 40, s, 1, Math.pow(10, -s / 10.0), Double.NaN, 1, 1));
        }
        Plots.Figure f = HistoryFiles.lossFigure(new TrainingHistory(steps, List.of(), List.of()));
        assertTrue(f.logY());
        assertEquals(Plots.HEIGHT, Plots.render(f).getHeight());
    }

    @Test
    void smoothingIsATrailingMeanOverAWindowThatGrowsWithTheRun() {
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5}, HistoryFiles.trailingMean(new double[] {1, 2, 3, 4}, 2));
        assertArrayEquals(new double[] {1, 1, 5}, HistoryFiles.trailingMean(new double[] {1, Double.NaN, 5}, 2),
                "a NaN is left out of the mean, not spread into it");
        assertEquals(1, HistoryFiles.smoothingWindow(19));
        assertEquals(5, HistoryFiles.smoothingWindow(100));
        assertEquals(50, HistoryFiles.smoothingWindow(10_000));
        assertEquals(500, HistoryFiles.smoothingWindow(Integer.MAX_VALUE));
    }

    @Test
    void theDirectoryIsCreatedAndAFileInItsPlaceIsRejected() throws IOException {
        Path nested = dir.resolve("a").resolve("b");
        assertEquals(nested, HistoryFiles.prepare(nested, "--plot"));
        assertTrue(Files.isDirectory(nested));
        Path file = Files.writeString(dir.resolve("f"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryFiles.prepare(file, "--plot"));
        assertTrue(e.getMessage().startsWith("--plot " + file + " is a file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HistoryFiles.write(dir,
                new TrainingHistory(List.of(), List.of(), List.of())));
    }
}
