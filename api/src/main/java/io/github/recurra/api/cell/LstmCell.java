package io.github.recurra.api.cell;

import java.util.Objects;

/**
 * The long short-term memory cell of the ONNX {@code LSTM} operator. With gate blocks in the order i, o, f, c,
 * f<sub>g</sub> = {@link #gateActivation()} (sigmoid), g = {@link #cellActivation()} (tanh),
 * h = {@link #outputActivation()} (tanh), and P = [Pi, Po, Pf] the peepholes (zero when absent):
 * <pre>
 *   i = f_g(clip(X W_iᵀ + H_{t-1} R_iᵀ + Pi ⊙ C_{t-1} + Wb_i + Rb_i))
 *   f = f_g(clip(X W_fᵀ + H_{t-1} R_fᵀ + Pf ⊙ C_{t-1} + Wb_f + Rb_f))
 *   c = g(clip(X W_cᵀ + H_{t-1} R_cᵀ + Wb_c + Rb_c))
 *   C_t = f ⊙ C_{t-1} + i ⊙ c
 *   o = f_g(clip(X W_oᵀ + H_{t-1} R_oᵀ + Po ⊙ C_t + Wb_o + Rb_o))
 *   H_t = o ⊙ h(C_t)
 * </pre>
 * With the coupled input-forget gate ({@link #coupledInputForget()}, ONNX {@code input_forget=1}), f = 1 − i and
 * the f block of W, R, B and P is unused (as ONNX Runtime computes it; the ONNX text only says the gates are
 * coupled). The clip applies to the gate pre-activations only, peephole terms included; the cell state and the input
 * of h are not clipped (again as ONNX Runtime).
 *
 * <p>{@link #forgetBias()} is the initial value of the forget block of the input bias Wb (the recurrent bias starts at
 * zero). At initialisation this equals the constant {@code forget_bias} that TensorFlow's {@code BasicLSTMCell} adds,
 * and since that constant and a trainable bias only ever appear as a sum, training is the same too, except under
 * weight decay, which shrinks a trainable bias but not a constant. With the coupled gate the forget block is unused,
 * so the forget bias has no effect.
 */
public final class LstmCell implements Cell {
    private final int hiddenSize;
    private final float forgetBias;
    private final boolean peepholes;
    private final float clip;
    private final boolean coupledInputForget;
    private final Activation gateActivation;
    private final Activation cellActivation;
    private final Activation outputActivation;

    private LstmCell(Builder b) {
        this.hiddenSize = b.hiddenSize;
        this.forgetBias = b.forgetBias;
        this.peepholes = b.peepholes;
        this.clip = b.clip;
        this.coupledInputForget = b.coupledInputForget;
        this.gateActivation = b.gateActivation;
        this.cellActivation = b.cellActivation;
        this.outputActivation = b.outputActivation;
    }

    /**
     * @param hiddenSize hidden units
     * @return an LSTM cell with the defaults of {@link Builder}
     */
    public static LstmCell of(int hiddenSize) {
        return builder(hiddenSize).build();
    }

    /**
     * @param hiddenSize hidden units
     * @return a builder: forget bias 1.0, no peepholes, no clip, separate input and forget gates, sigmoid/tanh/tanh
     */
    public static Builder builder(int hiddenSize) {
        return new Builder(hiddenSize);
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public String kind() {
        return "lstm";
    }

    @Override
    public boolean hasCellState() {
        return true;
    }

    @Override
    public boolean hasPeepholes() {
        return peepholes;
    }

    @Override
    public float clip() {
        return clip;
    }

    /** @return the initial value of the forget block of the input bias */
    public float forgetBias() {
        return forgetBias;
    }

    /** @return whether f = 1 − i */
    public boolean coupledInputForget() {
        return coupledInputForget;
    }

    /** @return f<sub>g</sub>, the activation of the i, o and f gates */
    public Activation gateActivation() {
        return gateActivation;
    }

    /** @return g, the activation of the cell candidate */
    public Activation cellActivation() {
        return cellActivation;
    }

    /** @return h, the activation applied to the cell state for the output */
    public Activation outputActivation() {
        return outputActivation;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LstmCell)) {
            return false;
        }
        LstmCell c = (LstmCell) o;
        return hiddenSize == c.hiddenSize && Float.compare(forgetBias, c.forgetBias) == 0 && peepholes == c.peepholes
                && Float.compare(clip, c.clip) == 0 && coupledInputForget == c.coupledInputForget
                && gateActivation.equals(c.gateActivation) && cellActivation.equals(c.cellActivation)
                && outputActivation.equals(c.outputActivation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hiddenSize, forgetBias, peepholes, clip, coupledInputForget, gateActivation,
                cellActivation, outputActivation);
    }

    @Override
    public String toString() {
        return "LstmCell{hidden=" + hiddenSize + ", forgetBias=" + forgetBias + (peepholes ? ", peepholes" : "")
                + (hasClip() ? ", clip=" + clip : "") + (coupledInputForget ? ", coupledInputForget" : "")
                + ", activations=[" + gateActivation + ", " + cellActivation + ", " + outputActivation + "]}";
    }

    /** Builder for {@link LstmCell}; {@link #build()} validates. */
    public static final class Builder {
        private final int hiddenSize;
        private float forgetBias = 1.0f;
        private boolean peepholes;
        private float clip = Float.POSITIVE_INFINITY;
        private boolean coupledInputForget;
        private Activation gateActivation = Activation.sigmoid();
        private Activation cellActivation = Activation.tanh();
        private Activation outputActivation = Activation.tanh();

        private Builder(int hiddenSize) {
            this.hiddenSize = hiddenSize;
        }

        /**
         * @param forgetBias initial forget-gate input bias (default 1.0, as TensorFlow's {@code forget_bias})
         * @return this
         */
        public Builder forgetBias(float forgetBias) {
            this.forgetBias = forgetBias;
            return this;
        }

        /**
         * @param peepholes whether the gates see the cell state through P (default false)
         * @return this
         */
        public Builder peepholes(boolean peepholes) {
            this.peepholes = peepholes;
            return this;
        }

        /**
         * @param clip threshold applied to every gate pre-activation (default none)
         * @return this
         */
        public Builder clip(float clip) {
            this.clip = clip;
            return this;
        }

        /**
         * @param coupled whether f = 1 − i (ONNX {@code input_forget}; default false)
         * @return this
         */
        public Builder coupledInputForget(boolean coupled) {
            this.coupledInputForget = coupled;
            return this;
        }

        /**
         * Sets the three activations of the ONNX {@code activations} attribute.
         *
         * @param gate   f for the i, o and f gates (default sigmoid)
         * @param cell   g for the candidate (default tanh)
         * @param output h for the output (default tanh)
         * @return this
         */
        public Builder activations(Activation gate, Activation cell, Activation output) {
            this.gateActivation = Objects.requireNonNull(gate, "gate");
            this.cellActivation = Objects.requireNonNull(cell, "cell");
            this.outputActivation = Objects.requireNonNull(output, "output");
            return this;
        }

        /** @return the cell */
        public LstmCell build() {
            Cell.checkHidden(hiddenSize);
            Cell.checkClip(clip);
            if (!Float.isFinite(forgetBias)) {
                throw new IllegalArgumentException("forget bias must be finite but was " + forgetBias);
            }
            return new LstmCell(this);
        }
    }
}
