package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import java.util.Objects;

/**
 * An optimizer spec: an update rule, a {@link LearningRateSchedule} and a gradient {@link Clipping}. Immutable. The
 * rule runs in an {@link OptimizerState} created per training run by {@link #newState(Parameters)}; the rules are
 * implemented once, here, over the gradients a backend returns, so every backend trains with the same formulas.
 *
 * <p>Available: {@link Sgd} (plain, momentum, Nesterov), {@link RmsProp}, {@link Adam} and {@link AdamW}; each
 * class's Javadoc states its exact update. Before every update the gradients are clipped per {@link #clipping()}, and
 * the update uses η<sub>t</sub> = {@code schedule().rate(t)}.
 *
 * <p>A closed family with value equality: two optimizers are {@link Object#equals equal} when they are of the same
 * kind with equal hyper-parameters, {@link LearningRateSchedule schedule} and {@link Clipping clipping}, which is what
 * resuming a checkpoint compares; {@link OptimizerText} writes one as text and parses it back to an equal one. A
 * backend may run these rules natively in its {@code spi.TrainingSession} as long as it gives
 * the same updates (the conformance kit's optimizer area checks them through the session).
 */
public sealed interface Optimizer permits ScheduledOptimizer {

    /** @return the learning rate of the first update, {@code schedule().rate(1)} */
    default double learningRate() {
        return schedule().rate(1);
    }

    /** @return the learning rate per update */
    LearningRateSchedule schedule();

    /** @return how gradients are clipped before each update */
    Clipping clipping();

    /**
     * Creates the state (moments, step count) for parameters of the given names and shapes.
     *
     * @param parameters the parameters to be trained (only their layout is used)
     * @return a fresh state at step 0
     */
    OptimizerState newState(Parameters parameters);

    /**
     * @param learningRate the step size
     * @return plain stochastic gradient descent without clipping
     */
    static Sgd sgd(double learningRate) {
        return Sgd.builder().learningRate(learningRate).build();
    }

    /**
     * @param learningRate the step size
     * @return Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8 and no clipping
     */
    static Adam adam(double learningRate) {
        return Adam.builder().learningRate(learningRate).build();
    }

    /**
     * Checks a learning rate.
     *
     * @param lr the value
     * @return the value
     * @throws IllegalArgumentException unless it is finite and positive
     */
    static double checkLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite but was " + lr);
        }
        return lr;
    }

    /**
     * What every optimizer's builder has: the learning rate or schedule, and clipping.
     *
     * @param <B> the concrete builder
     */
    abstract class BaseBuilder<B extends BaseBuilder<B>> {
        LearningRateSchedule schedule;
        Clipping clipping = Clipping.none();

        BaseBuilder(double defaultLearningRate) {
            this.schedule = LearningRateSchedule.constant(defaultLearningRate);
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * @param learningRate a constant learning rate, positive
         * @return this
         */
        public B learningRate(double learningRate) {
            this.schedule = LearningRateSchedule.constant(learningRate);
            return self();
        }

        /**
         * @param schedule the learning rate per update; replaces {@link #learningRate(double)}
         * @return this
         */
        public B schedule(LearningRateSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return self();
        }

        /**
         * @param clipping gradient clipping (default none)
         * @return this
         */
        public B clipping(Clipping clipping) {
            this.clipping = Objects.requireNonNull(clipping, "clipping");
            return self();
        }

        static double unit(String name, double v) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1) but was " + v);
            }
            return v;
        }

        static double positive(String name, double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be positive and finite but was " + v);
            }
            return v;
        }

        static double nonNegative(String name, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be finite and at least 0 but was " + v);
            }
            return v;
        }
    }
}
