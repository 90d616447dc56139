package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recurra forecast} on a small synthetic file in the CO2 file's format (no download, no cache). */
class ForecastCommandTest {

    private static final Pattern LAST = Pattern.compile("FORECAST dataset=co2 horizon=24 mae=([0-9.]+) "
            + "rmse=([0-9.]+) baseline_mae=([0-9.]+) baseline_rmse=([0-9.]+)");

    /** 120 months with a trend of 0.1 a month and a yearly cycle, written as vega-datasets writes CO2. */
    private static Path co2Like(Path dir) throws IOException {
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder("Date,CO2,adjusted CO2\n");
        for (int t = 0; t < 120; t++) {
            double v = 320 + 0.1 * t + 3 * Math.sin(2 * Math.PI * t / 12) + 0.2 * r.nextGaussian();
            sb.append(LocalDate.of(1990, 1, 1).plusMonths(t)).append(',')
                    .append(String.format(Locale.ROOT, "%.2f,%.2f%n", v, v));
        }
        Path f = dir.resolve("co2.csv");
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void forecastsAFileAndWritesChartsAndNumbers(@TempDir Path dir) throws IOException {
        Path csv = co2Like(dir);
        CliRun run = CliRun.of("forecast", "--dataset", "co2", "--file", csv.toString(), "--held-out", "24",
                "--warm-up", "12", "--hidden", "8", "--epochs", "3", "--plot", dir.toString());
        assertEquals(0, run.code(), run.toString());
        String[] lines = run.out().strip().split("\n");
        Matcher m = LAST.matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), run.toString());
        // the baseline of the last line is the multi-step seasonal naive: a year of trend (1.2) or two behind
        double baseline = Double.parseDouble(m.group(3));
        assertTrue(baseline > 1.2 && baseline < 2.4, run.toString());
        assertTrue(run.out().contains("one-step, persistence"), run.toString());
        for (String png : List.of("co2-one-step.png", "co2-multi-step.png")) {
            byte[] b = Files.readAllBytes(dir.resolve(png));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png);
        }
        List<String> rows = Files.readAllLines(dir.resolve("co2-forecast.csv"));
        // header, 36 months of history, 24 held out
        assertEquals(1 + 36 + 24, rows.size());
        assertEquals(7, rows.get(rows.size() - 1).split(",", -1).length);
    }

    @Test
    void badArgumentsAreReportedBeforeAnyWork(@TempDir Path dir) throws IOException {
        CliRun unknown = CliRun.of("forecast", "--dataset", "sunspots", "--file", co2Like(dir).toString());
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("choose co2 or seattle-weather"), unknown.toString());
        CliRun tooShort = CliRun.of("forecast", "--dataset", "co2", "--file", co2Like(dir).toString(), "--held-out",
                "100");
        assertEquals(2, tooShort.code(), tooShort.toString());
        assertTrue(tooShort.err().contains("too few for one training window"), tooShort.toString());
        CliRun wrongFile = CliRun.of("forecast", "--dataset", "seattle-weather", "--file", co2Like(dir).toString());
        assertEquals(2, wrongFile.code(), wrongFile.toString());
        assertTrue(wrongFile.err().contains("no column 'date'"), wrongFile.toString());
    }
}
