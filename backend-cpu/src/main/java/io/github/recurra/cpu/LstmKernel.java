package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.param.Parameters;
import org.ejml.data.FMatrixRMaj;

/** LSTM per {@link LstmCell}'s formulas. Gate blocks i, o, f, c at column offsets 0, H, 2H, 3H. */
final class LstmKernel extends Kernel {
    private final boolean peepholes;
    private final boolean coupled;
    private final Activation fg;
    private final Activation gc;
    private final Activation ho;
    private final FMatrixRMaj wt;
    private final FMatrixRMaj rt;
    private final FMatrixRMaj w;
    private final FMatrixRMaj r;
    /** Wb + Rb. */
    private final float[] bias;
    /** Peepholes i, o, f (zero without peepholes). */
    private final float[] p;

    LstmKernel(int layer, int in, LstmCell cell) {
        super(layer, in, cell);
        this.peepholes = cell.hasPeepholes();
        this.coupled = cell.coupledInputForget();
        this.fg = cell.gateActivation();
        this.gc = cell.cellActivation();
        this.ho = cell.outputActivation();
        this.wt = new FMatrixRMaj(in, gh);
        this.rt = new FMatrixRMaj(hidden, gh);
        this.w = new FMatrixRMaj(gh, in);
        this.r = new FMatrixRMaj(gh, hidden);
        this.bias = new float[gh];
        this.p = new float[3 * hidden];
    }

    @Override
    void load(Parameters params) {
        float[] cw = params.get(Parameters.w(layer)).data();
        float[] cr = params.get(Parameters.r(layer)).data();
        float[] cb = params.get(Parameters.b(layer)).data();
        Blas.copyFrom(cw, 0, w);
        Blas.copyFrom(cr, 0, r);
        Blas.transposeFrom(cw, 0, gh, in, wt);
        Blas.transposeFrom(cr, 0, gh, hidden, rt);
        for (int j = 0; j < gh; j++) {
            bias[j] = cb[j] + cb[gh + j];
        }
        if (peepholes) {
            System.arraycopy(params.get(Parameters.p(layer)).data(), 0, p, 0, 3 * hidden);
        }
    }

    @Override
    Grads newGrads() {
        return new Grads(new FMatrixRMaj[] {new FMatrixRMaj(in, gh), new FMatrixRMaj(hidden, gh)},
                new float[][] {new float[gh], new float[3 * hidden]});
    }

    @Override
    LayerWorkspace newWorkspace(int batch, int time, FMatrixRMaj[] sharedInputs, boolean needDx) {
        return new LayerWorkspace(batch, time, in, hidden, 4, true, true, needDx, sharedInputs);
    }

    @Override
    void forward(LayerWorkspace ws) {
        final int hh = hidden;
        for (int t = 0; t < ws.time; t++) {
            FMatrixRMaj a = ws.pre[t];
            Blas.mult(ws.x[t], wt, a);
            Blas.multAdd(ws.h[t], rt, a);
            float[] ad = a.data;
            float[] gd = ws.act[t].data;
            float[] cp = ws.c[t].data;
            float[] cn = ws.c[t + 1].data;
            float[] hn = ws.h[t + 1].data;
            float[] tc = ws.aux[t].data;
            for (int b = 0; b < ws.batch; b++) {
                int g0 = b * gh;
                int s0 = b * hh;
                for (int j = 0; j < hh; j++) {
                    float cprev = cp[s0 + j];
                    int ii = g0 + j;
                    int io = ii + hh;
                    int jf = ii + 2 * hh;
                    int ic = ii + 3 * hh;
                    float af = ad[jf] + bias[2 * hh + j] + p[2 * hh + j] * cprev;
                    float ac = ad[ic] + bias[3 * hh + j];
                    float f = fg.apply(clamp(af));
                    float i;
                    float ai;
                    if (coupled) {
                        ai = 0f;
                        i = 1f - f;
                    } else {
                        ai = ad[ii] + bias[j] + p[j] * cprev;
                        i = fg.apply(clamp(ai));
                    }
                    float cc = gc.apply(clamp(ac));
                    float cnew = f * cprev + i * cc;
                    float ao = ad[io] + bias[hh + j] + p[hh + j] * cnew;
                    float o = fg.apply(clamp(ao));
                    float th = ho.apply(cnew);
                    ad[ii] = ai;
                    ad[io] = ao;
                    ad[jf] = af;
                    ad[ic] = ac;
                    gd[ii] = i;
                    gd[io] = o;
                    gd[jf] = f;
                    gd[ic] = cc;
                    cn[s0 + j] = cnew;
                    tc[s0 + j] = th;
                    hn[s0 + j] = o * th;
                }
            }
        }
    }

