package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;

/**
 * Adam (Kingma &amp; Ba 2015) in the form PyTorch's {@code torch.optim.Adam} computes. At update t (from 1), with
 * gradient g, learning rate η<sub>t</sub>, and moments m, v starting at zero:
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (η_t / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * Moments are float32; the bias corrections are computed in double. (TensorFlow's Adam puts ε outside the bias
 * correction of v, so it differs slightly when √v is comparable to ε.) Immutable; build with {@link #builder()}.
 */
public final class Adam extends AdamFamily {

    private Adam(Builder b) {
        super(b);
    }

    /** @return a builder with η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8, no clipping */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public OptimizerState newState(Parameters parameters) {
        return newState(this, parameters, beta1, beta2, epsilon, 0);
    }

    /** The Adam update with decoupled weight decay λ (0 for plain Adam), shared with {@link AdamW}. */
    static OptimizerState newState(Optimizer spec, Parameters parameters, double beta1, double beta2,
            double epsilon, double weightDecay) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        return new OptimizerState(spec, parameters, "m", "v") {
            @Override
            protected void apply(String name, float[] p, float[] g, float[] out, double lr, long t) {
                float[] m = slot("m", name);
                float[] v = slot("v", name);
                float[] mOut = nextSlot("m", name);
                float[] vOut = nextSlot("v", name);
                double bc1 = 1 - Math.pow(beta1, t);
                double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
                float stepSize = (float) (lr / bc1);
                float decay = (float) (1 - lr * weightDecay);
                for (int i = 0; i < p.length; i++) {
                    float gi = g[i];
                    float mi = b1 * m[i] + c1 * gi;
                    float vi = b2 * v[i] + c2 * gi * gi;
                    mOut[i] = mi;
                    vOut[i] = vi;
                    float denom = (float) (Math.sqrt(vi) / bc2Sqrt + epsilon);
                    float pi = weightDecay != 0 ? p[i] * decay : p[i];
                    out[i] = pi - stepSize * (mi / denom);
                }
            }
        };
    }

    @Override
    double[] hyperParameters() {
        return new double[] {beta1, beta2, epsilon};
    }

    @Override
    public String toString() {
        return "Adam{lr=" + schedule + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ", " + clipping
                + "}";
    }

    /**
     * What the Adam family's builders share: the moment decays and ε.
     *
     * @param <B> the concrete builder
     */
    public abstract static class MomentsBuilder<B extends MomentsBuilder<B>> extends BaseBuilder<B> {
        double beta1 = 0.9;
        double beta2 = 0.999;
        double epsilon = 1e-8;

        MomentsBuilder() {
            super(0.001);
        }

        @SuppressWarnings("unchecked")
        private B me() {
            return (B) this;
        }

        /**
         * @param beta1 decay of the first moment, in [0, 1) (default 0.9)
         * @return this
         */
        public B beta1(double beta1) {
            this.beta1 = beta1;
            return me();
        }

        /**
         * @param beta2 decay of the second moment, in [0, 1) (default 0.999)
         * @return this
         */
        public B beta2(double beta2) {
            this.beta2 = beta2;
            return me();
        }

        /**
         * @param epsilon added to the denominator, positive (default 1e-8)
         * @return this
         */
        public B epsilon(double epsilon) {
            this.epsilon = epsilon;
            return me();
        }

        void validateMoments() {
            unit("beta1", beta1);
            unit("beta2", beta2);
            positive("epsilon", epsilon);
        }
    }

    /** Builder for {@link Adam}; {@link #build()} validates. */
    public static final class Builder extends MomentsBuilder<Builder> {

        Builder() {
        }

        /** @return the optimizer */
        public Adam build() {
            validateMoments();
            return new Adam(this);
        }
    }
}
