package io.github.recurra.cpu;

import org.ejml.data.FMatrixRMaj;

/**
 * Everything one layer needs for one forward and backward pass at a fixed batch size and sequence length, allocated
 * once and reused: per-step pre-activations, activations and states (kept for backpropagation), and backward
 * scratch. Arrays indexed by step hold step t at index t (0-based) except {@link #h} and {@link #c}, whose index 0 is
 * the initial state and index t + 1 the state after step t.
 */
final class LayerWorkspace {
    final int batch;
    final int time;
    /**
     * Per-row sequence lengths for the current pass, or null when every row runs all {@link #time} steps. Rows past
     * their length keep their state and get no gradient.
     */
    int[] lengths;
    /** Inputs per step, {@code [batch, in]}; for layer k &gt; 0 these are layer k − 1's {@link #h} entries. */
    final FMatrixRMaj[] x;
    /**
     * Gate pre-activations before clipping, {@code [batch, G*H]}: one per step when backward reads them (see
     * {@link Kernel#backwardReadsPre}), else one matrix at every index, which each step overwrites.
     */
    final FMatrixRMaj[] pre;
    /** Gate activations, {@code [batch, G*H]}. */
    final FMatrixRMaj[] act;
    /** Hidden states, {@code time + 1} entries of {@code [batch, H]}. */
    final FMatrixRMaj[] h;
    /** LSTM cell states, {@code time + 1} entries, or null. */
    final FMatrixRMaj[] c;
    /** Per-step extra values: LSTM h(C<sub>t</sub>); GRU r ⊙ H<sub>t-1</sub> or H<sub>t-1</sub> R<sub>h</sub><sup>T</sup> + Rb<sub>h</sub>. */
    final FMatrixRMaj[] aux;
    /** Gradient with respect to the layer's inputs per step, {@code [batch, in]} (allocated for layers above 0). */
    final FMatrixRMaj[] dx;
    /** Gradient with respect to the gate pre-activations, {@code [batch, G*H]}. */
    final FMatrixRMaj dGates;
    /**
     * Each step's gate gradients, kept for the weight gradients taken once over all steps after backward
     * ({@code [batch, G*H]} per step; allocated by the first backward pass that needs them).
     */
    private FMatrixRMaj[] dGatesPerStep;
    /**
     * Each step's gradient of the GRU's reset product H<sub>t-1</sub> R<sub>h</sub><sup>T</sup> + Rb<sub>h</sub>
     * (linear before reset), kept likewise ({@code [batch, H]} per step, allocated on first use).
     */
    private FMatrixRMaj[] dResetPerStep;
    /** Recurrent gradient flowing into H<sub>t-1</sub>, {@code [batch, H]}. */
    final FMatrixRMaj dH;
    /** Recurrent gradient flowing into C<sub>t-1</sub>, {@code [batch, H]} (LSTM). */
    final FMatrixRMaj dC;
    /** Scratch {@code [batch, H]}. */
    final FMatrixRMaj tmpH;
    /** Scratch {@code [batch, 2H]} (GRU z and r blocks). */
    final FMatrixRMaj tmpZr;
    /** Scratch {@code [batch, 2H]} (GRU gradient of the z and r blocks). */
    final FMatrixRMaj dZr;
    /** Scratch {@code [batch, H]} (GRU gradient of the h block). */
    final FMatrixRMaj dAh;

    LayerWorkspace(int batch, int time, int in, int hidden, int gates, boolean cellState, boolean aux,
            boolean needDx, boolean keepPre, FMatrixRMaj[] sharedInputs) {
        this.batch = batch;
        this.time = time;
        int gh = gates * hidden;
        this.x = sharedInputs != null ? sharedInputs : steps(time, batch, in);
        if (keepPre) {
            this.pre = steps(time, batch, gh);
        } else {
            this.pre = new FMatrixRMaj[time];
            java.util.Arrays.fill(pre, new FMatrixRMaj(batch, gh));
        }
        this.act = steps(time, batch, gh);
        this.h = steps(time + 1, batch, hidden);
        this.c = cellState ? steps(time + 1, batch, hidden) : null;
        this.aux = aux ? steps(time, batch, hidden) : null;
        this.dx = needDx ? steps(time, batch, in) : null;
        this.dGates = new FMatrixRMaj(batch, gh);
        this.dH = new FMatrixRMaj(batch, hidden);
        this.dC = new FMatrixRMaj(batch, hidden);
        this.tmpH = new FMatrixRMaj(batch, hidden);
        boolean gru = gates == 3;
        this.tmpZr = gru ? new FMatrixRMaj(batch, 2 * hidden) : null;
        this.dZr = gru ? new FMatrixRMaj(batch, 2 * hidden) : null;
        this.dAh = gru ? new FMatrixRMaj(batch, hidden) : null;
    }

    /** @return the buffers for each step's gate gradients, allocated on first use */
    FMatrixRMaj[] dGatesPerStep() {
        if (dGatesPerStep == null) {
            dGatesPerStep = steps(time, batch, dGates.numCols);
        }
        return dGatesPerStep;
    }

    /** @return the buffers for each step's gradient of the GRU's reset product, allocated on first use */
    FMatrixRMaj[] dResetPerStep() {
        if (dResetPerStep == null) {
            dResetPerStep = steps(time, batch, dH.numCols);
        }
        return dResetPerStep;
    }

    /** @return whether row b is past its length at step t */
    boolean masked(int b, int t) {
        return lengths != null && t >= lengths[b];
    }

    private static FMatrixRMaj[] steps(int n, int rows, int cols) {
        FMatrixRMaj[] m = new FMatrixRMaj[n];
        for (int i = 0; i < n; i++) {
            m[i] = new FMatrixRMaj(rows, cols);
        }
        return m;
    }
}
