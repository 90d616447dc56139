package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;

/**
 * Activations over contiguous ranges, with the cell's clip applied to the pre-activation first. Sigmoid, tanh and
 * relu run on the Vector API ({@link VectorAct}) when {@link Blas#simd} is on; everything else, and the tails, run
 * the scalar formulas of {@link Activation}.
 */
final class Act {

    private Act() {
    }

    static float clamp(float a, float clip) {
        return a > clip ? clip : (a < -clip ? -clip : a);
    }

    /** {@code dst[d0 + i] = f(clamp(src[s0 + i]))} for i in [0, len). */
    static void forward(Activation f, float clip, float[] src, int s0, float[] dst, int d0, int len) {
        int done = Blas.simd && VectorAct.supports(f) ? VectorAct.forward(f, clip, src, s0, dst, d0, len) : 0;
        for (int i = done; i < len; i++) {
            dst[d0 + i] = f.apply(clamp(src[s0 + i], clip));
        }
    }

    /**
     * {@code dst = grad ⊙ f'(clamp(pre)) ⊙ [|pre| ≤ clip]}, with f' computed from the stored output {@code out} where
     * the family allows.
     */
    static void backward(Activation f, float clip, float[] pre, int p0, float[] out, int o0, float[] grad, int g0,
            float[] dst, int d0, int len) {
        int done = Blas.simd && VectorAct.supports(f)
                ? VectorAct.backward(f, clip, pre, p0, out, o0, grad, g0, dst, d0, len) : 0;
        for (int i = done; i < len; i++) {
            float a = pre[p0 + i];
            float slope = a > clip || a < -clip ? 0f : 1f;
            dst[d0 + i] = grad[g0 + i] * f.derivative(clamp(a, clip), out[o0 + i]) * slope;
        }
    }
}
