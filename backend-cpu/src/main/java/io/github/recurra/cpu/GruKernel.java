package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.param.Parameters;
import org.ejml.data.FMatrixRMaj;

/**
 * GRU per {@link GruCell}'s formulas, both reset modes. Gate blocks z, r, h at column offsets 0, H, 2H. The
 * recurrent weights are kept as two blocks (z and r together, h alone) because the h block's product is taken with
 * a different left operand when the reset gate comes before it.
 */
final class GruKernel extends Kernel {
    private final boolean linearBeforeReset;
    private final Activation fg;
    private final Activation cand;
    private final FMatrixRMaj wt;
    private final FMatrixRMaj w;
    private final FMatrixRMaj rtZr;
    private final FMatrixRMaj rtH;
    private final FMatrixRMaj rZr;
    private final FMatrixRMaj rH;
    /** Input-side bias per gate: Wb + Rb for z and r; for h, Wb + Rb without linearBeforeReset, else Wb only. */
    private final float[] bias;
    /** Rb of the h block (used inside the reset product when linearBeforeReset). */
    private final float[] rbh;
    /** The weights packed for the products that read them at every step. */
    private final Blas.Packed wtP;
    private final Blas.Packed wP;
    private final Blas.Packed rtZrP;
    private final Blas.Packed rtHP;
    private final Blas.Packed rZrP;
    private final Blas.Packed rHP;

    GruKernel(int layer, int dir, int in, GruCell cell) {
        super(layer, dir, in, cell);
        this.linearBeforeReset = cell.linearBeforeReset();
        this.fg = cell.gateActivation();
        this.cand = cell.candidateActivation();
        this.wt = new FMatrixRMaj(in, gh);
        this.w = new FMatrixRMaj(gh, in);
        this.rtZr = new FMatrixRMaj(hidden, 2 * hidden);
        this.rtH = new FMatrixRMaj(hidden, hidden);
        this.rZr = new FMatrixRMaj(2 * hidden, hidden);
        this.rH = new FMatrixRMaj(hidden, hidden);
        this.bias = new float[gh];
        this.rbh = new float[hidden];
        this.wtP = new Blas.Packed(wt);
        this.wP = new Blas.Packed(w);
        this.rtZrP = new Blas.Packed(rtZr);
        this.rtHP = new Blas.Packed(rtH);
        this.rZrP = new Blas.Packed(rZr);
        this.rHP = new Blas.Packed(rH);
    }

    @Override
    void load(Parameters params) {
        float[] cw = params.get(Parameters.w(layer)).data();
        float[] cr = params.get(Parameters.r(layer)).data();
        float[] cb = params.get(Parameters.b(layer)).data();
        int hh = hidden;
        int r0 = rOffset();
        int b0 = bOffset();
        Blas.copyFrom(cw, wOffset(), w);
        Blas.transposeFrom(cw, wOffset(), gh, in, wt);
        Blas.copyFrom(cr, r0, rZr);
        Blas.copyFrom(cr, r0 + 2 * hh * hh, rH);
        Blas.transposeFrom(cr, r0, 2 * hh, hh, rtZr);
        Blas.transposeFrom(cr, r0 + 2 * hh * hh, hh, hh, rtH);
        for (Blas.Packed packed : new Blas.Packed[] {wtP, wP, rtZrP, rtHP, rZrP, rHP}) {
            packed.refresh();
        }
        for (int j = 0; j < 2 * hh; j++) {
            bias[j] = cb[b0 + j] + cb[b0 + gh + j];
        }
        for (int j = 0; j < hh; j++) {
            rbh[j] = cb[b0 + gh + 2 * hh + j];
            bias[2 * hh + j] = cb[b0 + 2 * hh + j] + (linearBeforeReset ? 0f : rbh[j]);
        }
    }

    @Override
    Grads newGrads() {
        return new Grads(new FMatrixRMaj[] {new FMatrixRMaj(in, gh), new FMatrixRMaj(hidden, 2 * hidden),
            new FMatrixRMaj(hidden, hidden)}, new float[][] {new float[gh], new float[hidden]});
    }

    @Override
    LayerWorkspace newWorkspace(int batch, int time, FMatrixRMaj[] sharedInputs, boolean needDx) {
        return new LayerWorkspace(batch, time, in, hidden, 3, false, true, needDx, backwardReadsPre(clip, fg, cand),
                sharedInputs);
    }

