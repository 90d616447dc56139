package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.TrainingHistory;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The progress bar and the log lines share one terminal without overwriting each other. */
class TrainingProgressTest {

    /**
     * A terminal screen fed with bytes: characters are written at the cursor (over what is there), {@code \r} moves
     * the cursor to column 0, {@code \n} to a new line, and ANSI {@code ESC [ K} erases from the cursor to the end of
     * the line. Any other escape fails the test.
     */
    static final class FakeTerminal {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        PrintStream stream() {
            return new PrintStream(bytes, true, StandardCharsets.UTF_8);
        }

        synchronized List<String> screen() {
            String s = bytes.toString(StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            int col = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\r') {
                    col = 0;
                } else if (c == '\n') {
                    lines.add(line.toString());
                    line.setLength(0);
                    col = 0;
                } else if (c == '\033') {
                    assertEquals("\033[K", s.substring(i, Math.min(s.length(), i + 3)), "only erase-line is emulated");
                    line.setLength(col);
                    i += 2;
                } else {
                    if (col < line.length()) {
                        line.setCharAt(col, c);
                    } else {
                        line.append(c);
                    }
                    col++;
                }
            }
            lines.add(line.toString());
            return lines;
        }
    }

    static String iter(long step) {
        return String.format(Locale.ROOT, "Iter %d, Minibatch Loss= %.6f, Training Accuracy= %.5f", step * 128,
                1.0 / step, 0.5);
    }

    static StepReport report(long step, long total) {
        return new StepReport(step, total, step * 128, 1, 1.0 / step, 0.5, 1, 1000);
    }

    /** Every line of the screen that mentions "Iter" is exactly one of the tutorial's lines, from column 0. */
    static void assertIterLinesIntact(List<String> screen, int displayStep, int steps) {
        List<String> want = new ArrayList<>();
        for (int s = 1; s <= steps; s++) {
            if (s == 1 || s % displayStep == 0) {
                want.add(iter(s));
            }
        }
        List<String> got = screen.stream().filter(l -> l.contains("Iter ")).toList();
        assertEquals(want, got, "every Iter line whole, at column 0, once, in order:\n" + String.join("\n", screen));
    }

    @Test
    void logLinesClearTheBarAndTheBarIsDrawnAgainBelowThem() {
        FakeTerminal t = new FakeTerminal();
        TerminalOutput out = new TerminalOutput(t.stream());
        PrintStream lines = out.lines();
        out.drawBar("Training  10% [===                          ] 10/100 (0:00:01 / 0:00:09) 9.9 steps/s loss 0.9");
        lines.println(iter(1));
        out.drawBar("Training  20% [=====                        ] 20/100");
        lines.println(iter(10));
        lines.print("Iter 2560, half a line ");
        out.drawBar("Training  30% [========                     ] 30/100 (0:00:03 / 0:00:07) 9.9 steps/s");
        lines.println("then the rest");
        out.endBar();
        lines.println("Optimization Finished!");
        assertEquals(List.of(iter(1), iter(10), "Iter 2560, half a line then the rest",
                "Training  30% [========                     ] 30/100 (0:00:03 / 0:00:07) 9.9 steps/s",
                "Optimization Finished!", ""), t.screen());
    }

    @Test
    void aRealBarRefreshingOnItsOwnThreadNeverBreaksATutorialLine() throws InterruptedException {
        FakeTerminal t = new FakeTerminal();
        int steps = 300;
        try (TrainingProgress p = new TrainingProgress(t.stream(), TrainingProgress.Mode.BAR, 1, 70)) {
            TrainingListener log = TrainingListener.tutorialLog(10, p.lines());
            TrainingListener bar = p.training();
            bar.onStart(steps);
            for (int s = 1; s <= steps; s++) {
                StepReport r = report(s, steps);
                bar.onStep(r);
                log.onStep(r);
                if (s % 50 == 0) {
                    Thread.sleep(3);
                }
            }
            bar.onEnd(new TrainingResult(steps, steps * 128L, 1, 0, 1, TrainingHistory.empty(), null));
        }
        List<String> screen = t.screen();
        assertIterLinesIntact(screen, 10, steps);
        String last = screen.get(screen.size() - 2);
        assertTrue(last.startsWith("Training") && last.contains("100%") && last.contains("300/300"),
                "the finished bar stays as the last line: " + screen);
        assertEquals("", screen.get(screen.size() - 1));
    }

    @Test
    @SuppressWarnings("removal")
    void theOldDisplayOnAnotherStreamOfTheSameTerminalBreaksTheLines() {
        // what the command line did before: the bar on standard error, the tutorial's lines on standard output
        FakeTerminal t = new FakeTerminal();
        PrintStream stderr = t.stream();
        PrintStream stdout = t.stream();
        TrainingListener bar = TrainingListener.progress(stderr, 5);
        TrainingListener log = TrainingListener.tutorialLog(10, stdout);
        bar.onStart(100);
        for (int s = 1; s <= 100; s++) {
            bar.onStep(report(s, 100));
            log.onStep(report(s, 100));
        }
        List<String> iterLines = t.screen().stream().filter(l -> l.contains("Iter ")).toList();
        assertFalse(iterLines.stream().allMatch(l -> l.startsWith("Iter ")), "the bug this class fixes: " + iterLines);
    }

    @Test
    void withoutATerminalProgressIsAPlainLine() {
        FakeTerminal t = new FakeTerminal();
        try (TrainingProgress p = new TrainingProgress(t.stream(), TrainingProgress.Mode.LINES, 10_000, 80)) {
            TrainingListener log = TrainingListener.tutorialLog(10, p.lines());
            TrainingListener bar = p.training();
            bar.onStart(40);
            for (int s = 1; s <= 40; s++) {
                bar.onStep(report(s, 40));
                log.onStep(report(s, 40));
            }
            bar.onEnd(new TrainingResult(40, 40 * 128L, 1, 0, 1, TrainingHistory.empty(), null));
        }
        String raw = t.bytes.toString(StandardCharsets.UTF_8);
        assertFalse(raw.contains("\r") || raw.contains("\033"), "no carriage returns or escapes in a file: " + raw);
        List<String> screen = t.screen();
        assertIterLinesIntact(screen, 10, 40);
        List<String> progress = screen.stream().filter(l -> l.startsWith("Training")).toList();
        assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1).contains("40/40"), screen.toString());
        assertTrue(progress.size() <= 2, "a line at the start and one at the end, each once, not one per step: "
                + progress);
    }

    @Test
    void offShowsNothingButTheLines() {
        FakeTerminal t = new FakeTerminal();
        try (TrainingProgress p = new TrainingProgress(t.stream(), TrainingProgress.Mode.OFF, 1, 80)) {
            TrainingListener bar = p.training();
            bar.onStart(3);
            bar.onStep(report(1, 3));
            p.lines().println("a line");
        }
        assertEquals(List.of("a line", ""), t.screen());
    }
}
