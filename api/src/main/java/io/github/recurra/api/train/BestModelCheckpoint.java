package io.github.recurra.api.train;

import io.github.recurra.api.io.ModelFile;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Keeps the best model of a run on disk, as Keras' {@code ModelCheckpoint(save_best_only=True)} does: each time the
 * {@link Metric} improves on its best value of the run by more than {@code minDelta} ({@link Metric#improves}; the
 * first scoring always does), it saves the network and its current parameters as a {@link ModelFile}, atomically
 * ({@link ModelFile#save}: a reader, or a run killed mid-write, sees the previous best or the new one, never a mix).
 * The file is a plain model file, for {@link ModelFile#load} and inference, not a training checkpoint.
 *
 * <p>Its settings are immutable; the best value of the run in progress is reset in
 * {@link #onStart(long, TrainingControl)} (so a new run overwrites the file at its first scoring), and one instance
 * serves runs one after the other but not two at once. Build with {@link #builder(Metric, Path)}.
 */
public final class BestModelCheckpoint extends MetricWatcher {
    private final Path file;
    private final double minDelta;
    private double best = Double.NaN;
    private long bestStep = -1;
    private int saves;

    private BestModelCheckpoint(Builder b) {
        super(b.metric);
        this.file = b.file;
        this.minDelta = b.minDelta;
    }

    /**
     * @param metric what to watch, for example {@link Metric#VALIDATION_LOSS}
     * @param file   where to keep the best model
     * @return a builder: minDelta 0
     */
    public static Builder builder(Metric metric, Path file) {
        return new Builder(metric, file);
    }

    /** @return the metric watched */
    public Metric metric() {
        return metric;
    }

    /** @return the model file */
    public Path file() {
        return file;
    }

    /** @return the least change that counts as an improvement */
    public double minDelta() {
        return minDelta;
    }

    /** @return the best value of the current (or last) run, NaN before its first scoring */
    public double bestValue() {
        return best;
    }

    /** @return the step whose parameters the file holds, from the current (or last) run; -1 before any save */
    public long bestStep() {
        return bestStep;
    }

    /** @return how many times the current (or last) run saved the file */
    public int saves() {
        return saves;
    }

    /**
     * Resets the best value and checks that the metric will be scored and the file can be written.
     *
     * @throws IllegalArgumentException if it watches a validation metric without a validation set, an accuracy with
     *                                  a regression head, or the file's directory does not exist
     */
    @Override
    public void onStart(long totalSteps, TrainingControl control) {
        metric.checkAvailable(control, "BestModelCheckpoint");
        Callbacks.checkDirectory(file, "best model file");
        best = Double.NaN;
        bestStep = -1;
        saves = 0;
    }

    @Override
    void scored(double value, long step, TrainingControl control) {
        if (metric.improves(value, best, minDelta)) {
            ModelFile.of(control.network(), control.parameters()).save(file);
            best = value;
            bestStep = step;
            saves++;
        }
    }

    @Override
    public String toString() {
        return "BestModelCheckpoint{" + metric + ", " + file + ", minDelta " + minDelta + "}";
    }

    /** Builder for {@link BestModelCheckpoint}; {@link #build()} validates. */
    public static final class Builder {
        private final Metric metric;
        private final Path file;
        private double minDelta;

        private Builder(Metric metric, Path file) {
            this.metric = Objects.requireNonNull(metric, "metric");
            this.file = Objects.requireNonNull(file, "file");
        }

        /**
         * @param minDelta the least change that counts as an improvement, finite and at least 0 (default 0)
         * @return this
         */
        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** @return the callback */
        public BestModelCheckpoint build() {
            Callbacks.checkMinDelta(minDelta);
            return new BestModelCheckpoint(this);
        }
    }
}
