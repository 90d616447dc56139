package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;

/**
 * RMSProp as PyTorch's {@code torch.optim.RMSprop} computes it, in float32. With gradient g, learning rate
 * η<sub>t</sub>, smoothing α, ε, weight decay λ, momentum μ:
 * <pre>
 *   d ← g + λ·θ
 *   s ← α·s + (1 − α)·d²
 *   centered:  a ← α·a + (1 − α)·d;  q ← √(s − a²) + ε       otherwise  q ← √s + ε
 *   μ &gt; 0:    b ← μ·b + d / q;  θ ← θ − η_t·b            otherwise  θ ← θ − η_t·d / q
 * </pre>
 * Immutable; build with {@link #builder()}.
 */
public final class RmsProp extends ScheduledOptimizer {
    private final double alpha;
    private final double epsilon;
    private final double momentum;
    private final boolean centered;
    private final double weightDecay;

    private RmsProp(Builder b) {
        super(b);
        this.alpha = b.alpha;
        this.epsilon = b.epsilon;
        this.momentum = b.momentum;
        this.centered = b.centered;
        this.weightDecay = b.weightDecay;
    }

    /** @return a builder with η = 0.01, α = 0.99, ε = 1e-8, no momentum, not centered (PyTorch's defaults) */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public OptimizerState newState(Parameters parameters) {
        float a = (float) alpha;
        float ca = (float) (1 - alpha);
        float mu = (float) momentum;
        float wd = (float) weightDecay;
        float eps = (float) epsilon;
        String[] slots = centered
                ? (momentum > 0 ? new String[] {"square", "mean", "momentum"} : new String[] {"square", "mean"})
                : (momentum > 0 ? new String[] {"square", "momentum"} : new String[] {"square"});
        return new OptimizerState(this, parameters, slots) {
            @Override
            protected void apply(String name, float[] p, float[] g, float[] out, double lr, long t) {
                float rate = (float) lr;
                float[] s = slot("square", name);
                float[] sOut = nextSlot("square", name);
                float[] mean = centered ? slot("mean", name) : null;
                float[] meanOut = centered ? nextSlot("mean", name) : null;
                float[] buf = mu > 0 ? slot("momentum", name) : null;
                float[] bufOut = mu > 0 ? nextSlot("momentum", name) : null;
                for (int i = 0; i < p.length; i++) {
                    float d = wd != 0f ? g[i] + wd * p[i] : g[i];
                    float si = a * s[i] + ca * d * d;
                    sOut[i] = si;
                    float q;
                    if (mean != null) {
                        float ai = a * mean[i] + ca * d;
                        meanOut[i] = ai;
                        q = (float) Math.sqrt(si - ai * ai) + eps;
                    } else {
                        q = (float) Math.sqrt(si) + eps;
                    }
                    if (buf != null) {
                        float b = mu * buf[i] + d / q;
                        bufOut[i] = b;
                        out[i] = p[i] - rate * b;
                    } else {
                        out[i] = p[i] - rate * (d / q);
                    }
                }
            }
        };
    }

    /** @return α */
    public double alpha() {
        return alpha;
    }

    /** @return ε */
    public double epsilon() {
        return epsilon;
    }

    /** @return μ */
    public double momentum() {
        return momentum;
    }

    /** @return whether the centered form is used */
    public boolean centered() {
        return centered;
    }

    /** @return λ */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    double[] hyperParameters() {
        return new double[] {alpha, epsilon, momentum, centered ? 1 : 0, weightDecay};
    }

    @Override
    public String toString() {
        return "RmsProp{lr=" + schedule + ", alpha=" + alpha + ", eps=" + epsilon
                + (momentum > 0 ? ", momentum=" + momentum : "") + (centered ? ", centered" : "")
                + (weightDecay > 0 ? ", weightDecay=" + weightDecay : "") + ", " + clipping + "}";
    }

    /** Builder for {@link RmsProp}; {@link #build()} validates. */
    public static final class Builder extends BaseBuilder<Builder> {
        private double alpha = 0.99;
        private double epsilon = 1e-8;
        private double momentum;
        private boolean centered;
        private double weightDecay;

        private Builder() {
            super(0.01);
        }

        /**
         * @param alpha smoothing of the squared gradient, in [0, 1)
         * @return this
         */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * @param epsilon added to the root, positive
         * @return this
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * @param momentum μ in [0, 1) (default 0)
         * @return this
         */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * @param centered whether to divide by the estimated standard deviation instead of the root mean square
         * @return this
         */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /**
         * @param weightDecay λ ≥ 0, added to the gradient as λ·θ (default 0)
         * @return this
         */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** @return the optimizer */
        public RmsProp build() {
            unit("alpha", alpha);
            positive("epsilon", epsilon);
            unit("momentum", momentum);
            nonNegative("weight decay", weightDecay);
            return new RmsProp(this);
        }
    }
}
