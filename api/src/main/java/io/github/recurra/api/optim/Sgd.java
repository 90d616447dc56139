package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;

/**
 * Stochastic gradient descent as PyTorch's {@code torch.optim.SGD} computes it, in float32. With gradient g,
 * learning rate η<sub>t</sub>, weight decay λ, momentum μ, dampening τ:
 * <pre>
 *   d ← g + λ·θ
 *   if μ &gt; 0:  b ← d at t = 1, else b ← μ·b + (1 − τ)·d
 *              d ← d + μ·b  (Nesterov)   or   d ← b
 *   θ ← θ − η_t·d
 * </pre>
 * Immutable; build with {@link #builder()}.
 */
public final class Sgd extends ScheduledOptimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    private Sgd(Builder b) {
        super(b);
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /** @return a builder: learning rate 0.01, no momentum, no weight decay, no clipping */
    public static Builder builder() {
        return new Builder();
    }

    /** @return μ */
    public double momentum() {
        return momentum;
    }

    /** @return τ */
    public double dampening() {
        return dampening;
    }

    /** @return whether the Nesterov form is used */
    public boolean nesterov() {
        return nesterov;
    }

    /** @return λ */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public OptimizerState newState(Parameters parameters) {
        float mu = (float) momentum;
        float keep = (float) (1 - dampening);
        float wd = (float) weightDecay;
        return new OptimizerState(this, parameters, momentum > 0 ? new String[] {"momentum"} : new String[0]) {
            @Override
            protected void apply(String name, float[] p, float[] g, float[] out, double lr, long t) {
                float rate = (float) lr;
                float[] buf = mu > 0 ? slot("momentum", name) : null;
                float[] bufOut = mu > 0 ? nextSlot("momentum", name) : null;
                for (int i = 0; i < p.length; i++) {
                    float d = wd != 0f ? g[i] + wd * p[i] : g[i];
                    if (buf != null) {
                        float b = t == 1 ? d : mu * buf[i] + keep * d;
                        bufOut[i] = b;
                        d = nesterov ? d + mu * b : b;
                    }
                    out[i] = p[i] - rate * d;
                }
            }
        };
    }

    @Override
    double[] hyperParameters() {
        return new double[] {momentum, dampening, nesterov ? 1 : 0, weightDecay};
    }

    @Override
    public String toString() {
        return "Sgd{lr=" + schedule + (momentum > 0 ? ", momentum=" + momentum : "")
                + (dampening > 0 ? ", dampening=" + dampening : "") + (nesterov ? ", nesterov" : "")
                + (weightDecay > 0 ? ", weightDecay=" + weightDecay : "") + ", " + clipping + "}";
    }

    /** Builder for {@link Sgd}; {@link #build()} validates. */
    public static final class Builder extends BaseBuilder<Builder> {
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder() {
            super(0.01);
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
         * @param dampening τ in [0, 1) (default 0)
         * @return this
         */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /**
         * @param nesterov whether to use Nesterov momentum (needs momentum &gt; 0 and no dampening)
         * @return this
         */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
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
        public Sgd build() {
            unit("momentum", momentum);
            unit("dampening", dampening);
            nonNegative("weight decay", weightDecay);
            if (nesterov && (momentum == 0 || dampening != 0)) {
                throw new IllegalArgumentException("Nesterov momentum needs momentum > 0 and dampening 0 but momentum "
                        + "is " + momentum + " and dampening " + dampening);
            }
            return new Sgd(this);
        }
    }
}
