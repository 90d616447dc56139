package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SoakCommandTest {

    @Test
    void samplesTheResidentSizeAndFitsASlope() {
        CliRun run = CliRun.of("soak", "--backend", "cpu", "--cell", "rnn", "--steps", "6", "--every", "2",
                "--settle", "1");
        assertEquals(0, run.code(), run.toString());
        assertEquals(3, Pattern.compile("(?m)^SOAK backend=cpu cell=rnn step=\\d+ rss_mb=").matcher(run.out())
                .results().count(), run.toString());
        Matcher m = Pattern.compile("SOAK_SUMMARY .* rss_end_mb=([0-9.]+) .* slope_mb_per_1000_steps=(-?[0-9.]+)")
                .matcher(run.out());
        assertTrue(m.find(), run.toString());
        assertTrue(Double.parseDouble(m.group(1)) > 1, "a resident size in MB: " + run);
    }

    @Test
    void badSettingsAreRefusedWithTheValues() {
        CliRun run = CliRun.of("soak", "--steps", "10", "--settle", "10");
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("--settle in [0, steps) but were 10, 500, 10"), run.toString());
    }
}
