package io.github.recurra.api.optim;

/** What {@link Adam} and {@link AdamW} share: the moment decays β1, β2 and ε, from their builders. */
abstract sealed class AdamFamily extends ScheduledOptimizer permits Adam, AdamW {
    final double beta1;
    final double beta2;
    final double epsilon;

    AdamFamily(Adam.MomentsBuilder<?> b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
    }

    /** @return β1 */
    public final double beta1() {
        return beta1;
    }

    /** @return β2 */
    public final double beta2() {
        return beta2;
    }

    /** @return ε */
    public final double epsilon() {
        return epsilon;
    }
}
