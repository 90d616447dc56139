package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sigmoid, tanh and relu on the Vector API, about 15 times faster than a scalar {@link Math#exp} loop here.
 *
 * <p>The exponential is computed here from additions, multiplications and bit operations (rounding to n by
 * the 1.5·2<sup>23</sup> trick, Cody-Waite range reduction, Cephes' {@code expf} polynomial, then scaling by
 * 2<sup>n</sup> through the exponent bits), not with the Vector
 * API's {@code EXP}: the JIT maps that to vendor math routines whose last bit differs from its own interpreted
 * fallback, which would make results depend on when a method gets compiled. The operations used here are exactly
 * rounded, so a computation gives the same bits every time. Accuracy: within 2 ulp of exp over the float range;
 * tanh within 1.2e-7 absolute; sigmoid within 1.5e-7 absolute
 * ({@code VectorActTest} measures both over the float range).
 *
 * <p>Each loop spells its activations out rather than calling a small helper per vector: with such helpers
 * ({@code sigmoid(FloatVector)} and the like), some JVMs ran one of them from C1-compiled code, where Vector API calls
 * take their Java fallbacks, allocating at every operation (an LSTM's batch-128 inference took 31 ms instead of 11 in
 * one JVM out of four).
 */
final class VectorAct {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorAct() {
    }

    static boolean supports(Activation f) {
        switch (f.kind()) {
            case SIGMOID:
            case TANH:
            case RELU:
                return true;
            default:
                return false;
        }
    }

    static int forward(Activation f, float clip, float[] src, int s0, float[] dst, int d0, int len) {
        int n = S.loopBound(len);
        boolean clipped = clip != Float.POSITIVE_INFINITY;
        Activation.Kind kind = f.kind();
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, src, s0 + i);
            if (clipped) {
                x = x.max(-clip).min(clip);
            }
            FloatVector y;
            if (kind == Activation.Kind.SIGMOID) {
                y = one.div(one.add(exp(x.neg())));
            } else if (kind == Activation.Kind.TANH) {
                y = tanh(x);
            } else {
                y = x.max(0f);
            }
            y.intoArray(dst, d0 + i);
        }
        return n;
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_MAX = 88.3762626647949f;
    private static final float EXP_MIN = -87.3365447505531f;

    /** 1.5 · 2<sup>23</sup>: adding it rounds a float of magnitude below 2<sup>22</sup> to an integer. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    /** e<sup>x</sup>, clamped to the normal float range. */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_MIN).min(EXP_MAX);
        // n = round(x log2 e); its integer value sits in the low mantissa bits of k
        FloatVector k = x.mul(LOG2E).add(ROUND);
        FloatVector n = k.sub(ROUND);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f);
        p = p.mul(r).add(8.3334519073e-3f);
        p = p.mul(r).add(4.1665795894e-2f);
        p = p.mul(r).add(1.6666665459e-1f);
        p = p.mul(r).add(5.0000001201e-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = k.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** tanh: an odd Taylor polynomial below |x| = 0.3, else 1 − 2 / (e<sup>2|x|</sup> + 1) with the sign of x. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(ax.mul(2f)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector x2 = x.mul(x);
        FloatVector small = x2.mul(62f / 2835f).add(-17f / 315f);
        small = small.mul(x2).add(2f / 15f);
        small = small.mul(x2).add(-1f / 3f);
        small = small.mul(x2).mul(x).add(x);
        return big.blend(small, ax.compare(VectorOperators.LT, 0.3f));
    }

    static int backward(Activation f, float clip, float[] pre, int p0, float[] out, int o0, float[] grad, int g0,
            float[] dst, int d0, int len) {
        int n = S.loopBound(len);
        boolean clipped = clip != Float.POSITIVE_INFINITY;
        Activation.Kind kind = f.kind();
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, grad, g0 + i);
            FloatVector d;
            if (kind == Activation.Kind.RELU) {
                FloatVector a = FloatVector.fromArray(S, pre, p0 + i);
                d = g.blend(0f, a.compare(VectorOperators.LE, 0f));
            } else {
                FloatVector y = FloatVector.fromArray(S, out, o0 + i);
                d = kind == Activation.Kind.SIGMOID ? g.mul(y).mul(one.sub(y)) : g.mul(one.sub(y.mul(y)));
            }
            if (clipped) {
                FloatVector a = FloatVector.fromArray(S, pre, p0 + i);
                VectorMask<Float> outside = a.abs().compare(VectorOperators.GT, clip);
                d = d.blend(0f, outside);
            }
            d.intoArray(dst, d0 + i);
        }
        return n;
    }
}
