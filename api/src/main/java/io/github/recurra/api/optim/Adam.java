package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adam (Kingma &amp; Ba 2015) in the form PyTorch's {@code torch.optim.Adam} computes. At step t (from 1), with
 * gradient g, learning rate η, and moments m, v starting at zero:
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (η / (1 − β1<sup>t</sup>)) · m / (√v / √(1 − β2<sup>t</sup>) + ε)
 * </pre>
 * Moments are float32; the bias corrections are computed in double. (TensorFlow's Adam puts ε outside the bias
 * correction of v, so it differs slightly when √v is comparable to ε.) Immutable; build with {@link #builder()}.
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Clipping clipping;

    private Adam(Builder b) {
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.clipping = b.clipping;
    }

    /** @return a builder with η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8, no clipping */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    /** @return β1 */
    public double beta1() {
        return beta1;
    }

    /** @return β2 */
    public double beta2() {
        return beta2;
    }

    /** @return ε */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public Clipping clipping() {
        return clipping;
    }

    @Override
    public OptimizerState newState(Parameters parameters) {
        Map<String, float[]> ms = new HashMap<>();
        Map<String, float[]> vs = new HashMap<>();
        parameters.asMap().forEach((name, t) -> {
            ms.put(name, new float[t.size()]);
            vs.put(name, new float[t.size()]);
        });
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        return new OptimizerState(this, parameters) {
            @Override
            protected void apply(String name, float[] p, float[] g, long t) {
                float[] m = ms.get(name);
                float[] v = vs.get(name);
                double bc1 = 1 - Math.pow(beta1, t);
                double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
                float stepSize = (float) (learningRate / bc1);
                for (int i = 0; i < p.length; i++) {
                    float gi = g[i];
                    float mi = b1 * m[i] + c1 * gi;
                    float vi = b2 * v[i] + c2 * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    float denom = (float) (Math.sqrt(vi) / bc2Sqrt + epsilon);
                    p[i] -= stepSize * (mi / denom);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "Adam{lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ", "
                + clipping + "}";
    }

    /** Builder for {@link Adam}; {@link #build()} validates. */
    public static final class Builder {
        private double learningRate = 0.001;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private Clipping clipping = Clipping.none();

        private Builder() {
        }

        /**
         * @param learningRate η, positive
         * @return this
         */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * @param beta1 decay of the first moment, in [0, 1)
         * @return this
         */
        public Builder beta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * @param beta2 decay of the second moment, in [0, 1)
         * @return this
         */
        public Builder beta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * @param epsilon added to the denominator, positive
         * @return this
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * @param clipping gradient clipping (default none)
         * @return this
         */
        public Builder clipping(Clipping clipping) {
            this.clipping = Objects.requireNonNull(clipping, "clipping");
            return this;
        }

        /** @return the optimizer */
        public Adam build() {
            Optimizer.checkLearningRate(learningRate);
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1) but was " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1) but was " + beta2);
            }
            if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("epsilon must be positive and finite but was " + epsilon);
            }
            return new Adam(this);
        }
    }
}
