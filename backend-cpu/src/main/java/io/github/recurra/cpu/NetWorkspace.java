package io.github.recurra.cpu;

import org.ejml.data.FMatrixRMaj;

/**
 * All buffers of one forward/backward pass of a whole network at one batch size and sequence length: a
 * {@link LayerRun} per layer, the head's buffers and the gradient accumulators. Allocated once per shape and reused
 * through {@link WorkspacePool}; used by one thread at a time.
 */
final class NetWorkspace {
    final int batch;
    final int time;
    final LayerRun[] layers;
    /** Per layer and direction, gradients in the internal layout. */
    final Kernel.Grads[][] grads;
    /** Head: per-step logits (one entry for a last-step head) and their gradients; null without a head. */
    final FMatrixRMaj[] logits;
    final FMatrixRMaj[] dLogits;
    final FMatrixRMaj dHeadWt;
    final float[] dHeadB;
    /** Lengths of this pass's rows, or null. */
    int[] lengths;

    NetWorkspace(Kernel[][] kernels, boolean[][] reversed, int[] outSizes, int batch, int time, int headOutputs,
            boolean perStepHead, boolean dropout) {
        this.batch = batch;
        this.time = time;
        this.layers = new LayerRun[kernels.length];
        this.grads = new Kernel.Grads[kernels.length][];
        for (int k = 0; k < kernels.length; k++) {
            layers[k] = new LayerRun(kernels[k], reversed[k], batch, time, outSizes[k], k == 0, dropout);
            grads[k] = new Kernel.Grads[kernels[k].length];
            for (int d = 0; d < kernels[k].length; d++) {
                grads[k][d] = kernels[k][d].newGrads();
            }
        }
        int top = outSizes[outSizes.length - 1];
        if (headOutputs > 0) {
            int n = perStepHead ? time : 1;
            logits = LayerRun.steps(n, batch, headOutputs);
            dLogits = LayerRun.steps(n, batch, headOutputs);
            dHeadWt = new FMatrixRMaj(top, headOutputs);
            dHeadB = new float[headOutputs];
        } else {
            logits = null;
            dLogits = null;
            dHeadWt = null;
            dHeadB = null;
        }
    }

    /** @param lengths this pass's row lengths, or null */
    void setLengths(int[] lengths) {
        this.lengths = lengths;
        for (LayerRun l : layers) {
            for (LayerWorkspace w : l.dir) {
                w.lengths = lengths;
            }
        }
    }

    /** @return the number of valid steps of row b */
    int length(int b) {
        return lengths == null ? time : lengths[b];
    }

    void zeroGrads() {
        for (Kernel.Grads[] gs : grads) {
            for (Kernel.Grads g : gs) {
                g.zero();
            }
        }
        if (dHeadWt != null) {
            dHeadWt.zero();
            java.util.Arrays.fill(dHeadB, 0f);
        }
    }
}
