package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.RnnCell;
import org.ejml.data.FMatrixRMaj;

/** Vanilla RNN per {@link RnnCell}'s formula. */
final class RnnKernel extends FusedKernel {
    private final Activation f;

    RnnKernel(int layer, int dir, int in, RnnCell cell) {
        super(layer, dir, in, cell);
        this.f = cell.activation();
    }

    @Override
    Grads newGrads() {
        return newGrads(new float[0][]);
    }

    @Override
    LayerWorkspace newWorkspace(int batch, int time, FMatrixRMaj[] sharedInputs, boolean needDx) {
        return new LayerWorkspace(batch, time, in, hidden, 1, false, false, needDx, backwardReadsPre(clip, f),
                sharedInputs);
    }

    @Override
    void forward(LayerWorkspace ws) {
        for (int t = 0; t < ws.time; t++) {
            project(ws, t);
            Blas.addRowVector(ws.pre[t], 0, bias, 0, hidden);
            Act.forward(f, clip, ws.pre[t].data, 0, ws.h[t + 1].data, 0, ws.batch * hidden);
            freeze(ws, t);
        }
    }

    @Override
    void backward(LayerWorkspace ws, FMatrixRMaj[] dOut, FMatrixRMaj dFinal, Grads grads) {
        startBackward(ws, dFinal);
        float[] dh = ws.dH.data;
        float[] dg = ws.dGates.data;
        for (int t = ws.time - 1; t >= 0; t--) {
            float[] ext = dOut[t] == null ? null : dOut[t].data;
            for (int b = 0; b < ws.batch; b++) {
                int s0 = b * hidden;
                if (ws.masked(b, t)) {
                    java.util.Arrays.fill(dg, s0, s0 + hidden, 0f);
                    continue;
                }
                for (int s = s0 + (Blas.simd ? VectorGates.takeSum(dh, ext, dg, s0, hidden) : 0); s < s0 + hidden; s++) {
                    dg[s] = dh[s] + (ext == null ? 0f : ext[s]);
                    dh[s] = 0f;
                }
                Act.backward(f, clip, ws.pre[t].data, s0, ws.h[t + 1].data, s0, dg, s0, dg, s0, hidden);
            }
            accumulate(ws, t, grads);
        }
        finishBackward(ws, grads);
    }
}
