package io.github.recurra.cpu;

import org.ejml.data.FMatrixRMaj;

/**
 * One layer's buffers in a {@link NetWorkspace}: a {@link LayerWorkspace} per direction, the layer's input per step
 * (after dropout), the merged output per step or at the last step, and their gradients. A forward direction reads
 * {@link #input} in place; a reverse direction reads its own copy with each row's valid steps reversed, so its
 * kernel runs forwards like any other.
 */
final class LayerRun {
    final int dirs;
    final int hidden;
    final int in;
    final int out;
    final LayerWorkspace[] dir;
    /** The layer's input per step, {@code [batch, in]}. */
    final FMatrixRMaj[] input;
    /** Dropout multipliers per step (0 or 1 / (1 − p)), {@code batch × in}, or null without dropout. */
    final float[][] dropMask;
    /** Merged output per step, {@code [batch, out]}, zero past each row's length. */
    final FMatrixRMaj[] y;
    /**
     * The output of a layer that returns only its last step, {@code [batch, out]}: the merged final states, or the
     * merged output at each row's last valid time index.
     */
    final FMatrixRMaj last;
    /** Gradients with respect to {@link #y} and {@link #last}. */
    final FMatrixRMaj[] dy;
    final FMatrixRMaj dLast;
    /** Per direction: gradient with respect to each step's hidden output, and to the final state. */
    final FMatrixRMaj[][] dOut;
    final FMatrixRMaj[] dFinal;
    /** Gradient with respect to {@link #input}, for layers above the first. */
    final FMatrixRMaj[] dInput;

    /** Per direction: whether it reads the sequence backwards. */
    final boolean[] reversed;
    /** T nulls: "no gradient at any step" for a direction whose only gradient is into its final state. */
    final FMatrixRMaj[] noSteps;
    /**
     * Per direction, T entries for a last-time-index output's gradient: the {@link #dOut} matrix of each processing
     * step some row's last time index falls on, null at every other step (filled in each backward pass).
     */
    final FMatrixRMaj[][] lastIndexOut;

    LayerRun(Kernel[] kernels, boolean[] reversed, int batch, int time, int out, boolean first, boolean dropout) {
        this.dirs = kernels.length;
        this.reversed = reversed;
        this.noSteps = new FMatrixRMaj[time];
        this.lastIndexOut = new FMatrixRMaj[kernels.length][time];
        this.hidden = kernels[0].hidden;
        this.in = kernels[0].in;
        this.out = out;
        this.input = steps(time, batch, in);
        this.dir = new LayerWorkspace[dirs];
        for (int d = 0; d < dirs; d++) {
            dir[d] = kernels[d].newWorkspace(batch, time, reversed[d] ? null : input, !first);
        }
        this.dropMask = dropout && !first ? new float[time][batch * in] : null;
        this.y = steps(time, batch, out);
        this.last = new FMatrixRMaj(batch, out);
        this.dy = steps(time, batch, out);
        this.dLast = new FMatrixRMaj(batch, out);
        this.dOut = new FMatrixRMaj[dirs][];
        this.dFinal = new FMatrixRMaj[dirs];
        for (int d = 0; d < dirs; d++) {
            dOut[d] = steps(time, batch, hidden);
            dFinal[d] = new FMatrixRMaj(batch, hidden);
        }
        this.dInput = first ? null : steps(time, batch, in);
    }

    static FMatrixRMaj[] steps(int n, int rows, int cols) {
        FMatrixRMaj[] m = new FMatrixRMaj[n];
        for (int i = 0; i < n; i++) {
            m[i] = new FMatrixRMaj(rows, cols);
        }
        return m;
    }
}
