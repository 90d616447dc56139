package io.github.recurra.api.train;

import io.github.recurra.api.param.Parameters;
import java.util.Locale;
import java.util.Objects;

/**
 * Stops a run when a {@link Metric} has stopped improving, as Keras' {@code EarlyStopping} callback does, and by
 * default puts back the parameters of the best scoring.
 *
 * <p>Each time the metric is scored (each validation for a validation metric, each epoch's end for a training metric;
 * see {@link Metric}) its value is compared with the best so far: it improves if it is better by more than
 * {@code minDelta} ({@link Metric#improves}; the first value always does, NaN never does). After {@code patience}
 * scorings in a row without improvement, it asks the run to stop ({@link TrainingControl#requestStop}, with a reason
 * that names the metric, the patience and the best value).
 *
 * <p>Restoring the best parameters ({@link Builder#restoreBest}, on by default): at every improvement it keeps a copy
 * of the parameters, and at the end of the run ({@link TrainingListener#beforeEnd}), whether it stopped the run or
 * the budget ran out, it sets them back ({@link TrainingControl#setParameters}) unless the best scoring was at the last
 * step; the model then ends with the parameters, bit for bit, that had the best score. This differs from Keras, whose
 * {@code restore_best_weights} is off by default: here the common intent (keep the best model) is the default, and
 * {@code restoreBest(false)} keeps the last parameters as Keras does by default. It costs one copy of the parameters
 * per improvement and, at the end, the reopening of the training session. The run's checkpoints
 * ({@link Trainer.Builder#checkpointEvery}) hold the parameters as trained, not the restored ones; keep the best model
 * on disk with {@link BestModelCheckpoint}.
 *
 * <p>Its settings are immutable; the state of the run in progress (best value, its step and parameters, the count of
 * scorings without improvement) is reset in {@link #onStart(long, TrainingControl)}, so one instance serves runs one
 * after the other but not two at once. A resumed run starts with no best value. Build with {@link #builder(Metric)}.
 */
public final class EarlyStopping extends MetricWatcher {
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    // the run in progress
    private double best;
    private long bestStep;
    private Parameters bestParameters;
    private int wait;
    private long stoppedAt;

    private EarlyStopping(Builder b) {
        super(b.metric);
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.restoreBest = b.restoreBest;
        reset();
    }

    /**
     * @param metric what to watch, for example {@link Metric#VALIDATION_LOSS}
     * @return a builder: patience 1, minDelta 0, restore the best parameters
     */
    public static Builder builder(Metric metric) {
        return new Builder(metric);
    }

    /** @return the metric watched */
    public Metric metric() {
        return metric;
    }

    /** @return scorings in a row without improvement after which the run stops */
    public int patience() {
        return patience;
    }

    /** @return the least change that counts as an improvement */
    public double minDelta() {
        return minDelta;
    }

    /** @return whether the best parameters are set back at the end of the run */
    public boolean restoreBest() {
        return restoreBest;
    }

    /** @return the best value of the current (or last) run, NaN before the first scoring */
    public double bestValue() {
        return best;
    }

    /** @return the step of the best scoring of the current (or last) run, -1 before the first scoring */
    public long bestStep() {
        return bestStep;
    }

    /** @return the step at which it asked the current (or last) run to stop, -1 if it did not */
    public long stoppedAt() {
        return stoppedAt;
    }

    private void reset() {
        best = Double.NaN;
        bestStep = -1;
        bestParameters = null;
        wait = 0;
        stoppedAt = -1;
    }

    /**
     * Resets the state and checks that the metric will be scored.
     *
     * @throws IllegalArgumentException if it watches a validation metric without a validation set, or an accuracy
     *                                  with a regression head
     */
    @Override
    public void onStart(long totalSteps, TrainingControl control) {
        metric.checkAvailable(control, "EarlyStopping");
        reset();
    }

    @Override
    void scored(double value, long step, TrainingControl control) {
        if (metric.improves(value, best, minDelta)) {
            best = value;
            bestStep = step;
            wait = 0;
            if (restoreBest) {
                bestParameters = control.parameters();
            }
            return;
        }
        wait++;
        if (wait >= patience && stoppedAt < 0 && step < control.totalSteps()) {
            stoppedAt = step;
            control.requestStop(String.format(Locale.ROOT, "early stopping: the %s did not improve by more than %s "
                    + "for %d scoring%s (best %.6g at step %d)", metric.words(), minDelta, wait, wait == 1 ? "" : "s",
                    best, bestStep));
        }
    }

    /** Sets the best parameters back, if asked to and if the best scoring was not at the last step. */
    @Override
    public void beforeEnd(TrainingControl control) {
        if (restoreBest && bestParameters != null && bestStep != control.step()) {
            control.setParameters(bestParameters);
        }
        bestParameters = null;
    }

    @Override
    public String toString() {
        return "EarlyStopping{" + metric + ", patience " + patience + ", minDelta " + minDelta
                + (restoreBest ? ", restores the best" : "") + "}";
    }

    /** Builder for {@link EarlyStopping}; {@link #build()} validates. */
    public static final class Builder {
        private final Metric metric;
        private int patience = 1;
        private double minDelta;
        private boolean restoreBest = true;

        private Builder(Metric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
        }

        /**
         * @param patience scorings in a row without improvement after which the run stops, at least 1 (default 1;
         *                 Keras' default 0 acts as 1)
         * @return this
         */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * @param minDelta the least change that counts as an improvement, finite and at least 0 (default 0)
         * @return this
         */
        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /**
         * @param restoreBest whether to set back the parameters of the best scoring at the end of the run (default
         *                    true; Keras' {@code restore_best_weights} defaults to false)
         * @return this
         */
        public Builder restoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /** @return the callback */
        public EarlyStopping build() {
            if (patience < 1) {
                throw new IllegalArgumentException("early stopping's patience must be at least 1 scoring but was "
                        + patience);
            }
            Callbacks.checkMinDelta(minDelta);
            return new EarlyStopping(this);
        }
    }
}