    @Override
    void forward(LayerWorkspace ws) {
        final int hh = hidden;
        // the formulas between the activations as VectorGates loops, the scalar loops doing the units after them
        final boolean vec = Blas.simd;
        for (int t = 0; t < ws.time; t++) {
            FMatrixRMaj hp = ws.h[t];
            Blas.mult(ws.x[t], wtP, ws.pre[t]);
            Blas.mult(hp, rtZrP, ws.tmpZr);
            float[] ad = ws.pre[t].data;
            float[] gd = ws.act[t].data;
            float[] zr = ws.tmpZr.data;
            float[] hpd = hp.data;
            float[] aux = ws.aux[t].data;
            for (int b = 0; b < ws.batch; b++) {
                int g0 = b * gh;
                int z0 = b * 2 * hh;
                for (int j = vec ? VectorGates.addSum(ad, g0, zr, z0, bias, 0, 2 * hh) : 0; j < 2 * hh; j++) {
                    ad[g0 + j] += zr[z0 + j] + bias[j];
                }
                Act.forward(fg, clip, ad, g0, gd, g0, 2 * hh);
            }
            float[] th = ws.tmpH.data;
            if (linearBeforeReset) {
                Blas.mult(hp, rtHP, ws.aux[t]);
                Blas.addRowVector(ws.aux[t], 0, rbh, 0, hh);
            } else {
                for (int b = 0; b < ws.batch; b++) {
                    int g0 = b * gh;
                    int s0 = b * hh;
                    for (int j = vec ? VectorGates.product(gd, g0 + hh, hpd, s0, aux, s0, hh) : 0; j < hh; j++) {
                        aux[s0 + j] = gd[g0 + hh + j] * hpd[s0 + j];
                    }
                }
                Blas.mult(ws.aux[t], rtHP, ws.tmpH);
            }
            float[] hn = ws.h[t + 1].data;
            for (int b = 0; b < ws.batch; b++) {
                int g0 = b * gh;
                int gr = g0 + hh;
                int gc = g0 + 2 * hh;
                int s0 = b * hh;
                if (linearBeforeReset) {
                    for (int j = vec ? VectorGates.addSumProduct(ad, gc, bias, 2 * hh, gd, gr, aux, s0, hh) : 0; j < hh;
                            j++) {
                        ad[gc + j] += bias[2 * hh + j] + gd[gr + j] * aux[s0 + j];
                    }
                } else {
                    for (int j = vec ? VectorGates.addSum(ad, gc, bias, 2 * hh, th, s0, hh) : 0; j < hh; j++) {
                        ad[gc + j] += bias[2 * hh + j] + th[s0 + j];
                    }
                }
                Act.forward(cand, clip, ad, gc, gd, gc, hh);
                for (int j = vec ? VectorGates.gruState(hh, gd, g0, hpd, hn, s0) : 0; j < hh; j++) {
                    float z = gd[g0 + j];
                    hn[s0 + j] = (1f - z) * gd[gc + j] + z * hpd[s0 + j];
                }
            }
            freeze(ws, t);
        }
    }

