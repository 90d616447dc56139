package io.github.recurra.examples;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Evaluation;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The command line's progress display for training and evaluation ({@code me.tongfei:progressbar}). On a terminal
 * ({@code System.console() != null}) a bar is redrawn in place on standard output, and log lines go through the same
 * {@link TerminalOutput} so that the two never overwrite each other; otherwise (output to a file or a pipe) the bar's
 * state is printed as a plain line every {@value #PLAIN_INTERVAL_MILLIS} ms and when it ends; or nothing at all
 * ({@code --no-progress}). Log lines that should share the screen with the bar are printed through {@link #lines()}.
 */
final class TrainingProgress implements AutoCloseable {
    /** How often a terminal bar is redrawn. */
    static final int BAR_INTERVAL_MILLIS = 200;
    /** How often a plain progress line is printed when the output is not a terminal. */
    static final int PLAIN_INTERVAL_MILLIS = 10_000;

    /** How progress is shown. */
    enum Mode {
        /** a bar redrawn in place, on a terminal */
        BAR,
        /** a plain line now and then */
        LINES,
        /** nothing */
        OFF
    }

    private final TerminalOutput terminal;
    private final PrintStream lines;
    private final Mode mode;
    private final int intervalMillis;
    private final int width;
    private ProgressBar open;

    /**
     * @param out            where everything goes (modified)
     * @param mode           how progress is shown
     * @param intervalMillis how often the bar (or the plain line) is refreshed
     * @param width          the widest bar, in columns
     */
    TrainingProgress(PrintStream out, Mode mode, int intervalMillis, int width) {
        this.terminal = new TerminalOutput(out);
        this.lines = terminal.lines();
        this.mode = mode;
        this.intervalMillis = intervalMillis;
        this.width = width;
    }

    /**
     * @param enabled false for {@code --no-progress}
     * @return the display on standard output: a bar on a terminal, plain lines otherwise
     */
    static TrainingProgress standardOutput(boolean enabled) {
        Mode mode = !enabled ? Mode.OFF : System.console() != null ? Mode.BAR : Mode.LINES;
        return new TrainingProgress(System.out, mode, mode == Mode.BAR ? BAR_INTERVAL_MILLIS : PLAIN_INTERVAL_MILLIS,
                terminalWidth());
    }

    /** The terminal's width from {@code $COLUMNS} if the shell exports it, else 80; one less, to never wrap. */
    static int terminalWidth() {
        try {
            String columns = System.getenv("COLUMNS");
            return Math.max(40, (columns == null ? 80 : Integer.parseInt(columns.trim())) - 1);
        } catch (NumberFormatException e) {
            return 79;
        }
    }

    /** @return the stream for log lines that share the screen with the bar */
    PrintStream lines() {
        return lines;
    }

    /** @return how progress is shown */
    Mode mode() {
        return mode;
    }

    private ProgressBar start(String task, long max, String unit) {
        close();
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1)
                .showSpeed().setUpdateIntervalMillis(intervalMillis);
        if (mode == Mode.BAR) {
            b.setStyle(ProgressBarStyle.UNICODE_BLOCK).setConsumer(terminal.barConsumer(width));
        } else {
            // the bar is rendered at every refresh and once more when it closes: print a line only when it changed
            String[] last = {null};
            b.setStyle(ProgressBarStyle.ASCII).setConsumer(new DelegatingProgressBarConsumer(rendered -> {
                if (!rendered.equals(last[0])) {
                    last[0] = rendered;
                    terminal.line(rendered);
                }
            }, width));
        }
        open = b.build();
        return open;
    }

    /**
     * @return a listener that shows the run's steps (with the last minibatch loss), from its first step to its end
     */
    TrainingListener training() {
        if (mode == Mode.OFF) {
            return new TrainingListener() {
            };
        }
        return new TrainingListener() {
            private ProgressBar bar;

            @Override
            public void onStart(long totalSteps) {
                bar = start("Training", totalSteps, "steps");
            }

            @Override
            public void onStep(StepReport r) {
                bar.stepTo(r.step());
                bar.setExtraMessage(String.format(Locale.ROOT, ", loss %.4f", r.loss()));
            }

            @Override
            public void onEnd(TrainingResult result) {
                close();
            }
        };
    }

    /**
     * Scores a model as {@link Trainer#evaluate(Model, Dataset, int)} does, showing the examples scored.
     *
     * @param task      the bar's name
     * @param model     the model
     * @param data      the dataset
     * @param batchSize examples per forward pass
     * @return the scores
     */
    Evaluation evaluate(String task, Model model, Dataset data, int batchSize) {
        if (mode == Mode.OFF) {
            return Trainer.evaluate(model, data, batchSize);
        }
        ProgressBar bar = start(task, data.size(), "examples");
        try {
            return Trainer.evaluate(model, data, batchSize, bar::stepTo);
        } finally {
            close();
        }
    }

    /** Ends the open bar, if any (its last state stays on screen). Idempotent. */
    @Override
    public void close() {
        if (open != null) {
            open.close();
            open = null;
        }
    }
}
