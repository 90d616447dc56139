package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.param.Parameters;
import org.ejml.data.FMatrixRMaj;

/** LSTM per {@link LstmCell}'s formulas. Gate blocks i, o, f, c at column offsets 0, H, 2H, 3H. */
final class LstmKernel extends FusedKernel {
    private final boolean peepholes;
    private final boolean coupled;
    private final Activation fg;
    private final Activation gc;
    private final Activation ho;
    /** Peepholes i, o, f (zero without peepholes). */
    private final float[] p;

    LstmKernel(int layer, int dir, int in, LstmCell cell) {
        super(layer, dir, in, cell);
        this.peepholes = cell.hasPeepholes();
        this.coupled = cell.coupledInputForget();
        this.fg = cell.gateActivation();
        this.gc = cell.cellActivation();
        this.ho = cell.outputActivation();
        this.p = new float[3 * hidden];
    }

    @Override
    void load(Parameters params) {
        super.load(params);
        if (peepholes) {
            System.arraycopy(params.get(Parameters.p(layer)).data(), dir * 3 * hidden, p, 0, 3 * hidden);
        }
    }

    @Override
    Grads newGrads() {
        return newGrads(new float[3 * hidden]);
    }

    @Override
    LayerWorkspace newWorkspace(int batch, int time, FMatrixRMaj[] sharedInputs, boolean needDx) {
        return new LayerWorkspace(batch, time, in, hidden, 4, true, true, needDx, backwardReadsPre(clip, fg, gc, ho),
                sharedInputs);
    }

    @Override
    void forward(LayerWorkspace ws) {
        final int hh = hidden;
        // the formulas between the activations as VectorGates loops, the scalar loops doing the units after them
        final boolean vec = Blas.simd;
        for (int t = 0; t < ws.time; t++) {
            project(ws, t);
            float[] ad = ws.pre[t].data;
            float[] gd = ws.act[t].data;
            float[] cp = ws.c[t].data;
            float[] cn = ws.c[t + 1].data;
            float[] hn = ws.h[t + 1].data;
            float[] tc = ws.aux[t].data;
            for (int b = 0; b < ws.batch; b++) {
                int gi = b * gh;
                int go = gi + hh;
                int gf = gi + 2 * hh;
                int gc0 = gi + 3 * hh;
                int s0 = b * hh;
                // pre-activations of i, f, c: bias and the peepholes on C(t-1)
                for (int j = vec ? VectorGates.lstmPre(hh, bias, p, coupled, ad, gi, cp, s0) : 0; j < hh; j++) {
                    float cprev = cp[s0 + j];
                    ad[gi + j] += bias[j] + p[j] * cprev;
                    ad[gf + j] = coupled ? 0f : ad[gf + j] + bias[2 * hh + j] + p[2 * hh + j] * cprev;
                    ad[gc0 + j] += bias[3 * hh + j];
                }
                Act.forward(fg, clip, ad, gi, gd, gi, hh);
                if (coupled) {
                    for (int j = 0; j < hh; j++) {
                        gd[gf + j] = 1f - gd[gi + j];
                    }
                } else {
                    Act.forward(fg, clip, ad, gf, gd, gf, hh);
                }
                Act.forward(gc, clip, ad, gc0, gd, gc0, hh);
                // C(t) = f C(t-1) + i c; the output gate's peephole sees C(t)
                for (int j = vec ? VectorGates.lstmCell(hh, bias, p, ad, gd, gi, cp, cn, s0) : 0; j < hh; j++) {
                    float c = gd[gf + j] * cp[s0 + j] + gd[gi + j] * gd[gc0 + j];
                    cn[s0 + j] = c;
                    ad[go + j] += bias[hh + j] + p[hh + j] * c;
                }
                Act.forward(fg, clip, ad, go, gd, go, hh);
                Act.forward(ho, Float.POSITIVE_INFINITY, cn, s0, tc, s0, hh);
                for (int j = vec ? VectorGates.product(gd, go, tc, s0, hn, s0, hh) : 0; j < hh; j++) {
                    hn[s0 + j] = gd[go + j] * tc[s0 + j];
                }
            }
            freeze(ws, t);
        }
    }

