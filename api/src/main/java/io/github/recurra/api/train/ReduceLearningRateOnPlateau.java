package io.github.recurra.api.train;

import java.util.Objects;

/**
 * Lowers the learning rate when a {@link Metric} has stopped improving, as Keras' {@code ReduceLROnPlateau} does,
 * through the run's learning-rate factor ({@link TrainingControl#setLearningRateFactor}: the optimizer's schedule is
 * kept and scaled, its slots untouched, and checkpoints save the factor, so a resumed run continues with it).
 *
 * <p>At each scoring of the metric (see {@link Metric}): if the value improves on the best so far by more than
 * {@code minDelta} ({@link Metric#improves}), it becomes the best and the count of scorings without improvement is
 * reset. The {@code cooldown} scorings right after a reduction are not counted (and leave the count at zero). Any
 * other scoring without improvement adds one to the count, and when the count reaches {@code patience} the factor f
 * becomes max(f · {@code factor}, {@code minFactor}) (if f is still above {@code minFactor}), the count is reset and
 * the cooldown begins. The best value carries across reductions, as in Keras. (Keras runs its cooldown counter down
 * at the start of each epoch and counts the epoch at which it reaches zero, so its {@code cooldown=n} leaves only n − 1
 * epochs uncounted; here {@code cooldown(n)} leaves n.)
 *
 * <p>Its settings are immutable; the state of the run in progress (best value, count, cooldown) is reset in
 * {@link #onStart(long, TrainingControl)}, so one instance serves runs one after the other but not two at once; a
 * resumed run keeps the factor (from the checkpoint) but not this state. Build with {@link #builder(Metric)}.
 */
public final class ReduceLearningRateOnPlateau extends MetricWatcher {
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minFactor;
    private final double minDelta;
    private double best = Double.NaN;
    private int wait;
    private int cooldownLeft;
    private int reductions;

    private ReduceLearningRateOnPlateau(Builder b) {
        super(b.metric);
        this.factor = b.factor;
        this.patience = b.patience;
        this.cooldown = b.cooldown;
        this.minFactor = b.minFactor;
        this.minDelta = b.minDelta;
    }

    /**
     * @param metric what to watch, for example {@link Metric#VALIDATION_LOSS}
     * @return a builder with Keras' defaults: factor 0.1, patience 10, cooldown 0, minDelta 1e-4, and minFactor 1e-6
     */
    public static Builder builder(Metric metric) {
        return new Builder(metric);
    }

    /** @return the metric watched */
    public Metric metric() {
        return metric;
    }

    /** @return what the learning-rate factor is multiplied by at each reduction */
    public double factor() {
        return factor;
    }

    /** @return scorings without improvement before a reduction */
    public int patience() {
        return patience;
    }

    /** @return scorings after a reduction during which none is counted */
    public int cooldown() {
        return cooldown;
    }

    /** @return the smallest learning-rate factor it sets */
    public double minFactor() {
        return minFactor;
    }

    /** @return the least change that counts as an improvement */
    public double minDelta() {
        return minDelta;
    }

    /** @return reductions made in the current (or last) run */
    public int reductions() {
        return reductions;
    }

    /**
     * Resets the state and checks that the metric will be scored.
     *
     * @throws IllegalArgumentException if it watches a validation metric without a validation set, or an accuracy
     *                                  with a regression head
     */
    @Override
    public void onStart(long totalSteps, TrainingControl control) {
        metric.checkAvailable(control, "ReduceLearningRateOnPlateau");
        best = Double.NaN;
        wait = 0;
        cooldownLeft = 0;
        reductions = 0;
    }

    @Override
    void scored(double value, long step, TrainingControl control) {
        boolean improved = metric.improves(value, best, minDelta);
        if (improved) {
            best = value;
            wait = 0;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            wait = 0;
            return;
        }
        if (improved) {
            return;
        }
        wait++;
        if (wait >= patience) {
            double now = control.learningRateFactor();
            if (now > minFactor) {
                control.setLearningRateFactor(Math.max(now * factor, minFactor));
                reductions++;
                cooldownLeft = cooldown;
                wait = 0;
            }
        }
    }

    @Override
    public String toString() {
        return "ReduceLearningRateOnPlateau{" + metric + ", factor " + factor + ", patience " + patience
                + ", cooldown " + cooldown + ", minFactor " + minFactor + ", minDelta " + minDelta + "}";
    }

    /** Builder for {@link ReduceLearningRateOnPlateau}; {@link #build()} validates. */
    public static final class Builder {
        private final Metric metric;
        private double factor = 0.1;
        private int patience = 10;
        private int cooldown;
        private double minFactor = 1e-6;
        private double minDelta = 1e-4;

        private Builder(Metric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
        }

        /**
         * @param factor what the learning-rate factor is multiplied by at a reduction, in (0, 1) (default 0.1)
         * @return this
         */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /**
         * @param patience scorings without improvement before a reduction, at least 1 (default 10)
         * @return this
         */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * @param cooldown scorings right after a reduction that are not counted, at least 0 (default 0)
         * @return this
         */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /**
         * The floor of the factor. Keras' {@code min_lr} is an absolute rate (default 0); here the floor is a factor
         * of the schedule's rate, and positive, as a training session's factor must be.
         *
         * @param minFactor the smallest factor it sets, in (0, 1] (default 1e-6)
         * @return this
         */
        public Builder minFactor(double minFactor) {
            this.minFactor = minFactor;
            return this;
        }

        /**
         * @param minDelta the least change that counts as an improvement, finite and at least 0 (default 1e-4, as
         *                 Keras)
         * @return this
         */
        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** @return the callback */
        public ReduceLearningRateOnPlateau build() {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("the reduction factor must be in (0, 1) but was " + factor
                        + "; 0.1 divides the learning rate by ten");
            }
            if (patience < 1) {
                throw new IllegalArgumentException("the patience must be at least 1 scoring but was " + patience);
            }
            if (cooldown < 0) {
                throw new IllegalArgumentException("the cooldown must be at least 0 scorings but was " + cooldown);
            }
            if (!(minFactor > 0 && minFactor <= 1)) {
                throw new IllegalArgumentException("the smallest factor must be in (0, 1] but was " + minFactor);
            }
            Callbacks.checkMinDelta(minDelta);
            return new ReduceLearningRateOnPlateau(this);
        }
    }
}
