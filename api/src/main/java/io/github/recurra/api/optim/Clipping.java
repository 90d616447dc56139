package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;

/**
 * Gradient clipping applied before each update. Immutable.
 *
 * <p>By global norm (as TensorFlow's {@code clip_by_global_norm}): with n = √(Σ g²) over every gradient element of
 * every parameter, each gradient becomes g · c / max(n, c), where c is {@link #maxNorm()}; gradients whose global
 * norm is at most c are left untouched.
 */
public final class Clipping {
    private static final Clipping NONE = new Clipping(Double.POSITIVE_INFINITY);

    private final double maxNorm;

    private Clipping(double maxNorm) {
        this.maxNorm = maxNorm;
    }

    /** @return no clipping */
    public static Clipping none() {
        return NONE;
    }

    /**
     * @param maxNorm c, positive
     * @return clipping by global norm
     */
    public static Clipping globalNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isNaN(maxNorm)) {
            throw new IllegalArgumentException("the maximum global norm must be positive but was " + maxNorm);
        }
        return new Clipping(maxNorm);
    }

    /** @return c, or infinity for none */
    public double maxNorm() {
        return maxNorm;
    }

    /** @return whether this clips at all */
    public boolean isActive() {
        return maxNorm != Double.POSITIVE_INFINITY;
    }

    /**
     * The global norm √(Σ g²), accumulated in double.
     *
     * @param gradients the gradients
     * @return their global norm
     */
    public static double globalNormOf(Parameters gradients) {
        double sum = 0;
        for (Tensor t : gradients.asMap().values()) {
            float[] g = t.data();
            for (int i = 0; i < t.size(); i++) {
                sum += (double) g[i] * g[i];
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Clips in place.
     *
     * @param gradients modified: scaled by c / max(n, c)
     * @return the global norm before clipping
     */
    public double apply(Parameters gradients) {
        double norm = globalNormOf(gradients);
        if (isActive() && norm > maxNorm) {
            double scale = maxNorm / norm;
            for (Tensor t : gradients.asMap().values()) {
                float[] g = t.data();
                for (int i = 0; i < t.size(); i++) {
                    g[i] = (float) (g[i] * scale);
                }
            }
        }
        return norm;
    }

    @Override
    public String toString() {
        return isActive() ? "Clipping{globalNorm=" + maxNorm + "}" : "Clipping{none}";
    }
}
