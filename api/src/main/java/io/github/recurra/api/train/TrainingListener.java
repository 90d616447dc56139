package io.github.recurra.api.train;

import java.io.PrintStream;
import java.util.Locale;

/** Receives progress from a {@link Trainer}. All methods have empty defaults. Called on the training thread. */
public interface TrainingListener {

    /**
     * @param totalSteps steps the run will take
     */
    default void onStart(long totalSteps) {
    }

    /**
     * @param report what the step did
     */
    default void onStep(StepReport report) {
    }

    /**
     * @param result the outcome
     */
    default void onEnd(TrainingResult result) {
    }

    /**
     * The TensorFlow tutorial's log line every {@code displayStep} steps (and at step 1):
     * {@code Iter <examples>, Minibatch Loss= <loss>, Training Accuracy= <accuracy>}.
     *
     * @param displayStep print every this many steps
     * @param out         where to print
     * @return the listener
     */
    static TrainingListener tutorialLog(int displayStep, PrintStream out) {
        if (displayStep < 1) {
            throw new IllegalArgumentException("display step must be at least 1 but was " + displayStep);
        }
        return new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                if (r.step() == 1 || r.step() % displayStep == 0) {
                    out.println(String.format(Locale.ROOT, "Iter %d, Minibatch Loss= %.6f, Training Accuracy= %.5f",
                            r.examples(), r.loss(), r.accuracy()));
                }
            }
        };
    }

    /**
     * A one-line progress display (percentage, rate, time left), redrawn in place with carriage returns every
     * {@code every} steps; meant for a terminal's standard error.
     *
     * @param out   where to print
     * @param every redraw every this many steps
     * @return the listener
     */
    static TrainingListener progress(PrintStream out, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("progress redraw interval must be at least 1 step but was " + every);
        }
        return new TrainingListener() {
            private long start;

            @Override
            public void onStart(long totalSteps) {
                start = System.nanoTime();
            }

            @Override
            public void onStep(StepReport r) {
                if (r.step() % every != 0 && r.step() != r.totalSteps()) {
                    return;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double rate = r.step() / Math.max(elapsed, 1e-9);
                double left = (r.totalSteps() - r.step()) / Math.max(rate, 1e-9);
                int width = 30;
                int filled = (int) (width * r.step() / r.totalSteps());
                out.print(String.format(Locale.ROOT, "\r[%s%s] %3d%% step %d/%d, %.1f steps/s, %.0f s left   ",
                        "=".repeat(filled), " ".repeat(width - filled), 100 * r.step() / r.totalSteps(), r.step(),
                        r.totalSteps(), rate, left));
                if (r.step() == r.totalSteps()) {
                    out.println();
                }
                out.flush();
            }
        };
    }
}
