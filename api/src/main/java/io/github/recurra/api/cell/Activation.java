package io.github.recurra.api.cell;

import java.util.Objects;

/**
 * An elementwise activation function of the ONNX recurrent operators ({@code activations},
 * {@code activation_alpha}, {@code activation_beta}). Immutable.
 *
 * <p>Formulas (α = {@link #alpha()}, β = {@link #beta()}):
 * <ul>
 *   <li>{@code Tanh}: tanh(x)</li>
 *   <li>{@code Sigmoid}: 1 / (1 + e^-x)</li>
 *   <li>{@code Relu}: max(0, x)</li>
 *   <li>{@code Affine}: α·x + β</li>
 *   <li>{@code LeakyRelu}: x if x ≥ 0, else α·x (default α = 0.01)</li>
 *   <li>{@code ThresholdedRelu}: x if x &gt; α, else 0 (default α = 1)</li>
 *   <li>{@code ScaledTanh}: α·tanh(β·x)</li>
 *   <li>{@code HardSigmoid}: max(0, min(1, α·x + β)) (defaults α = 0.2, β = 0.5)</li>
 *   <li>{@code Elu}: x if x ≥ 0, else α·(e^x − 1) (default α = 1)</li>
 *   <li>{@code Softsign}: x / (1 + |x|)</li>
 *   <li>{@code Softplus}: log(1 + e^x)</li>
 * </ul>
 */
public final class Activation {

    /** The function family; the ONNX name is {@link #onnxName()}. */
    public enum Kind {
        /** tanh(x). */
        TANH("Tanh"),
        /** The logistic function. */
        SIGMOID("Sigmoid"),
        /** max(0, x). */
        RELU("Relu"),
        /** α·x + β. */
        AFFINE("Affine"),
        /** x or α·x. */
        LEAKY_RELU("LeakyRelu"),
        /** x above α, else 0. */
        THRESHOLDED_RELU("ThresholdedRelu"),
        /** α·tanh(β·x). */
        SCALED_TANH("ScaledTanh"),
        /** clamp(α·x + β, 0, 1). */
        HARD_SIGMOID("HardSigmoid"),
        /** x or α·(e^x − 1). */
        ELU("Elu"),
        /** x / (1 + |x|). */
        SOFTSIGN("Softsign"),
        /** log(1 + e^x). */
        SOFTPLUS("Softplus");

        private final String onnxName;

        Kind(String onnxName) {
            this.onnxName = onnxName;
        }

        /** @return the name used in the ONNX {@code activations} attribute */
        public String onnxName() {
            return onnxName;
        }

        /**
         * @param onnxName a name of the ONNX {@code activations} attribute, in any letter case
         * @return its kind
         * @throws IllegalArgumentException for a name ONNX's recurrent operators do not define, listing those they do
         */
        public static Kind ofOnnxName(String onnxName) {
            for (Kind k : values()) {
                if (k.onnxName.equalsIgnoreCase(onnxName)) {
                    return k;
                }
            }
            StringBuilder known = new StringBuilder();
            for (Kind k : values()) {
                known.append(known.length() == 0 ? "" : ", ").append(k.onnxName);
            }
            throw new IllegalArgumentException("unknown activation '" + onnxName + "'; ONNX's recurrent operators "
                    + "define " + known);
        }
    }

