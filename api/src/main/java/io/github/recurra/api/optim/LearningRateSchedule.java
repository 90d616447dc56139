package io.github.recurra.api.optim;

/**
 * The learning rate as a function of the update number t (1 for the first update). Immutable and pure: the same t
 * always gives the same rate, so a resumed run continues the schedule exactly. A closed family of records with value
 * equality (two schedules with the same settings are equal, which is what resuming a checkpoint compares), written
 * and parsed as text by {@link OptimizerText}.
 *
 * <p>Available: {@link #constant}, {@link #step}, {@link #exponential}, {@link #cosine}, and
 * {@link #withWarmup(long)} on any of them.
 */
public sealed interface LearningRateSchedule {

    /**
     * @param t the 1-based update number
     * @return the learning rate for that update, at least 0 (a cosine schedule may end at 0)
     * @throws IllegalArgumentException if {@code t < 1}
     */
    double rate(long t);

    /**
     * η<sub>t</sub> = η.
     *
     * @param lr η, positive
     * @return the schedule
     */
    static LearningRateSchedule constant(double lr) {
        return new Constant(lr);
    }

    /**
     * Step decay: η<sub>t</sub> = η · γ<sup>⌊(t − 1) / every⌋</sup> (PyTorch's {@code StepLR}, counted in updates).
     *
     * @param lr    η, positive
     * @param every updates between decays, at least 1
     * @param gamma γ, in (0, 1]
     * @return the schedule
     */
    static LearningRateSchedule step(double lr, long every, double gamma) {
        return new Step(lr, every, gamma);
    }

    /**
     * Exponential decay: η<sub>t</sub> = η · γ<sup>t − 1</sup>.
     *
     * @param lr    η, positive
     * @param gamma γ, in (0, 1]
     * @return the schedule
     */
    static LearningRateSchedule exponential(double lr, double gamma) {
        return new Exponential(lr, gamma);
    }

    /**
     * Cosine annealing (Loshchilov &amp; Hutter, without restarts): with s = min(t − 1, total),
     * η<sub>t</sub> = η<sub>min</sub> + (η − η<sub>min</sub>) · (1 + cos(π s / total)) / 2; after {@code total} updates
     * the rate stays at η<sub>min</sub>.
     *
     * @param lr    η, positive
     * @param total updates to anneal over, at least 1
     * @param minLr η<sub>min</sub>, in [0, η]
     * @return the schedule
     */
    static LearningRateSchedule cosine(double lr, long total, double minLr) {
        return new Cosine(lr, total, minLr);
    }

    /**
     * Linear warm-up in front of this schedule: η<sub>t</sub> = this(t) · min(1, t / warmup).
     *
     * @param warmup updates to ramp over, at least 1
     * @return the schedule
     */
    default LearningRateSchedule withWarmup(long warmup) {
        return new Warmup(this, warmup);
    }

    /**
     * η<sub>t</sub> = η.
     *
     * @param lr η, positive and finite
     */
    record Constant(double lr) implements LearningRateSchedule {
        /**
         * Validates.
         *
         * @param lr η, positive and finite
         */
        public Constant {
            Optimizer.checkLearningRate(lr);
        }

        @Override
        public double rate(long t) {
            checkUpdate(t);
            return lr;
        }

        @Override
        public String toString() {
            return "constant(" + lr + ")";
        }
    }

    /**
     * η<sub>t</sub> = η · γ<sup>⌊(t − 1) / every⌋</sup>.
     *
     * @param lr    η, positive and finite
     * @param every updates between decays, at least 1
     * @param gamma γ, in (0, 1]
     */
    record Step(double lr, long every, double gamma) implements LearningRateSchedule {
        /**
         * Validates.
         *
         * @param lr    η, positive and finite
         * @param every updates between decays, at least 1
         * @param gamma γ, in (0, 1]
         */
        public Step {
            Optimizer.checkLearningRate(lr);
            if (every < 1) {
                throw new IllegalArgumentException("step schedule: 'every' must be at least 1 but was " + every);
            }
            checkGamma(gamma);
        }

        @Override
        public double rate(long t) {
            checkUpdate(t);
            return lr * Math.pow(gamma, (t - 1) / every);
        }

        @Override
        public String toString() {
            return "step(" + lr + ", every " + every + ", " + gamma + ")";
        }
    }

    /**
     * η<sub>t</sub> = η · γ<sup>t − 1</sup>.
     *
     * @param lr    η, positive and finite
     * @param gamma γ, in (0, 1]
     */
    record Exponential(double lr, double gamma) implements LearningRateSchedule {
        /**
         * Validates.
         *
         * @param lr    η, positive and finite
         * @param gamma γ, in (0, 1]
         */
        public Exponential {
            Optimizer.checkLearningRate(lr);
            checkGamma(gamma);
        }

        @Override
        public double rate(long t) {
            checkUpdate(t);
            return lr * Math.pow(gamma, t - 1);
        }

        @Override
        public String toString() {
            return "exponential(" + lr + ", " + gamma + ")";
        }
    }

    /**
     * η<sub>t</sub> = η<sub>min</sub> + (η − η<sub>min</sub>) · (1 + cos(π min(t − 1, total) / total)) / 2.
     *
     * @param lr    η, positive and finite
     * @param total updates to anneal over, at least 1
     * @param minLr η<sub>min</sub>, in [0, η]
     */
    record Cosine(double lr, long total, double minLr) implements LearningRateSchedule {
        /**
         * Validates.
         *
         * @param lr    η, positive and finite
         * @param total updates to anneal over, at least 1
         * @param minLr η<sub>min</sub>, in [0, η]
         */
        public Cosine {
            Optimizer.checkLearningRate(lr);
            if (total < 1) {
                throw new IllegalArgumentException("cosine schedule: total must be at least 1 but was " + total);
            }
            if (!(minLr >= 0 && minLr <= lr)) {
                throw new IllegalArgumentException("cosine schedule: the minimum rate must be in [0, " + lr
                        + "] but was " + minLr);
            }
        }

        @Override
        public double rate(long t) {
            checkUpdate(t);
            return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(t - 1, total) / total)) / 2;
        }

        @Override
        public String toString() {
            return "cosine(" + lr + ", over " + total + ", min " + minLr + ")";
        }
    }

    /**
     * η<sub>t</sub> = base(t) · min(1, t / steps).
     *
     * @param base  the schedule after the warm-up
     * @param steps updates to ramp over, at least 1
     */
    record Warmup(LearningRateSchedule base, long steps) implements LearningRateSchedule {
        /**
         * Validates.
         *
         * @param base  the schedule after the warm-up
         * @param steps updates to ramp over, at least 1
         */
        public Warmup {
            java.util.Objects.requireNonNull(base, "base");
            if (steps < 1) {
                throw new IllegalArgumentException("warm-up must be at least 1 update but was " + steps);
            }
        }

        @Override
        public double rate(long t) {
            checkUpdate(t);
            return base.rate(t) * Math.min(1.0, (double) t / steps);
        }

        @Override
        public String toString() {
            return base + " with warm-up " + steps;
        }
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay factor gamma must be in (0, 1] but was " + gamma);
        }
    }

    private static void checkUpdate(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("update numbers start at 1 but was " + t);
        }
    }
}