    @Override
    void backward(LayerWorkspace ws, FMatrixRMaj[] dOut, FMatrixRMaj dFinal, Grads grads) {
        final int hh = hidden;
        final boolean vec = Blas.simd;
        FMatrixRMaj dWt = grads.mats[0];
        FMatrixRMaj dRtZr = grads.mats[1];
        FMatrixRMaj dRtH = grads.mats[2];
        float[] dBias = grads.vecs[0];
        float[] dRbh = grads.vecs[1];
        startBackward(ws, dFinal);
        float[] dh = ws.dH.data;
        float[] dg = ws.dGates.data;
        float[] dzr = ws.dZr.data;
        float[] dah = ws.dAh.data;
        float[] tmp = ws.tmpH.data;
        for (int t = ws.time - 1; t >= 0; t--) {
            float[] ext = dOut[t] == null ? null : dOut[t].data;
            float[] ad = ws.pre[t].data;
            float[] gd = ws.act[t].data;
            float[] hpd = ws.h[t].data;
            float[] aux = ws.aux[t].data;
            // H(t) = (1 - z) h + z H(t-1): gradients into z, the candidate and H(t-1) directly
            for (int b = 0; b < ws.batch; b++) {
                int g0 = b * gh;
                int s0 = b * hh;
                int z0 = b * 2 * hh;
                if (ws.masked(b, t)) {
                    java.util.Arrays.fill(dzr, z0, z0 + 2 * hh, 0f);
                    java.util.Arrays.fill(dah, s0, s0 + hh, 0f);
                    continue;
                }
                for (int j = vec ? VectorGates.gruSplit(hh, dh, ext, gd, g0, hpd, dzr, z0, dah, s0) : 0; j < hh; j++) {
                    int s = s0 + j;
                    float dhv = dh[s] + (ext == null ? 0f : ext[s]);
                    float z = gd[g0 + j];
                    dzr[z0 + j] = dhv * (hpd[s] - gd[g0 + 2 * hh + j]);
                    dah[s] = dhv * (1f - z);
                    dh[s] = dhv * z;
                }
                Act.backward(cand, clip, ad, g0 + 2 * hh, gd, g0 + 2 * hh, dah, s0, dah, s0, hh);
                Act.backward(fg, clip, ad, g0, gd, g0, dzr, z0, dzr, z0, hh);
            }
            boolean summed = sumOverSteps();
            if (!linearBeforeReset) {
                Blas.mult(ws.dAh, rHP, ws.tmpH);
                if (!summed) {
                    Blas.multAddTransA(ws.aux[t], ws.dAh, dRtH);
                }
            }
            // the reset gate
            for (int b = 0; b < ws.batch; b++) {
                int g0 = b * gh;
                int s0 = b * hh;
                int z0 = b * 2 * hh;
                if (ws.masked(b, t)) {
                    java.util.Arrays.fill(dg, g0, g0 + gh, 0f);
                    java.util.Arrays.fill(tmp, s0, s0 + hh, 0f);
                    continue;
                }
                if (linearBeforeReset) {
                    int j0 = 0;
                    if (vec) {
                        j0 = VectorGates.product(dah, s0, aux, s0, dzr, z0 + hh, hh);
                        VectorGates.product(dah, s0, gd, g0 + hh, tmp, s0, hh);
                    }
                    for (int j = j0; j < hh; j++) {
                        int s = s0 + j;
                        dzr[z0 + hh + j] = dah[s] * aux[s];
                        tmp[s] = dah[s] * gd[g0 + hh + j];
                    }
                } else {
                    int j0 = 0;
                    if (vec) {
                        j0 = VectorGates.product(tmp, s0, hpd, s0, dzr, z0 + hh, hh);
                        VectorGates.addProduct(dh, s0, tmp, s0, gd, g0 + hh, hh);
                    }
                    for (int j = j0; j < hh; j++) {
                        int s = s0 + j;
                        dzr[z0 + hh + j] = tmp[s] * hpd[s];
                        dh[s] += tmp[s] * gd[g0 + hh + j];
                    }
                }
                Act.backward(fg, clip, ad, g0 + hh, gd, g0 + hh, dzr, z0 + hh, dzr, z0 + hh, hh);
                System.arraycopy(dzr, z0, dg, g0, 2 * hh);
                System.arraycopy(dah, s0, dg, g0 + 2 * hh, hh);
            }
            if (summed) {
                // the weight gradients are taken once over all steps after the loop, from these kept gradients
                System.arraycopy(dg, 0, ws.dGatesPerStep()[t].data, 0, dg.length);
                if (linearBeforeReset) {
                    System.arraycopy(tmp, 0, ws.dResetPerStep()[t].data, 0, tmp.length);
                }
            }
            if (linearBeforeReset) {
                if (!summed) {
                    Blas.multAddTransA(ws.h[t], ws.tmpH, dRtH);
                }
                Blas.addColumnSums(ws.tmpH, 0, hh, dRbh, 0);
                Blas.multAdd(ws.tmpH, rHP, ws.dH);
            }
            if (!summed) {
                Blas.multAddTransA(ws.h[t], ws.dZr, dRtZr);
            }
            Blas.multAdd(ws.dZr, rZrP, ws.dH);
            if (!summed) {
                Blas.multAddTransA(ws.x[t], ws.dGates, dWt);
            }
            Blas.addColumnSums(ws.dGates, 0, gh, dBias, 0);
            if (ws.dx != null) {
                Blas.mult(ws.dGates, wP, ws.dx[t]);
            }
        }
        if (sumOverSteps()) {
            // the same terms in the same order as the step-by-step products: the same bits
            int n = ws.time;
            FMatrixRMaj[] gs = lastToFirst(ws.dGatesPerStep(), n);
            FMatrixRMaj[] hs = lastToFirst(ws.h, n);
            Blas.multAddTransASum(lastToFirst(ws.x, n), gs, 0, dWt);
            Blas.multAddTransASum(hs, gs, 0, dRtZr);
            if (linearBeforeReset) {
                Blas.multAddTransASum(hs, lastToFirst(ws.dResetPerStep(), n), 0, dRtH);
            } else {
                Blas.multAddTransASum(lastToFirst(ws.aux, n), gs, 2 * hh, dRtH);
            }
        }
    }

    @Override
    void storeGrads(Grads g, Parameters out) {
        int hh = hidden;
        Blas.transposeTo(g.mats[0], out.get(Parameters.w(layer)).data(), wOffset());
        float[] dr = out.get(Parameters.r(layer)).data();
        Blas.transposeTo(g.mats[1], dr, rOffset());
        Blas.transposeTo(g.mats[2], dr, rOffset() + 2 * hh * hh);
        float[] db = out.get(Parameters.b(layer)).data();
        int b0 = bOffset();
        System.arraycopy(g.vecs[0], 0, db, b0, gh);
        System.arraycopy(g.vecs[0], 0, db, b0 + gh, 2 * hh);
        System.arraycopy(linearBeforeReset ? g.vecs[1] : g.vecs[0], linearBeforeReset ? 0 : 2 * hh, db,
                b0 + gh + 2 * hh, hh);
    }
}