    @Override
    void backward(LayerWorkspace ws, FMatrixRMaj[] dOut, Grads grads) {
        final int hh = hidden;
        FMatrixRMaj dWt = grads.mats[0];
        FMatrixRMaj dRt = grads.mats[1];
        float[] dBias = grads.vecs[0];
        float[] dP = grads.vecs[1];
        ws.dH.zero();
        ws.dC.zero();
        float[] dh = ws.dH.data;
        float[] dc = ws.dC.data;
        float[] dg = ws.dGates.data;
        for (int t = ws.time - 1; t >= 0; t--) {
            float[] ext = dOut[t] == null ? null : dOut[t].data;
            float[] ad = ws.pre[t].data;
            float[] gd = ws.act[t].data;
            float[] cp = ws.c[t].data;
            float[] cn = ws.c[t + 1].data;
            float[] tc = ws.aux[t].data;
            for (int b = 0; b < ws.batch; b++) {
                int g0 = b * gh;
                int s0 = b * hh;
                for (int j = 0; j < hh; j++) {
                    int s = s0 + j;
                    int ii = g0 + j;
                    int io = ii + hh;
                    int jf = ii + 2 * hh;
                    int ic = ii + 3 * hh;
                    float dhv = dh[s] + (ext == null ? 0f : ext[s]);
                    float i = gd[ii];
                    float o = gd[io];
                    float f = gd[jf];
                    float cc = gd[ic];
                    float cnew = cn[s];
                    float cprev = cp[s];
                    float th = tc[s];
                    float dao = dhv * th * fg.derivative(clamp(ad[io]), o) * clampSlope(ad[io]);
                    float dcv = dc[s] + dhv * o * ho.derivative(cnew, th) + dao * p[hh + j];
                    float di = dcv * cc;
                    float df = dcv * cprev;
                    float dcc = dcv * i;
                    float dai;
                    if (coupled) {
                        df -= di;
                        dai = 0f;
                    } else {
                        dai = di * fg.derivative(clamp(ad[ii]), i) * clampSlope(ad[ii]);
                    }
                    float daf = df * fg.derivative(clamp(ad[jf]), f) * clampSlope(ad[jf]);
                    float dac = dcc * gc.derivative(clamp(ad[ic]), cc) * clampSlope(ad[ic]);
                    dc[s] = dcv * f + dai * p[j] + daf * p[2 * hh + j];
                    if (peepholes) {
                        dP[j] += dai * cprev;
                        dP[hh + j] += dao * cnew;
                        dP[2 * hh + j] += daf * cprev;
                    }
                    dg[ii] = dai;
                    dg[io] = dao;
                    dg[jf] = daf;
                    dg[ic] = dac;
                }
            }
            Blas.multAddTransA(ws.x[t], ws.dGates, dWt);
            Blas.multAddTransA(ws.h[t], ws.dGates, dRt);
            Blas.addColumnSums(ws.dGates, 0, gh, dBias, 0);
            Blas.mult(ws.dGates, r, ws.dH);
            if (ws.dx != null) {
                Blas.mult(ws.dGates, w, ws.dx[t]);
            }
        }
    }

    @Override
    void storeGrads(Grads g, Parameters out) {
        Blas.transposeTo(g.mats[0], out.get(Parameters.w(layer)).data(), 0);
        Blas.transposeTo(g.mats[1], out.get(Parameters.r(layer)).data(), 0);
        float[] db = out.get(Parameters.b(layer)).data();
        System.arraycopy(g.vecs[0], 0, db, 0, gh);
        System.arraycopy(g.vecs[0], 0, db, gh, gh);
        if (peepholes) {
            System.arraycopy(g.vecs[1], 0, out.get(Parameters.p(layer)).data(), 0, 3 * hidden);
        }
    }
}
