package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.param.Parameters;
import org.ejml.data.FMatrixRMaj;

/** Vanilla RNN per {@link RnnCell}'s formula. */
final class RnnKernel extends Kernel {
    private final Activation f;
    private final FMatrixRMaj wt;
    private final FMatrixRMaj rt;
    private final FMatrixRMaj w;
    private final FMatrixRMaj r;
    private final float[] bias;

    RnnKernel(int layer, int in, RnnCell cell) {
        super(layer, in, cell);
        this.f = cell.activation();
        this.wt = new FMatrixRMaj(in, hidden);
        this.rt = new FMatrixRMaj(hidden, hidden);
        this.w = new FMatrixRMaj(hidden, in);
        this.r = new FMatrixRMaj(hidden, hidden);
        this.bias = new float[hidden];
    }

    @Override
    void load(Parameters params) {
        float[] cw = params.get(Parameters.w(layer)).data();
        float[] cr = params.get(Parameters.r(layer)).data();
        float[] cb = params.get(Parameters.b(layer)).data();
        Blas.copyFrom(cw, 0, w);
        Blas.copyFrom(cr, 0, r);
        Blas.transposeFrom(cw, 0, hidden, in, wt);
        Blas.transposeFrom(cr, 0, hidden, hidden, rt);
        for (int j = 0; j < hidden; j++) {
            bias[j] = cb[j] + cb[hidden + j];
        }
    }

    @Override
    Grads newGrads() {
        return new Grads(new FMatrixRMaj[] {new FMatrixRMaj(in, hidden), new FMatrixRMaj(hidden, hidden)},
                new float[][] {new float[hidden]});
    }

    @Override
    LayerWorkspace newWorkspace(int batch, int time, FMatrixRMaj[] sharedInputs, boolean needDx) {
        return new LayerWorkspace(batch, time, in, hidden, 1, false, false, needDx, sharedInputs);
    }

    @Override
    void forward(LayerWorkspace ws) {
        for (int t = 0; t < ws.time; t++) {
            FMatrixRMaj a = ws.pre[t];
            Blas.mult(ws.x[t], wt, a);
            Blas.multAdd(ws.h[t], rt, a);
            float[] ad = a.data;
            float[] hn = ws.h[t + 1].data;
            for (int b = 0; b < ws.batch; b++) {
                int o = b * hidden;
                for (int j = 0; j < hidden; j++) {
                    float v = ad[o + j] + bias[j];
                    ad[o + j] = v;
                    hn[o + j] = f.apply(clamp(v));
                }
            }
        }
    }

    @Override
    void backward(LayerWorkspace ws, FMatrixRMaj[] dOut, Grads grads) {
        ws.dH.zero();
        float[] dh = ws.dH.data;
        float[] dg = ws.dGates.data;
        for (int t = ws.time - 1; t >= 0; t--) {
            float[] ext = dOut[t] == null ? null : dOut[t].data;
            float[] ad = ws.pre[t].data;
            float[] hn = ws.h[t + 1].data;
            for (int s = 0; s < ws.batch * hidden; s++) {
                float dhv = dh[s] + (ext == null ? 0f : ext[s]);
                dg[s] = dhv * f.derivative(clamp(ad[s]), hn[s]) * clampSlope(ad[s]);
            }
            Blas.multAddTransA(ws.x[t], ws.dGates, grads.mats[0]);
            Blas.multAddTransA(ws.h[t], ws.dGates, grads.mats[1]);
            Blas.addColumnSums(ws.dGates, 0, hidden, grads.vecs[0], 0);
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
        System.arraycopy(g.vecs[0], 0, db, 0, hidden);
        System.arraycopy(g.vecs[0], 0, db, hidden, hidden);
    }
}