    private static final Activation TANH = new Activation(Kind.TANH, 0f, 0f);
    private static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f, 0f);
    private static final Activation RELU = new Activation(Kind.RELU, 0f, 0f);

    private final Kind kind;
    private final float alpha;
    private final float beta;

    private Activation(Kind kind, float alpha, float beta) {
        this.kind = kind;
        this.alpha = alpha;
        this.beta = beta;
    }

    /** @return tanh */
    public static Activation tanh() {
        return TANH;
    }

    /** @return the logistic sigmoid */
    public static Activation sigmoid() {
        return SIGMOID;
    }

    /** @return the rectifier */
    public static Activation relu() {
        return RELU;
    }

    /**
     * @param alpha slope
     * @param beta  offset
     * @return α·x + β
     */
    public static Activation affine(float alpha, float beta) {
        return new Activation(Kind.AFFINE, finite("alpha", alpha), finite("beta", beta));
    }

    /**
     * @param alpha slope for negative inputs
     * @return the leaky rectifier
     */
    public static Activation leakyRelu(float alpha) {
        return new Activation(Kind.LEAKY_RELU, finite("alpha", alpha), 0f);
    }

    /**
     * @param alpha threshold
     * @return x above the threshold, else 0
     */
    public static Activation thresholdedRelu(float alpha) {
        return new Activation(Kind.THRESHOLDED_RELU, finite("alpha", alpha), 0f);
    }

    /**
     * @param alpha output scale
     * @param beta  input scale
     * @return α·tanh(β·x)
     */
    public static Activation scaledTanh(float alpha, float beta) {
        return new Activation(Kind.SCALED_TANH, finite("alpha", alpha), finite("beta", beta));
    }

    /**
     * @param alpha slope
     * @param beta  offset
     * @return clamp(α·x + β, 0, 1)
     */
    public static Activation hardSigmoid(float alpha, float beta) {
        return new Activation(Kind.HARD_SIGMOID, finite("alpha", alpha), finite("beta", beta));
    }

    /**
     * @param alpha scale of the negative part
     * @return the exponential linear unit
     */
    public static Activation elu(float alpha) {
        return new Activation(Kind.ELU, finite("alpha", alpha), 0f);
    }

    /** @return x / (1 + |x|) */
    public static Activation softsign() {
        return new Activation(Kind.SOFTSIGN, 0f, 0f);
    }

    /** @return log(1 + e^x) */
    public static Activation softplus() {
        return new Activation(Kind.SOFTPLUS, 0f, 0f);
    }

    /**
     * The activation with ONNX's default parameters for a kind that has defaults.
     *
     * @param kind the family
     * @return the activation
     * @throws IllegalArgumentException for {@code AFFINE} and {@code SCALED_TANH}, which have no defaults
     */
    public static Activation of(Kind kind) {
        switch (Objects.requireNonNull(kind, "kind")) {
            case TANH: return TANH;
            case SIGMOID: return SIGMOID;
            case RELU: return RELU;
            case LEAKY_RELU: return leakyRelu(0.01f);
            case THRESHOLDED_RELU: return thresholdedRelu(1f);
            case HARD_SIGMOID: return hardSigmoid(0.2f, 0.5f);
            case ELU: return elu(1f);
            case SOFTSIGN: return softsign();
            case SOFTPLUS: return softplus();
            default:
                throw new IllegalArgumentException(kind + " has no default parameters; use Activation."
                        + (kind == Kind.AFFINE ? "affine(alpha, beta)" : "scaledTanh(alpha, beta)"));
        }
    }

    /**
     * The activation of a kind with the given parameters, as ONNX lists them ({@code activation_alpha},
     * {@code activation_beta}); parameters a kind does not take are ignored.
     *
     * @param kind  the family
     * @param alpha α, for the kinds that take it
     * @param beta  β, for the kinds that take it
     * @return the activation
     * @throws IllegalArgumentException if a parameter the kind takes is not finite
     */
    public static Activation of(Kind kind, float alpha, float beta) {
        switch (Objects.requireNonNull(kind, "kind")) {
            case AFFINE: return affine(alpha, beta);
            case LEAKY_RELU: return leakyRelu(alpha);
            case THRESHOLDED_RELU: return thresholdedRelu(alpha);
            case SCALED_TANH: return scaledTanh(alpha, beta);
            case HARD_SIGMOID: return hardSigmoid(alpha, beta);
            case ELU: return elu(alpha);
            default: return of(kind);
        }
    }

    private static float finite(String name, float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("activation " + name + " must be finite but was " + v);
        }
        return v;
    }

    /** @return the family */
    public Kind kind() {
        return kind;
    }

    /** @return α (0 where the family has none) */
    public float alpha() {
        return alpha;
    }

    /** @return β (0 where the family has none) */
    public float beta() {
        return beta;
    }

    /** @return the ONNX attribute name */
    public String onnxName() {
        return kind.onnxName();
    }

    /**
     * Evaluates the function in float32 arithmetic (exponentials and tanh in double, rounded once).
     *
     * @param x the input
     * @return f(x)
     */
    public float apply(float x) {
        switch (kind) {
            case TANH: return tanhOf(x);
            case SIGMOID: return sigmoidOf(x);
            case RELU: return x > 0f ? x : 0f;
            case AFFINE: return alpha * x + beta;
            case LEAKY_RELU: return x >= 0f ? x : alpha * x;
            case THRESHOLDED_RELU: return x > alpha ? x : 0f;
            case SCALED_TANH: return alpha * tanhOf(beta * x);
            case HARD_SIGMOID: return Math.max(0f, Math.min(1f, alpha * x + beta));
            case ELU: return x >= 0f ? x : alpha * (float) Math.expm1(x);
            case SOFTSIGN: return x / (1f + Math.abs(x));
            case SOFTPLUS: return (float) (x > 20f ? x : Math.log1p(Math.exp(x)));
            default: throw new AssertionError(kind);
        }
    }

    /**
     * The derivative f'(x), given both the input and the output {@code y = f(x)} (some families are cheaper from
     * one, some from the other). At the kinks of the piecewise families, the derivative of the
     * branch the formula above selects is used.
     *
     * @param x the input
     * @param y f(x)
     * @return f'(x)
     */
    public float derivative(float x, float y) {
        switch (kind) {
            case TANH: return 1f - y * y;
            case SIGMOID: return y * (1f - y);
            case RELU: return x > 0f ? 1f : 0f;
            case AFFINE: return alpha;
            case LEAKY_RELU: return x >= 0f ? 1f : alpha;
            case THRESHOLDED_RELU: return x > alpha ? 1f : 0f;
            case SCALED_TANH: {
                float t = tanhOf(beta * x);
                return alpha * beta * (1f - t * t);
            }
            case HARD_SIGMOID: {
                float v = alpha * x + beta;
                return v > 0f && v < 1f ? alpha : 0f;
            }
            case ELU: return x >= 0f ? 1f : y + alpha;
            case SOFTSIGN: {
                float d = 1f + Math.abs(x);
                return 1f / (d * d);
            }
            case SOFTPLUS: return (float) (1.0 / (1.0 + Math.exp(-x)));
            default: throw new AssertionError(kind);
        }
    }

    /**
     * tanh in double precision as 1 − 2 / (e<sup>2x</sup> + 1), rounded once to float (the JIT compiles
     * {@link Math#exp} to an intrinsic, which {@link Math#tanh} is not). The absolute error is below 1e-16 before
     * rounding; for |x| below about 1e-8 the relative error grows (tanh(x) ≈ x there).
     *
     * @param x the input
     * @return tanh(x)
     */
    public static float tanhOf(float x) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
    }

    /**
     * The logistic function in double precision, rounded once to float.
     *
     * @param x the input
     * @return 1 / (1 + e<sup>−x</sup>)
     */
    public static float sigmoidOf(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Activation)) {
            return false;
        }
        Activation a = (Activation) o;
        return kind == a.kind && Float.compare(alpha, a.alpha) == 0 && Float.compare(beta, a.beta) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, alpha, beta);
    }

    @Override
    public String toString() {
        switch (kind) {
            case AFFINE: case SCALED_TANH: case HARD_SIGMOID:
                return kind.onnxName() + "(" + alpha + ", " + beta + ")";
            case LEAKY_RELU: case THRESHOLDED_RELU: case ELU:
                return kind.onnxName() + "(" + alpha + ")";
            default:
                return kind.onnxName();
        }
    }
}
