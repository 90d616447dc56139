package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Activation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The API's activations and the cells' clip as TensorFlow ops that have C++ gradients (so {@code addGradients} can
 * differentiate them) and the derivatives of {@link Activation#derivative}: piecewise families are written as products
 * with 0/1 masks under {@code StopGradient}, so at a kink the branch the API's formula selects gives the slope.
 * Clipping uses {@code Maximum}/{@code Minimum} (whose gradients pass where {@code |a| ≤ clip}, as the CPU backend's),
 * not {@code ClipByValue}, which has none.
 */
final class Activations {

    private Activations() {
    }

    /**
     * @param tf   where to add the ops
     * @param clip the threshold, or infinity for none
     * @param x    the pre-activation
     * @return {@code min(max(x, −clip), clip)}, or x itself without a clip
     */
    static Operand<TFloat32> clip(Ops tf, float clip, Operand<TFloat32> x) {
        if (clip == Float.POSITIVE_INFINITY) {
            return x;
        }
        return tf.math.minimum(tf.math.maximum(x, tf.constant(-clip)), tf.constant(clip));
    }

    /**
     * @param tf   where to add the ops
     * @param f    the activation
     * @param clip applied to x first (infinity for none)
     * @param x    the pre-activation
     * @return f(clip(x))
     */
    static Operand<TFloat32> apply(Ops tf, Activation f, float clip, Operand<TFloat32> x) {
        return apply(tf, f, clip(tf, clip, x));
    }

    /**
     * @param tf where to add the ops
     * @param f  the activation
     * @param x  its input
     * @return f(x), per {@link Activation}'s formulas
     */
    static Operand<TFloat32> apply(Ops tf, Activation f, Operand<TFloat32> x) {
        float a = f.alpha();
        float b = f.beta();
        switch (f.kind()) {
            case TANH:
                return tf.math.tanh(x);
            case SIGMOID:
                return tf.math.sigmoid(x);
            case RELU:
                return tf.nn.relu(x);
            case AFFINE:
                return tf.math.add(tf.math.mul(x, tf.constant(a)), tf.constant(b));
            case LEAKY_RELU: {
                // x where x ≥ 0, else αx: slope m + α(1 − m) with m = [x ≥ 0]
                Operand<TFloat32> m = mask(tf, tf.math.greaterEqual(x, tf.constant(0f)));
                Operand<TFloat32> slope = tf.math.add(m, tf.math.mul(tf.math.sub(tf.constant(1f), m), tf.constant(a)));
                return tf.math.mul(x, tf.stopGradient(slope));
            }
            case THRESHOLDED_RELU:
                return tf.math.mul(x, mask(tf, tf.math.greater(x, tf.constant(a))));
            case SCALED_TANH:
                return tf.math.mul(tf.constant(a), tf.math.tanh(tf.math.mul(tf.constant(b), x)));
            case HARD_SIGMOID: {
                // v = αx + β: v inside (0, 1), 1 from 1 up, 0 from 0 down; slope α only inside
                Operand<TFloat32> v = tf.math.add(tf.math.mul(x, tf.constant(a)), tf.constant(b));
                Operand<TFloat32> inside = mask(tf, tf.math.logicalAnd(tf.math.greater(v, tf.constant(0f)),
                        tf.math.less(v, tf.constant(1f))));
                Operand<TFloat32> top = mask(tf, tf.math.greaterEqual(v, tf.constant(1f)));
                return tf.math.add(tf.math.mul(v, inside), top);
            }
            case ELU: {
                // x where x ≥ 0, else α(eˣ − 1); the exponential sees min(x, 0) so that it cannot overflow
                Operand<TFloat32> m = mask(tf, tf.math.greaterEqual(x, tf.constant(0f)));
                Operand<TFloat32> neg = tf.math.mul(tf.constant(a),
                        tf.math.sub(tf.math.exp(tf.math.minimum(x, tf.constant(0f))), tf.constant(1f)));
                return tf.math.add(tf.math.mul(m, x), tf.math.mul(tf.math.sub(tf.constant(1f), m), neg));
            }
            case SOFTSIGN:
                return tf.math.div(x, tf.math.add(tf.constant(1f), tf.math.abs(x)));
            case SOFTPLUS: {
                // log(1 + eˣ), and x itself above 20 (as the API computes it)
                Operand<TFloat32> big = mask(tf, tf.math.greater(x, tf.constant(20f)));
                Operand<TFloat32> soft = tf.math.log1p(tf.math.exp(tf.math.minimum(x, tf.constant(20f))));
                return tf.math.add(tf.math.mul(big, x), tf.math.mul(tf.math.sub(tf.constant(1f), big), soft));
            }
            default:
                throw new AssertionError(f.kind());
        }
    }

    /** A 0/1 float mask of a condition, outside the gradient. */
    private static Operand<TFloat32> mask(Ops tf, Operand<org.tensorflow.types.TBool> condition) {
        return tf.stopGradient(tf.dtypes.cast(condition, TFloat32.class));
    }
}
