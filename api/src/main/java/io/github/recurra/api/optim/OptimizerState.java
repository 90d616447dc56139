package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.Map;

/**
 * The running state of an optimizer for one set of parameters: moments and the step count. Created by
 * {@link Optimizer#newState(Parameters)}. Not thread-safe.
 */
public abstract class OptimizerState {
    private final Optimizer optimizer;
    private final Parameters layout;
    private long step;

    /**
     * @param optimizer the spec
     * @param layout    the names and shapes the state is for
     */
    protected OptimizerState(Optimizer optimizer, Parameters layout) {
        this.optimizer = optimizer;
        this.layout = layout.zerosLike();
    }

    /** @return the spec */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return updates applied so far */
    public long step() {
        return step;
    }

    /**
     * Applies one update: clips {@code gradients} in place per {@link Optimizer#clipping()}, then updates
     * {@code parameters} in place by the rule of the optimizer, with t = {@link #step()} + 1.
     *
     * @param parameters modified
     * @param gradients  same names and shapes; modified by clipping
     * @return the global gradient norm before clipping
     * @throws IllegalArgumentException if the names or shapes differ from the state's
     */
    public final double update(Parameters parameters, Parameters gradients) {
        layout.checkSameLayout(parameters, "the parameters to update");
        layout.checkSameLayout(gradients, "the gradients");
        double norm = optimizer.clipping().apply(gradients);
        step++;
        for (Map.Entry<String, Tensor> e : parameters.asMap().entrySet()) {
            apply(e.getKey(), e.getValue().data(), gradients.get(e.getKey()).data(), step);
        }
        return norm;
    }

    /**
     * Updates one tensor.
     *
     * @param name   its name (to find its moments)
     * @param param  the values, modified
     * @param grad   the (clipped) gradient
     * @param t      the 1-based step number
     */
    protected abstract void apply(String name, float[] param, float[] grad, long t);
}
