package io.github.recurra.cpu;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.param.Parameters;
import org.ejml.data.FMatrixRMaj;

/**
 * A kernel whose gates all take the same products X W<sup>T</sup> + H<sub>t-1</sub> R<sup>T</sup> and one fused
 * bias Wb + Rb (RNN and LSTM; the GRU's reset gate breaks this). Holds W and R both as given (for the input and state
 * gradients) and transposed (for the forward products).
 */
abstract class FusedKernel extends Kernel {
    final FMatrixRMaj wt;
    final FMatrixRMaj rt;
    final FMatrixRMaj w;
    final FMatrixRMaj r;
    /** Wb + Rb. */
    final float[] bias;
    /** The matrices packed for the products that read them at every step (W<sup>T</sup> over R<sup>T</sup> as one). */
    private final Blas.Stacked wrtPacked;
    private final Blas.Packed wPacked;
    private final Blas.Packed rPacked;

    FusedKernel(int layer, int dir, int in, Cell cell) {
        super(layer, dir, in, cell);
        this.wt = new FMatrixRMaj(in, gh);
        this.rt = new FMatrixRMaj(hidden, gh);
        this.w = new FMatrixRMaj(gh, in);
        this.r = new FMatrixRMaj(gh, hidden);
        this.bias = new float[gh];
        this.wrtPacked = new Blas.Stacked(wt, rt);
        this.wPacked = new Blas.Packed(w);
        this.rPacked = new Blas.Packed(r);
    }

    @Override
    void load(Parameters params) {
        float[] cw = params.get(Parameters.w(layer)).data();
        float[] cr = params.get(Parameters.r(layer)).data();
        float[] cb = params.get(Parameters.b(layer)).data();
        Blas.copyFrom(cw, wOffset(), w);
        Blas.copyFrom(cr, rOffset(), r);
        Blas.transposeFrom(cw, wOffset(), gh, in, wt);
        Blas.transposeFrom(cr, rOffset(), gh, hidden, rt);
        wrtPacked.refresh();
        wPacked.refresh();
        rPacked.refresh();
        int b0 = bOffset();
        for (int j = 0; j < gh; j++) {
            bias[j] = cb[b0 + j] + cb[b0 + gh + j];
        }
    }

    /** Gradient accumulators: dW<sup>T</sup>, dR<sup>T</sup> and the fused bias, plus {@code extra} vectors. */
    Grads newGrads(float[]... extra) {
        float[][] vecs = new float[1 + extra.length][];
        vecs[0] = new float[gh];
        System.arraycopy(extra, 0, vecs, 1, extra.length);
        return new Grads(new FMatrixRMaj[] {new FMatrixRMaj(in, gh), new FMatrixRMaj(hidden, gh)}, vecs);
    }

    /**
     * The products first: pre-activations of step t = x<sub>t</sub> W<sup>T</sup> + h<sub>t-1</sub> R<sup>T</sup>, as
     * one product over [x<sub>t</sub> h<sub>t-1</sub>] (the input product alone, with its few inner indices, ran at
     * half the rate of the recurrent one).
     */
    final void project(LayerWorkspace ws, int t) {
        Blas.multStacked(ws.x[t], ws.h[t], wrtPacked, ws.pre[t]);
    }

    /**
     * After the gate gradients of step t are in {@code ws.dGates}: keeps them for dW and dR ({@link #finishBackward}),
     * accumulates the bias, adds the gradient
     * into H<sub>t-1</sub> to {@code ws.dH} (whose rows the caller has zeroed for rows that were active at step t and
     * left as they were for rows past their length) and, for layers above the first, writes it into x<sub>t</sub>.
     */
    final void accumulate(LayerWorkspace ws, int t, Grads grads) {
        if (sumOverSteps()) {
            // dW and dR are taken once over all steps by finishBackward, from each step's kept gate gradients
            FMatrixRMaj kept = ws.dGatesPerStep()[t];
            System.arraycopy(ws.dGates.data, 0, kept.data, 0, kept.getNumElements());
        } else {
            Blas.multAddTransA(ws.x[t], ws.dGates, grads.mats[0]);
            Blas.multAddTransA(ws.h[t], ws.dGates, grads.mats[1]);
        }
        Blas.addColumnSums(ws.dGates, 0, gh, grads.vecs[0], 0);
        Blas.multAdd(ws.dGates, rPacked, ws.dH);
        if (ws.dx != null) {
            Blas.mult(ws.dGates, wPacked, ws.dx[t]);
        }
    }

    /**
     * Ends a backward pass: dW<sup>T</sup> += Σ x<sub>t</sub><sup>T</sup> dG<sub>t</sub> and dR<sup>T</sup> += Σ
     * h<sub>t-1</sub><sup>T</sup> dG<sub>t</sub> over the steps from the last to the first, as one product each
     * (each element summed in the same order as step-by-step products would, so with the same bits).
     */
    final void finishBackward(LayerWorkspace ws, Grads grads) {
        if (!sumOverSteps()) {
            return;
        }
        FMatrixRMaj[] gs = lastToFirst(ws.dGatesPerStep(), ws.time);
        Blas.multAddTransASum(lastToFirst(ws.x, ws.time), gs, grads.mats[0]);
        Blas.multAddTransASum(lastToFirst(ws.h, ws.time), gs, grads.mats[1]);
    }

    @Override
    void storeGrads(Grads g, Parameters out) {
        Blas.transposeTo(g.mats[0], out.get(Parameters.w(layer)).data(), wOffset());
        Blas.transposeTo(g.mats[1], out.get(Parameters.r(layer)).data(), rOffset());
        float[] db = out.get(Parameters.b(layer)).data();
        System.arraycopy(g.vecs[0], 0, db, bOffset(), gh);
        System.arraycopy(g.vecs[0], 0, db, bOffset() + gh, gh);
    }
}
