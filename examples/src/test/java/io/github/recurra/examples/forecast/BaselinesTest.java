package io.github.recurra.examples.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The error measures, the naive forecasts and the series reader on series small enough to check by hand. */
class BaselinesTest {

    /** y[0..5]; a season of 2. */
    private static final double[] Y = {1, 2, 3, 4, 10, 6};

    @Test
    void seasonalNaiveOneStepTakesTheValueOneSeasonEarlier() {
        // forecasts of y[3], y[4], y[5] are y[1], y[2], y[3]
        assertArrayEquals(new double[] {2, 3, 4}, Baselines.seasonalNaiveOneStep(Y, 3, 3, 2));
        // persistence: y[2], y[3], y[4]
        assertArrayEquals(new double[] {3, 4, 10}, Baselines.seasonalNaiveOneStep(Y, 3, 3, 1));
    }

    @Test
    void seasonalNaiveMultiStepRepeatsTheLastKnownSeason() {
        // origin 3: only y[0..2] known; the last season is y[1], y[2]; y[3] <- y[1], y[4] <- y[2], y[5] <- y[1]
        assertArrayEquals(new double[] {2, 3, 2}, Baselines.seasonalNaiveMultiStep(Y, 3, 3, 2));
        // persistence from a fixed origin: the last known value, y[2], everywhere
        assertArrayEquals(new double[] {3, 3, 3}, Baselines.seasonalNaiveMultiStep(Y, 3, 3, 1));
    }

    @Test
    void errorsAreMeanAbsoluteAndRootMeanSquared() {
        // multi-step forecasts {2, 3, 2} of {4, 10, 6}: errors -2, -7, -4
        Errors e = Errors.of(new double[] {2, 3, 2}, new double[] {4, 10, 6});
        assertEquals(13.0 / 3, e.mae(), 1e-12);
        assertEquals(Math.sqrt((4 + 49 + 16) / 3.0), e.rmse(), 1e-12);
        Errors exact = Errors.of(new double[] {1.5}, new double[] {1.5});
        assertEquals(0, exact.mae());
        assertEquals(0, exact.rmse());
    }

    @Test
    void badRangesAndLengthsAreRefused() {
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                () -> Baselines.seasonalNaiveOneStep(Y, 1, 2, 2));
        assertTrue(early.getMessage().contains("one season in"), early.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Baselines.seasonalNaiveMultiStep(Y, 4, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Errors.of(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Errors.of(new double[] {Double.NaN}, new double[] {1}));
    }

    @Test
    void readsTheDateAndValueColumnsAndKeepsTheLongestRunWithoutGaps(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("s.csv");
        // a gap after February (March missing), then four consecutive months
        Files.writeString(csv, "Date,CO2,note\n2000-01-01,1.5,a\n2000-02-01,2,b\n2000-04-01,3,c\n2000-05-01,4,d\n"
                + "2000-06-01,5,e\n2000-07-01,6,f\n");
        Series s = Series.readCsv(csv, "Date", "CO2", Cadence.MONTHLY, "test", "u");
        assertEquals(6, s.size());
        Series run = s.longestRegularRun();
        assertEquals(List.of(LocalDate.of(2000, 4, 1), LocalDate.of(2000, 5, 1), LocalDate.of(2000, 6, 1),
                LocalDate.of(2000, 7, 1)), run.dates());
        assertArrayEquals(new double[] {3, 4, 5, 6}, run.values());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Series.readCsv(csv, "Date", "co2", Cadence.MONTHLY, "test", "u"));
        assertTrue(missing.getMessage().contains("no column 'co2'"), missing.getMessage());
        Files.writeString(csv, "Date,CO2\n2000-01-01,1\n2000-02-01,x\n");
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> Series.readCsv(csv, "Date", "CO2", Cadence.MONTHLY, "test", "u"));
        assertTrue(notNumber.getMessage().contains("line 3"), notNumber.getMessage());
    }

    @Test
    void phaseIsTheFractionOfTheYearBefore() {
        assertEquals(0, Cadence.MONTHLY.phase(LocalDate.of(1999, 1, 1)));
        assertEquals(0.5, Cadence.MONTHLY.phase(LocalDate.of(1999, 7, 1)));
        assertEquals(1.0 / 366, Cadence.DAILY.phase(LocalDate.of(2012, 1, 2)), 1e-15);
        assertEquals(2015.0, Cadence.decimalYear(LocalDate.of(2015, 1, 1)));
    }
}
