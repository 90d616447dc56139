package io.github.recurra.api.optim;

/**
 * The learning rate as a function of the update number t (1 for the first update). Immutable and pure: the same t
 * always gives the same rate, so a resumed run continues the schedule exactly.
 *
 * <p>Available: {@link #constant}, {@link #step}, {@link #exponential}, {@link #cosine}, and
 * {@link #withWarmup(long)} on any of them.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param t the 1-based update number
     * @return the learning rate for that update, at least 0 (a cosine schedule may end at 0)
     */
    double rate(long t);

    /**
     * η<sub>t</sub> = η.
     *
     * @param lr η, positive
     * @return the schedule
     */
    static LearningRateSchedule constant(double lr) {
        Optimizer.checkLearningRate(lr);
        return named(t -> lr, "constant(" + lr + ")");
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
        Optimizer.checkLearningRate(lr);
        if (every < 1) {
            throw new IllegalArgumentException("step schedule: 'every' must be at least 1 but was " + every);
        }
        checkGamma(gamma);
        return named(t -> lr * Math.pow(gamma, (t - 1) / every), "step(" + lr + ", every " + every + ", " + gamma + ")");
    }

    /**
     * Exponential decay: η<sub>t</sub> = η · γ<sup>t − 1</sup>.
     *
     * @param lr    η, positive
     * @param gamma γ, in (0, 1]
     * @return the schedule
     */
    static LearningRateSchedule exponential(double lr, double gamma) {
        Optimizer.checkLearningRate(lr);
        checkGamma(gamma);
        return named(t -> lr * Math.pow(gamma, t - 1), "exponential(" + lr + ", " + gamma + ")");
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
        Optimizer.checkLearningRate(lr);
        if (total < 1) {
            throw new IllegalArgumentException("cosine schedule: total must be at least 1 but was " + total);
        }
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("cosine schedule: the minimum rate must be in [0, " + lr + "] but was "
                    + minLr);
        }
        return named(t -> minLr + (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(t - 1, total) / total)) / 2,
                "cosine(" + lr + ", over " + total + ", min " + minLr + ")");
    }

    /**
     * Linear warm-up in front of this schedule: η<sub>t</sub> = this(t) · min(1, t / warmup).
     *
     * @param warmup updates to ramp over, at least 1
     * @return the schedule
     */
    default LearningRateSchedule withWarmup(long warmup) {
        if (warmup < 1) {
            throw new IllegalArgumentException("warm-up must be at least 1 update but was " + warmup);
        }
        LearningRateSchedule base = this;
        return named(t -> base.rate(t) * Math.min(1.0, (double) t / warmup), base + " with warm-up " + warmup);
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay factor gamma must be in (0, 1] but was " + gamma);
        }
    }

    private static LearningRateSchedule named(LearningRateSchedule s, String name) {
        return new LearningRateSchedule() {
            @Override
            public double rate(long t) {
                if (t < 1) {
                    throw new IllegalArgumentException("update numbers start at 1 but was " + t);
                }
                return s.rate(t);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
