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
 *
 * <p>An update either happens in place ({@link #update}) or is staged ({@link #stage}): the new parameters go to a
 * buffer of the caller's and the new slots to a spare set, and only {@link #commit()} makes them current, so a caller
 * that finds a non-finite result simply does not commit (nothing to roll back, nothing copied per update). Both give
 * the same values bit for bit.
 *
 * <p>A {@link #learningRateFactor() learning-rate factor} f (default 1) scales the schedule: each update uses
 * η<sub>t</sub> = f · {@code optimizer().schedule().rate(t)}, computed in double before the rule sees it, so an update
 * with factor f equals, bit for bit, the update of the same optimizer whose schedule gives f times the rate (for f a
 * power of two, or whenever the products round alike). Callbacks such as a plateau scheduler change it between updates;
 * it is not part of {@link #slots()}, so whoever saves the state saves the factor too.
 */
public abstract class OptimizerState {
    private final Optimizer optimizer;
    private final Parameters layout;
    private final String[] slotNames;
    private Parameters slots;
    private Parameters spare;
    /** Where the running update writes its slots: {@link #slots} in place, {@link #spare} when staged. */
    private Parameters target;
    private boolean staged;
    private long step;
    private double learningRateFactor = 1;

    /**
     * @param optimizer the spec
     * @param layout    the names and shapes the state is for
     * @param slotNames one zero-initialised slot of each parameter's shape per name
     */
    protected OptimizerState(Optimizer optimizer, Parameters layout, String... slotNames) {
        this.optimizer = optimizer;
        this.layout = layout.zerosLike();
        this.slotNames = slotNames.clone();
        this.slots = zeroSlots();
        this.target = slots;
    }

    private Parameters zeroSlots() {
        Parameters s = Parameters.empty();
        for (String slot : slotNames) {
            layout.asMap().forEach((name, t) -> s.put(slot + "/" + name, Tensor.zeros(t.shape())));
        }
        return s;
    }

    /** @return the spec */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return updates applied (committed) so far */
    public long step() {
        return step;
    }

    /** @return the factor f of η<sub>t</sub> = f · schedule rate (1 unless set) */
    public double learningRateFactor() {
        return learningRateFactor;
    }

    /**
     * Sets the factor that scales the schedule's learning rate from the next update on.
     *
     * @param factor f, positive and finite
     * @throws IllegalArgumentException if it is not
     */
    public void setLearningRateFactor(double factor) {
        this.learningRateFactor = checkLearningRateFactor(factor);
    }

    /**
     * Checks a learning-rate factor.
     *
     * @param factor the value
     * @return the value
     * @throws IllegalArgumentException unless it is positive and finite
     */
    public static double checkLearningRateFactor(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("the learning-rate factor must be positive and finite but was " + factor
                    + "; 1 leaves the optimizer's schedule as it is");
        }
        return factor;
    }

    /** @return a copy of the current slot tensors (a staged, uncommitted update is not in them) */
    public Parameters slots() {
        return slots.copy();
    }

    /**
     * Restores a saved state; discards a staged update.
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
        this.staged = false;
    }

    /**
     * @param slot  the slot name
     * @param param the parameter name
     * @return the slot's current values, to read (modified only by an in-place {@link #update})
     */
    protected final float[] slot(String slot, String param) {
        return slots.get(slot + "/" + param).data();
    }

    /**
     * @param slot  the slot name
     * @param param the parameter name
     * @return where the running update writes the slot's new values: the same array as {@link #slot} for an
     *     in-place update, a spare one for a staged update (so a rule must read element i of {@link #slot} before
     *     writing element i here, and never read it back from here)
     */
    protected final float[] nextSlot(String slot, String param) {
        return target.get(slot + "/" + param).data();
    }

    /**
     * Applies one update in place: clips {@code gradients} in place per {@link Optimizer#clipping()}, then updates
     * {@code parameters} in place by the rule of the optimizer, with t = {@link #step()} + 1 and
     * η<sub>t</sub> = {@link #learningRateFactor()} · {@code optimizer().schedule().rate(t)}.
     *
     * @param parameters modified
     * @param gradients  same names and shapes; modified by clipping
     * @return the global gradient norm before clipping
     * @throws IllegalArgumentException if the names or shapes differ from the state's
     */
    public final double update(Parameters parameters, Parameters gradients) {
        double norm = run(parameters, gradients, parameters, slots);
        step++;
        staged = false;
        return norm;
    }

    /**
     * Computes one update without changing this state: clips {@code gradients} in place, writes the updated
     * parameters into {@code into} and the updated slots into a spare set. {@link #commit()} makes the slots current
     * and counts the update; without it (another {@code stage}, a {@link #restore}) they are discarded. The values
     * equal those of {@link #update} bit for bit.
     *
     * @param parameters the current parameters, not modified
     * @param gradients  same names and shapes; modified by clipping
     * @param into       same names and shapes, not the same tensors as {@code parameters}; overwritten
     * @return the global gradient norm before clipping
     * @throws IllegalArgumentException if the names or shapes differ from the state's, or {@code into} shares a
     *                                  tensor with {@code parameters}
     */
    public final double stage(Parameters parameters, Parameters gradients, Parameters into) {
        layout.checkSameLayout(into, "the buffer for the updated parameters");
        for (String name : layout.names()) {
            if (into.get(name) == parameters.get(name)) {
                throw new IllegalArgumentException("the buffer for the updated parameters shares tensor '" + name
                        + "' with the parameters; pass a separate copy (or call update to update in place)");
            }
        }
        if (spare == null) {
            spare = zeroSlots();
        }
        double norm = run(parameters, gradients, into, spare);
        staged = true;
        return norm;
    }

    /**
     * Makes the update of the last {@link #stage} current: its slots replace the current ones and {@link #step()}
     * grows by one.
     *
     * @throws IllegalStateException if no update is staged
     */
    public final void commit() {
        if (!staged) {
            throw new IllegalStateException("no staged update to commit; call stage first (and commit it only once)");
        }
        Parameters old = slots;
        slots = spare;
        spare = old;
        step++;
        staged = false;
    }

    private double run(Parameters parameters, Parameters gradients, Parameters into, Parameters slotTarget) {
        layout.checkSameLayout(parameters, "the parameters to update");
        layout.checkSameLayout(gradients, "the gradients");
        double norm = optimizer.clipping().apply(gradients);
        long t = step + 1;
        double lr = optimizer.schedule().rate(t) * learningRateFactor;
        target = slotTarget;
        try {
            for (Map.Entry<String, Tensor> e : parameters.asMap().entrySet()) {
                String name = e.getKey();
                apply(name, e.getValue().data(), gradients.get(name).data(), into.get(name).data(), lr, t);
            }
        } finally {
            target = slots;
        }
        return norm;
    }

    /**
     * Updates one tensor: reads {@code param}, the gradient and the slots ({@link #slot}), writes the new values to
     * {@code out} and the new slots to {@link #nextSlot}. For an in-place update {@code out} is {@code param} and
     * {@code nextSlot} is {@code slot}, so element i must be read before it is written.
     *
     * @param name  its name (to find its slots)
     * @param param the current values, read only (unless it is {@code out})
     * @param grad  the (clipped) gradient
     * @param out   receives the updated values
     * @param lr    η<sub>t</sub>
     * @param t     the 1-based update number
     */
    protected abstract void apply(String name, float[] param, float[] grad, float[] out, double lr, long t);
}
