package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import java.util.Objects;

/**
 * Stochastic gradient descent: θ ← θ − η·g, where η is the learning rate and g the (clipped) gradient, computed in
 * float32 per element. Immutable; build with {@link #builder()}.
 */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private final Clipping clipping;

    private Sgd(Builder b) {
        this.learningRate = b.learningRate;
        this.clipping = b.clipping;
    }

    /** @return a builder with learning rate 0.01 and no clipping */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public Clipping clipping() {
        return clipping;
    }

    @Override
    public OptimizerState newState(Parameters parameters) {
        float lr = (float) learningRate;
        return new OptimizerState(this, parameters) {
            @Override
            protected void apply(String name, float[] p, float[] g, long t) {
                for (int i = 0; i < p.length; i++) {
                    p[i] -= lr * g[i];
                }
            }
        };
    }

    @Override
    public String toString() {
        return "Sgd{lr=" + learningRate + ", " + clipping + "}";
    }

    /** Builder for {@link Sgd}. */
    public static final class Builder {
        private double learningRate = 0.01;
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
         * @param clipping gradient clipping (default none)
         * @return this
         */
        public Builder clipping(Clipping clipping) {
            this.clipping = Objects.requireNonNull(clipping, "clipping");
            return this;
        }

        /** @return the optimizer */
        public Sgd build() {
            Optimizer.checkLearningRate(learningRate);
            return new Sgd(this);
        }
    }
}
