package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;

/**
 * An optimizer spec: a learning rate, an update rule and an optional gradient {@link Clipping}. Immutable. The rule
 * itself runs in an {@link OptimizerState} created per training run by {@link #newState(Parameters)}.
 *
 * <p>Available: {@link #sgd(double)} and {@link #adam(double)} (see {@link Sgd} and {@link Adam} for the exact
 * formulas).
 */
public interface Optimizer {

    /** @return the learning rate, positive */
    double learningRate();

    /** @return how gradients are clipped before the update */
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
}
