package io.github.recurra.api.train;

/**
 * Training stopped because the loss or the gradients stopped being finite. The model keeps the parameters of the
 * last good step: nothing non-finite was written into it.
 */
public final class NonFiniteLossException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** the 1-based step at which it happened */
    private final long step;

    /**
     * @param step    the 1-based step at which it happened
     * @param loss    the loss seen
     * @param norm    the gradient norm seen
     * @param optimizer description of the optimizer, for the message
     */
    public NonFiniteLossException(long step, double loss, double norm, String optimizer) {
        super("training diverged at step " + step + ": loss " + loss + ", gradient norm " + norm
                + ". The model keeps the parameters from before this step. Lower the learning rate, clip gradients "
                + "(Clipping.globalNorm(5)) or check the inputs for extreme values; optimizer was " + optimizer);
        this.step = step;
    }

    /** @return the step at which training stopped */
    public long step() {
        return step;
    }
}