    @Override
    void backward(LayerWorkspace ws, FMatrixRMaj[] dOut, FMatrixRMaj dFinal, Grads grads) {
        final int hh = hidden;
        // the formulas between the activations as VectorGates loops, the scalar loops doing the units after them
        final boolean vec = Blas.simd;
        float[] dP = grads.vecs[1];
        startBackward(ws, dFinal);
        float[] dh = ws.dH.data;
        float[] dc = ws.dC.data;
        float[] dg = ws.dGates.data;
        float[] tmp = ws.tmpH.data;
        for (int t = ws.time - 1; t >= 0; t--) {
            float[] ext = dOut[t] == null ? null : dOut[t].data;
            float[] ad = ws.pre[t].data;
            float[] gd = ws.act[t].data;
            float[] cp = ws.c[t].data;
            float[] cn = ws.c[t + 1].data;
            float[] tc = ws.aux[t].data;
            for (int b = 0; b < ws.batch; b++) {
                int gi = b * gh;
                int go = gi + hh;
                int gf = gi + 2 * hh;
                int gc0 = gi + 3 * hh;
                int s0 = b * hh;
                if (ws.masked(b, t)) {
                    java.util.Arrays.fill(dg, gi, gi + gh, 0f);
                    continue;
                }
                // dL/dH(t) = from above + from step t + 1; split into the output gate and h(C(t))
                for (int j = vec ? VectorGates.lstmSplit(hh, dh, ext, tc, gd, dg, go, tmp, s0) : 0; j < hh; j++) {
                    int s = s0 + j;
                    float dhv = dh[s] + (ext == null ? 0f : ext[s]);
                    dh[s] = 0f;
                    dg[go + j] = dhv * tc[s];
                    tmp[s] = dhv * gd[go + j];
                }
                Act.backward(ho, Float.POSITIVE_INFINITY, cn, s0, tc, s0, tmp, s0, tmp, s0, hh);
                Act.backward(fg, clip, ad, go, gd, go, dg, go, dg, go, hh);
                // dL/dC(t), then the gates that made it
                for (int j = vec ? VectorGates.lstmGates(hh, p, coupled, dc, tmp, cp, gd, dg, gi, s0) : 0; j < hh; j++) {
                    int s = s0 + j;
                    float dcv = dc[s] + tmp[s] + dg[go + j] * p[hh + j];
                    float df = dcv * cp[s];
                    dg[gi + j] = dcv * gd[gc0 + j] - (coupled ? df : 0f);
                    dg[gf + j] = coupled ? 0f : df;
                    dg[gc0 + j] = dcv * gd[gi + j];
                    dc[s] = dcv;
                }
                Act.backward(fg, clip, ad, gi, gd, gi, dg, gi, dg, gi, hh);
                if (!coupled) {
                    Act.backward(fg, clip, ad, gf, gd, gf, dg, gf, dg, gf, hh);
                }
                Act.backward(gc, clip, ad, gc0, gd, gc0, dg, gc0, dg, gc0, hh);
                for (int j = vec ? VectorGates.lstmCarry(hh, p, dc, gd, dg, gi, s0) : 0; j < hh; j++) {
                    int s = s0 + j;
                    float dai = dg[gi + j];
                    float daf = dg[gf + j];
                    dc[s] = dc[s] * gd[gf + j] + dai * p[j] + daf * p[2 * hh + j];
                }
                if (peepholes) {
                    for (int j = 0; j < hh; j++) {
                        int s = s0 + j;
                        dP[j] += dg[gi + j] * cp[s];
                        dP[hh + j] += dg[go + j] * cn[s];
                        dP[2 * hh + j] += dg[gf + j] * cp[s];
                    }
                }
            }
            accumulate(ws, t, grads);
        }
        finishBackward(ws, grads);
    }

    @Override
    void storeGrads(Grads g, Parameters out) {
        super.storeGrads(g, out);
        if (peepholes) {
            System.arraycopy(g.vecs[1], 0, out.get(Parameters.p(layer)).data(), dir * 3 * hidden, 3 * hidden);
        }
    }
}
