package io.github.recurra.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise formulas between a cell's activations, for one batch row, on the Vector API (the activations
 * themselves are {@link VectorAct}'s). Each loop computes its values with the same operations in the same order as
 * the cell's scalar loop, so the bits are the same; each returns how many units it did (a multiple of the vector
 * length), and the caller's scalar loop does the rest. The formulas stay in loops of their own between the
 * activation loops: one pass per row with the activations inside measured slower, because C2 stops inlining the
 * activations into it (NodeCountInliningCutoff after the first one) and the vectors are then boxed at every call.
 */
final class VectorGates {
    private static final VectorSpecies<Float> S = VectorAct.S;

    private VectorGates() {
    }

    /**
     * LSTM forward, before the activations: a<sub>i</sub> += b<sub>i</sub> + p<sub>i</sub> C(t-1),
     * a<sub>f</sub> += b<sub>f</sub> + p<sub>f</sub> C(t-1) (0 when coupled), a<sub>c</sub> += b<sub>c</sub>.
     *
     * @param ad the step's pre-activations (modified), the row's gates i, o, f, c from {@code gi}
     * @param cp C(t-1), the row's units from {@code s0}
     */
    static int lstmPre(int hh, float[] bias, float[] p, boolean coupled, float[] ad, int gi, float[] cp, int s0) {
        int n = S.loopBound(hh);
        int gf = gi + 2 * hh;
        int gc = gi + 3 * hh;
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < n; j += S.length()) {
            FloatVector cprev = FloatVector.fromArray(S, cp, s0 + j);
            FloatVector.fromArray(S, ad, gi + j)
                    .add(FloatVector.fromArray(S, bias, j).add(FloatVector.fromArray(S, p, j).mul(cprev)))
                    .intoArray(ad, gi + j);
            if (coupled) {
                zero.intoArray(ad, gf + j);
            } else {
                // (a + b) + p C here, a + (b + p C) above: the scalar loop's association in each
                FloatVector.fromArray(S, ad, gf + j).add(FloatVector.fromArray(S, bias, 2 * hh + j))
                        .add(FloatVector.fromArray(S, p, 2 * hh + j).mul(cprev)).intoArray(ad, gf + j);
            }
            FloatVector.fromArray(S, ad, gc + j).add(FloatVector.fromArray(S, bias, 3 * hh + j)).intoArray(ad, gc + j);
        }
        return n;
    }

    /**
     * LSTM forward, between the gates and the output gate: C(t) = f C(t-1) + i c, then
     * a<sub>o</sub> += b<sub>o</sub> + p<sub>o</sub> C(t).
     *
     * @param gd the gate activations, ad the pre-activations (o modified), cn C(t) (written)
     */
    static int lstmCell(int hh, float[] bias, float[] p, float[] ad, float[] gd, int gi, float[] cp, float[] cn,
            int s0) {
        int n = S.loopBound(hh);
        int go = gi + hh;
        int gf = gi + 2 * hh;
        int gc = gi + 3 * hh;
        for (int j = 0; j < n; j += S.length()) {
            FloatVector c = FloatVector.fromArray(S, gd, gf + j).mul(FloatVector.fromArray(S, cp, s0 + j))
                    .add(FloatVector.fromArray(S, gd, gi + j).mul(FloatVector.fromArray(S, gd, gc + j)));
            c.intoArray(cn, s0 + j);
            FloatVector.fromArray(S, ad, go + j)
                    .add(FloatVector.fromArray(S, bias, hh + j).add(FloatVector.fromArray(S, p, hh + j).mul(c)))
                    .intoArray(ad, go + j);
        }
        return n;
    }

    /** {@code out[o0 + j] = x[x0 + j] * y[y0 + j]} for j in [0, len): LSTM's H(t) = o h(C(t)). */
    static int product(float[] x, int x0, float[] y, int y0, float[] out, int o0, int len) {
        int n = S.loopBound(len);
        for (int j = 0; j < n; j += S.length()) {
            FloatVector.fromArray(S, x, x0 + j).mul(FloatVector.fromArray(S, y, y0 + j)).intoArray(out, o0 + j);
        }
        return n;
    }

    /**
     * LSTM backward, first: dL/dH(t) = dh + ext (dh zeroed), split into the output gate's gradient dg<sub>o</sub> =
     * dL/dH h(C(t)) and {@code tmp} = dL/dH o.
     *
     * @param ext the gradient from above at this step, or null for none (zero is added then, as the scalar loop does)
     */
    static int lstmSplit(int hh, float[] dh, float[] ext, float[] tc, float[] gd, float[] dg, int go, float[] tmp,
            int s0) {
        int n = S.loopBound(hh);
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < n; j += S.length()) {
            int s = s0 + j;
            FloatVector dhv = FloatVector.fromArray(S, dh, s).add(ext == null ? zero : FloatVector.fromArray(S, ext, s));
            zero.intoArray(dh, s);
            dhv.mul(FloatVector.fromArray(S, tc, s)).intoArray(dg, go + j);
            dhv.mul(FloatVector.fromArray(S, gd, go + j)).intoArray(tmp, s);
        }
        return n;
    }

    /**
     * LSTM backward, second: dL/dC(t) = dc + tmp + dg<sub>o</sub> p<sub>o</sub> (into dc), and the gates' gradients
     * before their activations: dg<sub>i</sub> = dL/dC c (− dL/dC C(t-1) when coupled), dg<sub>f</sub> = dL/dC C(t-1)
     * (0 when coupled), dg<sub>c</sub> = dL/dC i.
     */
    static int lstmGates(int hh, float[] p, boolean coupled, float[] dc, float[] tmp, float[] cp, float[] gd,
            float[] dg, int gi, int s0) {
        int n = S.loopBound(hh);
        int go = gi + hh;
        int gf = gi + 2 * hh;
        int gc = gi + 3 * hh;
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < n; j += S.length()) {
            int s = s0 + j;
            FloatVector dcv = FloatVector.fromArray(S, dc, s).add(FloatVector.fromArray(S, tmp, s))
                    .add(FloatVector.fromArray(S, dg, go + j).mul(FloatVector.fromArray(S, p, hh + j)));
            FloatVector df = dcv.mul(FloatVector.fromArray(S, cp, s));
            FloatVector dai = dcv.mul(FloatVector.fromArray(S, gd, gc + j));
            if (coupled) {
                dai.sub(df).intoArray(dg, gi + j);
                zero.intoArray(dg, gf + j);
            } else {
                dai.intoArray(dg, gi + j);
                df.intoArray(dg, gf + j);
            }
            dcv.mul(FloatVector.fromArray(S, gd, gi + j)).intoArray(dg, gc + j);
            dcv.intoArray(dc, s);
        }
        return n;
    }

    /** LSTM backward, last: dL/dC(t-1) = dL/dC(t) f + dg<sub>i</sub> p<sub>i</sub> + dg<sub>f</sub> p<sub>f</sub>. */
    static int lstmCarry(int hh, float[] p, float[] dc, float[] gd, float[] dg, int gi, int s0) {
        int n = S.loopBound(hh);
        int gf = gi + 2 * hh;
        for (int j = 0; j < n; j += S.length()) {
            int s = s0 + j;
            FloatVector.fromArray(S, dc, s).mul(FloatVector.fromArray(S, gd, gf + j))
                    .add(FloatVector.fromArray(S, dg, gi + j).mul(FloatVector.fromArray(S, p, j)))
                    .add(FloatVector.fromArray(S, dg, gf + j).mul(FloatVector.fromArray(S, p, 2 * hh + j)))
                    .intoArray(dc, s);
        }
        return n;
    }

    /** {@code a[a0 + j] += x[x0 + j] + y[y0 + j]} for j in [0, len): a bias and a second product added. */
    static int addSum(float[] a, int a0, float[] x, int x0, float[] y, int y0, int len) {
        int n = S.loopBound(len);
        for (int j = 0; j < n; j += S.length()) {
            FloatVector.fromArray(S, a, a0 + j)
                    .add(FloatVector.fromArray(S, x, x0 + j).add(FloatVector.fromArray(S, y, y0 + j)))
                    .intoArray(a, a0 + j);
        }
        return n;
    }

    /** {@code a[a0 + j] += b[b0 + j] + x[x0 + j] * y[y0 + j]} for j in [0, len). */
    static int addSumProduct(float[] a, int a0, float[] b, int b0, float[] x, int x0, float[] y, int y0, int len) {
        int n = S.loopBound(len);
        for (int j = 0; j < n; j += S.length()) {
            FloatVector.fromArray(S, a, a0 + j).add(FloatVector.fromArray(S, b, b0 + j)
                    .add(FloatVector.fromArray(S, x, x0 + j).mul(FloatVector.fromArray(S, y, y0 + j))))
                    .intoArray(a, a0 + j);
        }
        return n;
    }

    /** {@code a[a0 + j] += x[x0 + j] * y[y0 + j]} for j in [0, len). */
    static int addProduct(float[] a, int a0, float[] x, int x0, float[] y, int y0, int len) {
        int n = S.loopBound(len);
        for (int j = 0; j < n; j += S.length()) {
            FloatVector.fromArray(S, a, a0 + j)
                    .add(FloatVector.fromArray(S, x, x0 + j).mul(FloatVector.fromArray(S, y, y0 + j)))
                    .intoArray(a, a0 + j);
        }
        return n;
    }

    /**
     * {@code out[s] = d[s] + (ext == null ? 0 : ext[s])}, then {@code d[s] = 0}, for s in [s0, s0 + len): a state's
     * gradient from the step after and from above, taken out of its accumulator.
     */
    static int takeSum(float[] d, float[] ext, float[] out, int s0, int len) {
        int n = S.loopBound(len);
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < n; j += S.length()) {
            int s = s0 + j;
            FloatVector.fromArray(S, d, s).add(ext == null ? zero : FloatVector.fromArray(S, ext, s)).intoArray(out, s);
            zero.intoArray(d, s);
        }
        return n;
    }

    /** GRU forward, last: H(t) = (1 − z) h + z H(t-1), gates z, r, h from {@code g0}, states from {@code s0}. */
    static int gruState(int hh, float[] gd, int g0, float[] hp, float[] hn, int s0) {
        int n = S.loopBound(hh);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += S.length()) {
            FloatVector z = FloatVector.fromArray(S, gd, g0 + j);
            one.sub(z).mul(FloatVector.fromArray(S, gd, g0 + 2 * hh + j))
                    .add(z.mul(FloatVector.fromArray(S, hp, s0 + j))).intoArray(hn, s0 + j);
        }
        return n;
    }

    /**
     * GRU backward, first: with dL/dH(t) = dh + ext, the gradients dz = dL/dH (H(t-1) − h), dh̃ = dL/dH (1 − z) and the
     * direct part dL/dH(t-1) = dL/dH z (into dh).
     */
    static int gruSplit(int hh, float[] dh, float[] ext, float[] gd, int g0, float[] hp, float[] dzr, int z0,
            float[] dah, int s0) {
        int n = S.loopBound(hh);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += S.length()) {
            int s = s0 + j;
            FloatVector dhv = FloatVector.fromArray(S, dh, s).add(ext == null ? zero : FloatVector.fromArray(S, ext, s));
            FloatVector z = FloatVector.fromArray(S, gd, g0 + j);
            dhv.mul(FloatVector.fromArray(S, hp, s).sub(FloatVector.fromArray(S, gd, g0 + 2 * hh + j)))
                    .intoArray(dzr, z0 + j);
            dhv.mul(one.sub(z)).intoArray(dah, s);
            dhv.mul(z).intoArray(dh, s);
        }
        return n;
    }
}
