package io.github.recurra.cpu;

import org.ejml.data.FMatrixRMaj;

/**
 * All buffers of one forward/backward pass of a whole network at one batch size and sequence length: one
 * {@link LayerWorkspace} per layer (layer k + 1 reads layer k's hidden states in place), the head's buffers and the
 * gradient accumulators. Allocated once per shape and reused through {@link WorkspacePool}; used by one thread at a
 * time.
 */
final class NetWorkspace {
    final int batch;
    final int time;
    final LayerWorkspace[] layers;
    /** Per-layer gradients in the internal layout. */
    final Kernel.Grads[] grads;
    /** Head: logits, their gradient, the gradient into the last layer's last output; null without a head. */
    final FMatrixRMaj logits;
    final FMatrixRMaj dLogits;
    final FMatrixRMaj dLast;
    final FMatrixRMaj dHeadWt;
    final float[] dHeadB;
    /** Gradient into each step's output of the top layer (only the last step is non-null for a last-step head). */
    final FMatrixRMaj[] dTop;

    NetWorkspace(Kernel[] kernels, int batch, int time, int headOutputs) {
        this.batch = batch;
        this.time = time;
        this.layers = new LayerWorkspace[kernels.length];
        this.grads = new Kernel.Grads[kernels.length];
        FMatrixRMaj[] below = null;
        for (int k = 0; k < kernels.length; k++) {
            layers[k] = kernels[k].newWorkspace(batch, time, below, k > 0);
            grads[k] = kernels[k].newGrads();
            below = java.util.Arrays.copyOfRange(layers[k].h, 1, time + 1);
        }
        int top = kernels[kernels.length - 1].hidden;
        if (headOutputs > 0) {
            logits = new FMatrixRMaj(batch, headOutputs);
            dLogits = new FMatrixRMaj(batch, headOutputs);
            dLast = new FMatrixRMaj(batch, top);
            dHeadWt = new FMatrixRMaj(top, headOutputs);
            dHeadB = new float[headOutputs];
        } else {
            logits = null;
            dLogits = null;
            dLast = null;
            dHeadWt = null;
            dHeadB = null;
        }
        dTop = new FMatrixRMaj[time];
        dTop[time - 1] = dLast;
    }

    /** @return the top layer's hidden state after the last step */
    FMatrixRMaj lastOutput() {
        LayerWorkspace top = layers[layers.length - 1];
        return top.h[time];
    }

    void zeroGrads() {
        for (Kernel.Grads g : grads) {
            g.zero();
        }
        if (dHeadWt != null) {
            dHeadWt.zero();
            java.util.Arrays.fill(dHeadB, 0f);
        }
    }

    /** Adds another workspace's gradients into this one's. */
    void addGrads(NetWorkspace other) {
        for (int k = 0; k < grads.length; k++) {
            grads[k].add(other.grads[k]);
        }
        if (dHeadWt != null) {
            Blas.addInPlace(dHeadWt, other.dHeadWt);
            Blas.addInPlace(dHeadB, other.dHeadB, dHeadB.length);
        }
    }
}
