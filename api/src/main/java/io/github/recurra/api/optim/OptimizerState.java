package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.Map;

/**
 * The running state of an optimizer for one set of parameters: named slot tensors (moments, momentum buffers) and
 * the number of updates applied. Created by {@link Optimizer#newState(Parameters)}. Not thread-safe.
 *
 * <p>Slots are named {@code <slot>/<parameter>}, for example {@code m/layer0.W}; {@link #slots()} and
 * {@link #restore(Parameters, long)} save and restore them exactly, so that a resumed run continues bit for bit.
 */
public abstract class OptimizerState {
    private final Optimizer optimizer;
    private final Parameters layout;
    private final Parameters slots;
    private long step;

    /**
     * @param optimizer the spec
     * @param layout    the names and shapes the state is for
     * @param slotNames one zero-initialised slot of each parameter's shape per name
     */
    protected OptimizerState(Optimizer optimizer, Parameters layout, String... slotNames) {
        this.optimizer = optimizer;
        this.layout = layout.zerosLike();
        this.slots = Parameters.empty();
        for (String slot : slotNames) {
            layout.asMap().forEach((name, t) -> slots.put(slot + "/" + name, Tensor.zeros(t.shape())));
        }
    }

    /** @return the spec */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return updates applied so far */
    public long step() {
        return step;
    }

    /** @return a copy of the slot tensors */
    public Parameters slots() {
        return slots.copy();
    }

    /**
     * Restores a saved state.
     *
     * @param saved slots as returned by {@link #slots()} for the same optimizer and parameters
     * @param steps updates applied when it was saved
     * @throws IllegalArgumentException if the slots' names or shapes differ from this state's
     */
    public void restore(Parameters saved, long steps) {
        slots.checkSameLayout(saved, "the saved optimizer state");
        if (steps < 0) {
            throw new IllegalArgumentException("the saved step count must be at least 0 but was " + steps);
        }
        slots.copyFrom(saved);
        this.step = steps;
    }

    /**
     * @param slot  the slot name
     * @param param the parameter name
     * @return the live slot array
     */
    protected final float[] slot(String slot, String param) {
        return slots.get(slot + "/" + param).data();
    }

    /**
     * Applies one update: clips {@code gradients} in place per {@link Optimizer#clipping()}, then updates
     * {@code parameters} in place by the rule of the optimizer, with t = {@link #step()} + 1 and
     * η<sub>t</sub> = {@code optimizer().schedule().rate(t)}.
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
        double lr = optimizer.schedule().rate(step);
        for (Map.Entry<String, Tensor> e : parameters.asMap().entrySet()) {
            apply(e.getKey(), e.getValue().data(), gradients.get(e.getKey()).data(), lr, step);
        }
        return norm;
    }

    /**
     * Updates one tensor.
     *
     * @param name  its name (to find its slots)
     * @param param the values, modified
     * @param grad  the (clipped) gradient
     * @param lr    η<sub>t</sub>
     * @param t     the 1-based update number
     */
    protected abstract void apply(String name, float[] param, float[] grad, double lr, long t);
}
