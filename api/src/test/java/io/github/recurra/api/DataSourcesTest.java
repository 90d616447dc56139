package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Synthetic;
import io.github.recurra.api.data.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void addingProblemTargetsAreTheSumOfTheMarkedValues() {
        Dataset d = Synthetic.adding(20, 10, 3);
        float[] x = new float[20];
        float[] y = new float[1];
        for (int i = 0; i < d.size(); i++) {
            d.copyInputs(i, x, 0);
            d.copyTargets(i, y, 0);
            float sum = 0;
            int marks = 0;
            for (int t = 0; t < 10; t++) {
                if (x[2 * t + 1] == 1f) {
                    sum += x[2 * t];
                    marks++;
                }
            }
            assertEquals(2, marks);
            assertEquals(sum, y[0], 1e-6);
        }
        Batch a = Synthetic.adding(5, 10, 3).batch(new int[] {0, 1});
        Batch b = Synthetic.adding(5, 10, 3).batch(new int[] {0, 1});
        assertEquals(a, b, "same seed, same data");
    }

    @Test
    void copyMemoryAsksForTheFirstSymbolsAfterTheDelimiter() {
        Dataset d = Synthetic.copyMemory(3, 4, 3, 5, 1);
        assertEquals(11, d.timeSteps());
        assertEquals(6, d.features());
        float[] x = new float[11 * 6];
        int[] y = new int[11];
        d.copyInputs(0, x, 0);
        d.copyLabels(0, y, 0);
        for (int j = 0; j < 3; j++) {
            int symbol = 0;
            for (int c = 0; c < 6; c++) {
                if (x[j * 6 + c] == 1f) {
                    symbol = c;
                }
            }
            assertTrue(symbol >= 1 && symbol <= 4);
            assertEquals(symbol, y[8 + j], "answer step " + (8 + j));
        }
        assertEquals(1f, x[7 * 6 + 5], "delimiter at step length + delay - 1");
        assertEquals(0, y[7]);
    }

    @Test
    void noiselessSinePredictsTheNextValue() {
        Dataset d = Synthetic.noisySine(2, 8, 0, 4);
        float[] x = new float[8];
        float[] y = new float[8];
        d.copyInputs(1, x, 0);
        d.copyTargets(1, y, 0);
        for (int t = 0; t < 7; t++) {
            assertEquals(x[t + 1], y[t], 1e-6);
        }
    }

    @Test
    void charTextIsOneHotWithNextCharacterLabels() {
        CharText ct = CharText.of("hello world", 3, 3);
        assertEquals(" dehlorw", new String(ct.vocabulary()));
        Dataset d = ct.dataset();
        assertEquals(3, d.size());
        float[] x = new float[3 * 8];
        int[] y = new int[3];
        d.copyInputs(0, x, 0);
        d.copyLabels(0, y, 0);
        assertEquals(1f, x[ct.encode('h')]);
        assertEquals(1f, x[8 + ct.encode('e')]);
        assertArrayEquals(new int[] {ct.encode('e'), ct.encode('l'), ct.encode('l')}, y);
        assertEquals('w', ct.decode(ct.encode('w')));
        assertThrows(IllegalArgumentException.class, () -> ct.encode('z'));
        assertThrows(IllegalArgumentException.class, () -> CharText.of("aaaa", 2, 1));
    }

    @Test
    void csvWindowsAreNormalisedWithTheTrainingPartOnly() throws IOException {
        StringBuilder sb = new StringBuilder("time,temp,load\n");
        for (int i = 0; i < 100; i++) {
            sb.append(i).append(',').append(10 + i).append(',').append(i % 7).append('\n');
        }
        Path f = dir.resolve("series.csv");
        Files.writeString(f, sb);
        TimeSeries ts = TimeSeries.readCsv(f, List.of("temp", "load"), List.of("temp"), 5, 1, 0.6, 0.2);
        assertEquals(List.of("time", "temp", "load"), ts.columns());
        assertEquals(10 + 29.5, ts.mean()[1], 1e-9, "mean of the 60 training rows only");
        assertEquals(60 - 5, ts.train().size());
        assertEquals(20 - 5, ts.validation().size());
        assertEquals(20 - 5, ts.test().size());
        float[] x = new float[5 * 2];
        float[] y = new float[1];
        ts.test().copyInputs(0, x, 0);
        ts.test().copyTargets(0, y, 0);
        assertEquals(95.0, ts.denormalize(1, y[0]), 1e-4, "first test target is row 85 (temp 95)");
        assertEquals(90.0, ts.denormalize(1, x[0]), 1e-4, "first test input is row 80 (temp 90)");
    }

    @Test
    void csvWithByteOrderMarkAndQuotedHeader() throws IOException {
        Path f = dir.resolve("bom.csv");
        Files.writeString(f, "\uFEFF\"x\",\"y\"\n1,2\n3,4\n5,6\n7,8\n\n\n");
        TimeSeries ts = TimeSeries.readCsv(f, List.of("x"), List.of("y"), 1, 1, 0.5, 0);
        assertEquals(List.of("x", "y"), ts.columns());
        assertEquals(null, ts.validation());
        Path g = dir.resolve("nobom.csv");
        Files.writeString(g, "\uFEFF1,2\n3,4\n5,6\n7,8\n");
        assertEquals(List.of("c0", "c1"), TimeSeries.readCsv(g, List.of("0"), List.of("1"), 1, 1, 0.5, 0).columns());
        Path h = dir.resolve("wide.csv");
        Files.writeString(h, "a,b,c\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(h, List.of("a"), List.of("b"), 1, 1, 0.5, 0));
        assertTrue(e.getMessage().contains("header names 3 columns"), e.getMessage());
    }

    @Test
    void csvColumnsBesideTheChosenOnesNeedNotBeNumbers() throws IOException {
        // the shape of vega-datasets' co2-concentration.csv: a date first, a text column last
        Path f = dir.resolve("dated.csv");
        Files.writeString(f, "Date,CO2,note\n1958-03-01,315.70,a\n1958-04-01,317.45,b\n1958-05-01,317.51,\n"
                + "1958-07-01,315.86,c\n");
        TimeSeries ts = TimeSeries.readCsv(f, List.of("CO2"), List.of("CO2"), 1, 1, 0.5, 0);
        assertEquals(List.of("Date", "CO2", "note"), ts.columns());
        // the training part is the first two rows: mean 316.575, population deviation 0.875 (by hand)
        assertEquals(316.575, ts.mean()[1], 1e-9);
        assertEquals(0.875, ts.std()[1], 1e-9);
        float[] x = new float[1];
        ts.test().copyInputs(0, x, 0);
        assertEquals(317.51, ts.denormalize(1, x[0]), 1e-4, "the test window starts at row 3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(f, List.of("Date"), List.of("CO2"), 1, 1, 0.5, 0));
        assertTrue(e.getMessage().contains("line 2, column 'Date': '1958-03-01' is not a number"), e.getMessage());
    }

    @Test
    void csvErrorsNameTheRowAndColumn() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n3,x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(f, List.of("a"), List.of("b"), 1, 1, 0.5, 0));
        assertTrue(e.getMessage().contains("line 3, column 'b': 'x' is not a number"), e.getMessage());
        Files.writeString(f, "a,b\n1,2\n3,4\n");
        IllegalArgumentException col = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(f, List.of("c"), List.of("b"), 1, 1, 0.5, 0));
        assertTrue(col.getMessage().contains("no column 'c'"), col.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(f, List.of("a"), List.of("b"), 3, 1, 0.5, 0));
        assertTrue(few.getMessage().contains("too few for one window"), few.getMessage());
    }
}
