package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), as PyTorch's {@code torch.optim.AdamW}: first
 * θ ← θ · (1 − η<sub>t</sub>·λ), then exactly the {@link Adam} update. Immutable; build with {@link #builder()}.
 */
public final class AdamW extends AdamFamily {
    private final double weightDecay;

    private AdamW(Builder b) {
        super(b);
        this.weightDecay = b.weightDecay;
    }

    /** @return a builder with η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0.01 (PyTorch's defaults) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return λ */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public OptimizerState newState(Parameters parameters) {
        return Adam.newState(this, parameters, beta1, beta2, epsilon, weightDecay);
    }

    @Override
    double[] hyperParameters() {
        return new double[] {beta1, beta2, epsilon, weightDecay};
    }

    @Override
    public String toString() {
        return "AdamW{lr=" + schedule + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon
                + ", weightDecay=" + weightDecay + ", " + clipping + "}";
    }

    /** Builder for {@link AdamW}; {@link #build()} validates. */
    public static final class Builder extends Adam.MomentsBuilder<Builder> {
        private double weightDecay = 0.01;

        private Builder() {
        }

        /**
         * @param weightDecay λ ≥ 0 (default 0.01)
         * @return this
         */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** @return the optimizer */
        public AdamW build() {
            validateMoments();
            nonNegative("weight decay", weightDecay);
            return new AdamW(this);
        }
    }
}
