package io.github.recurra.api.optim;

import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;

/**
 * Gradient clipping applied before each update. Immutable, with value equality. Both kinds may be combined; by value
 * comes first.
 *
 * <ul>
 *   <li>By value: every gradient element becomes clamp(g, −v, v), v = {@link #maxValue()}.</li>
 *   <li>By global norm (as TensorFlow's {@code clip_by_global_norm}): with n = √(Σ g²) over every element of every
 *       parameter, each gradient becomes g · c / max(n, c), c = {@link #maxNorm()}; gradients whose global norm is at
 *       most c are left untouched.</li>
 * </ul>
 */
public record Clipping(double maxValue, double maxNorm) {
    private static final Clipping NONE = new Clipping(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    /**
     * Validates; prefer the factories ({@link #none()}, {@link #byValue}, {@link #globalNorm}).
     *
     * @param maxValue v, positive, or infinity for no clipping by value
     * @param maxNorm  c, positive, or infinity for no clipping by norm
     */
    public Clipping {
        if (!(maxNorm > 0) || Double.isNaN(maxNorm)) {
            throw new IllegalArgumentException("the maximum global norm must be positive but was " + maxNorm);
        }
        if (!(maxValue > 0) || Double.isNaN(maxValue)) {
            throw new IllegalArgumentException("the maximum gradient value must be positive but was " + maxValue);
        }
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
        return NONE.andGlobalNorm(maxNorm);
    }

    /**
     * @param maxValue v, positive
     * @return clipping by value
     */
    public static Clipping byValue(double maxValue) {
        return NONE.andByValue(maxValue);
    }

    /**
     * @param maxNorm c, positive
     * @return this clipping followed by clipping by global norm
     */
    public Clipping andGlobalNorm(double maxNorm) {
        return new Clipping(maxValue, maxNorm);
    }

    /**
     * @param maxValue v, positive
     * @return clipping by value, then this clipping's global norm
     */
    public Clipping andByValue(double maxValue) {
        return new Clipping(maxValue, maxNorm);
    }

    /** @return c, or infinity for none */
    @Override
    public double maxNorm() {
        return maxNorm;
    }

    /** @return v, or infinity for none */
    @Override
    public double maxValue() {
        return maxValue;
    }

    /** @return whether this clips at all */
    public boolean isActive() {
        return maxNorm != Double.POSITIVE_INFINITY || maxValue != Double.POSITIVE_INFINITY;
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
     * @param gradients modified: clamped by value, then scaled by c / max(n, c)
     * @return the global norm before any clipping
     */
    public double apply(Parameters gradients) {
        double before = globalNormOf(gradients);
        if (maxValue != Double.POSITIVE_INFINITY) {
            float v = (float) maxValue;
            for (Tensor t : gradients.asMap().values()) {
                float[] g = t.data();
                for (int i = 0; i < t.size(); i++) {
                    g[i] = Math.max(-v, Math.min(v, g[i]));
                }
            }
        }
        if (maxNorm != Double.POSITIVE_INFINITY) {
            double norm = maxValue != Double.POSITIVE_INFINITY ? globalNormOf(gradients) : before;
            if (norm > maxNorm) {
                double scale = maxNorm / norm;
                for (Tensor t : gradients.asMap().values()) {
                    float[] g = t.data();
                    for (int i = 0; i < t.size(); i++) {
                        g[i] = (float) (g[i] * scale);
                    }
                }
            }
        }
        return before;
    }

    @Override
    public String toString() {
        if (!isActive()) {
            return "Clipping{none}";
        }
        return "Clipping{" + (maxValue != Double.POSITIVE_INFINITY ? "value=" + maxValue : "")
                + (maxValue != Double.POSITIVE_INFINITY && maxNorm != Double.POSITIVE_INFINITY ? ", " : "")
                + (maxNorm != Double.POSITIVE_INFINITY ? "globalNorm=" + maxNorm : "") + "}";
    }
}
