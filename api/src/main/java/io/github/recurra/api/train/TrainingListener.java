package io.github.recurra.api.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Receives the events of a {@link Trainer} run, as Keras' callbacks do; all methods have empty defaults. Called on
 * the training thread, in this order:
 * <ol>
 *   <li>{@link #onStart(long, TrainingControl)} once, before the first step;</li>
 *   <li>per step: {@link #onStep(StepReport, TrainingControl)}; then, when the step's turn comes (see
 *       {@link ValidationSchedule}), {@link #onValidation}; then, if the step ends an epoch, {@link #onEpochEnd};</li>
 *   <li>the run's last step (the budget's last, or the one at which a stop was requested) is always scored on the
 *       validation set, if there is one, and always closes an epoch (a partial one if the run ends mid-epoch); a stop
 *       requested in {@code onEpochEnd} gets its step scored after the epoch's report;</li>
 *   <li>{@link #beforeEnd} once;</li>
 *   <li>{@link #onEnd} with the result.</li>
 * </ol>
 * The events with a {@link TrainingControl} may stop the run, replace the parameters or change the learning-rate
 * factor; listeners are called in the order they were added to the builder, each event to all of them (a stop
 * requested by the first still lets the others see the event). An exception thrown by a listener ends the run (the
 * training session is closed; {@link #onEnd} is not called).
 *
 * <p>A listener that keeps state for a run (a best value, a patience counter) resets it in {@link #onStart}, so that
 * one instance can serve runs one after the other; it cannot serve two runs at the same time.
 */
public interface TrainingListener {

    /**
     * Called once before the first step; by default calls {@link #onStart(long)}. A listener that needs the network
     * or the validation setting to check its own configuration checks it here, so a mistake fails before training.
     *
     * @param totalSteps steps the run will take if nothing stops it (counting a resumed run's earlier steps)
     * @param control    the run's control
     */
    default void onStart(long totalSteps, TrainingControl control) {
        onStart(totalSteps);
    }

    /**
     * @param totalSteps steps the run will take
     */
    default void onStart(long totalSteps) {
    }

    /**
     * Called after every step; by default calls {@link #onStep(StepReport)}.
     *
     * @param report  what the step did
     * @param control the run's control
     */
    default void onStep(StepReport report, TrainingControl control) {
        onStep(report);
    }

    /**
     * @param report what the step did
     */
    default void onStep(StepReport report) {
    }

    /**
     * Called after each scoring of the validation set ({@link Trainer.Builder#validation}).
     *
     * @param report  the scores
     * @param control the run's control
     */
    default void onValidation(ValidationReport report, TrainingControl control) {
    }

    /**
     * Called when an epoch ends (after its last step's validation, if any), and once more for the last epoch of a
     * run that ends mid-epoch (over the steps it had).
     *
     * @param report  the epoch's summary
     * @param control the run's control
     */
    default void onEpochEnd(EpochReport report, TrainingControl control) {
    }

    /**
     * Called once after the last step and its reports, whether the budget ran out or a stop was requested, before
     * the result is made: the last moment to replace the parameters the run ends with (as {@link EarlyStopping}
     * restores the best ones). A stop requested here changes nothing.
     *
     * @param control the run's control
     */
    default void beforeEnd(TrainingControl control) {
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
     * @deprecated it draws with carriage returns on its own stream, so on a terminal it and any log lines printed on
     *     another stream (such as {@link #tutorialLog}'s on standard output) overwrite each other. Draw progress
     *     with a library of your choice from {@link #onStep(StepReport)}, writing log lines through the same
     *     terminal writer (the {@code recurra} command line does so with {@code me.tongfei:progressbar}). To be
     *     removed.
     */
    @Deprecated(forRemoval = true, since = "0.1.0")
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
