package io.github.recurra.cpu;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.param.Parameters;
import org.ejml.data.FMatrixRMaj;

/**
 * Forward and backward computation of one recurrent layer (one direction) over a whole sequence. A kernel holds the
 * layer's weights in the internal layout (transposed where that makes the products faster); conversion from the
 * canonical ONNX layout happens only in {@link #load}, and back (for gradients) only in {@link #storeGrads}.
 * Weights are read-only during passes,
 * so any number of passes may run at once on separate workspaces.
 */
abstract class Kernel {
    final int layer;
    /** Direction index: 0 forward, 1 reverse (the leading axis of the canonical tensors). */
    final int dir;
    final int in;
    final int hidden;
    final int gates;
    final int gh;
    final float clip;

    Kernel(int layer, int dir, int in, Cell cell) {
        this.layer = layer;
        this.dir = dir;
        this.in = in;
        this.hidden = cell.hiddenSize();
        this.gates = cell.gates();
        this.gh = gates * hidden;
        this.clip = cell.clip();
    }

    /** @return offset of this direction's block in the canonical W */
    final int wOffset() {
        return dir * gh * in;
    }

    /** @return offset of this direction's block in the canonical R */
    final int rOffset() {
        return dir * gh * hidden;
    }

    /** @return offset of this direction's block in the canonical B */
    final int bOffset() {
        return dir * 2 * gh;
    }

    /** Reads this direction's block of the layer's canonical tensors into the internal weights. */
    abstract void load(Parameters p);

    /** @return a zeroed gradient accumulator for this layer */
    abstract Grads newGrads();

    /**
     * @param sharedInputs the previous layer's hidden states to read as inputs, or null to own input buffers
     * @param needDx       whether backward must produce gradients for the inputs
     * @return a workspace for this layer
     */
    abstract LayerWorkspace newWorkspace(int batch, int time, FMatrixRMaj[] sharedInputs, boolean needDx);

    /**
     * Runs the sequence: reads {@code ws.x[0..T)}, {@code ws.h[0]} (and {@code ws.c[0]}), writes every later state
     * and what backward needs.
     */
    abstract void forward(LayerWorkspace ws);

    /**
     * Backpropagates through the whole sequence after {@link #forward}.
     *
     * @param ws    the workspace of the forward pass
     * @param dOut  gradient of the loss with respect to each step's hidden output ({@code [batch, H]}); null entries
     *              mean zero. Rows past their length get no gradient at that step: their incoming state gradient
     *              passes through to the step before unchanged.
     * @param dFinal gradient with respect to the final hidden state (the state after the last step), or null for
     *              zero; it flows back through the steps past each row's length to the row's last step
     * @param grads accumulates the parameter gradients
     */
    abstract void backward(LayerWorkspace ws, FMatrixRMaj[] dOut, FMatrixRMaj dFinal, Grads grads);

    /**
     * Whether backward needs each step's pre-activations, or only the activations' outputs: it needs them for a clip
     * (which zeroes the gradient where a pre-activation was outside it) and for any activation whose derivative is
     * not a function of its output alone (all but sigmoid and tanh). Without them, the workspace keeps one matrix of
     * pre-activations instead of one per step (for the LSTM, a third of what it keeps per step).
     *
     * @param clip the cell's clip, {@link Float#POSITIVE_INFINITY} for none
     * @param fs   the cell's activations
     * @return whether the pre-activations must be kept per step
     */
    static boolean backwardReadsPre(float clip, Activation... fs) {
        if (clip != Float.POSITIVE_INFINITY) {
            return true;
        }
        for (Activation f : fs) {
            if (f.kind() != Activation.Kind.SIGMOID && f.kind() != Activation.Kind.TANH) {
                return true;
            }
        }
        return false;
    }

    /** Starts a backward pass: the recurrent gradient into the final state. */
    static void startBackward(LayerWorkspace ws, FMatrixRMaj dFinal) {
        if (dFinal == null) {
            ws.dH.zero();
        } else {
            System.arraycopy(dFinal.data, 0, ws.dH.data, 0, ws.dH.getNumElements());
        }
        ws.dC.zero();
    }

    /**
     * The weight gradients from this many elements of the recurrent weights up (hidden × gates·hidden) are accumulated
     * once over all steps, as summed products ({@link Blas#multAddTransASum}, C loaded and stored once) of each step's
     * kept gate gradients, rather than step by step: from H = 256 for the LSTM, 296 for the GRU and 512 for the
     * vanilla RNN (1 MB and more, beyond what stays in cache from one step to the next; at H = 128 the step-by-step
     * products, on gate gradients still in cache, measured faster: the summed form took 1.03× the LSTM's and 1.07×
     * the GRU's step there). Both give the same bits; tests move the threshold to compare them.
     */
    static int sumOverStepsElements = 1 << 18;

    /** @return whether the weight gradients are taken once over all steps after the backward loop */
    final boolean sumOverSteps() {
        return Blas.simd && hidden * gh >= sumOverStepsElements;
    }

    /**
     * @return {@code steps[n - 1]} down to {@code steps[0]}: the order in which the backward loop meets the steps, and
     *         so the order of the terms of the summed weight gradients
     */
    static FMatrixRMaj[] lastToFirst(FMatrixRMaj[] steps, int n) {
        FMatrixRMaj[] out = new FMatrixRMaj[n];
        for (int i = 0; i < n; i++) {
            out[i] = steps[n - 1 - i];
        }
        return out;
    }

    /** Writes accumulated gradients as this direction's block of the canonical tensors in {@code out}. */
    abstract void storeGrads(Grads g, Parameters out);

    /**
     * Ends forward step t: rows past their length keep the previous state, H<sub>t+1</sub> = H<sub>t</sub> (and the
     * same for C), whatever the step computed for them.
     */
    final void freeze(LayerWorkspace ws, int t) {
        if (ws.lengths == null) {
            return;
        }
        for (int b = 0; b < ws.batch; b++) {
            if (t >= ws.lengths[b]) {
                System.arraycopy(ws.h[t].data, b * hidden, ws.h[t + 1].data, b * hidden, hidden);
                if (ws.c != null) {
                    System.arraycopy(ws.c[t].data, b * hidden, ws.c[t + 1].data, b * hidden, hidden);
                }
            }
        }
    }

    /**
     * Per-layer gradient accumulators in the internal layout: weight gradients as matrices, biases and peepholes as
     * arrays. Which fields are used depends on the cell.
     */
    static final class Grads {
        final FMatrixRMaj[] mats;
        final float[][] vecs;

        Grads(FMatrixRMaj[] mats, float[][] vecs) {
            this.mats = mats;
            this.vecs = vecs;
        }

        void zero() {
            for (FMatrixRMaj m : mats) {
                m.zero();
            }
            for (float[] v : vecs) {
                java.util.Arrays.fill(v, 0f);
            }
        }
    }
}
